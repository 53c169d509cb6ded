"""Datasheet figures of reference GPUs: their peaks, and the PCIe link's theoretical speed.

With the cited measurements (whygpu.report.cited) this is where the site's GPU numbers come
from where no GPU has run a benchmark. Every figure is the vendor's dense (non-sparse) number;
each row names its source, and the Sources page lists them (whygpu.report.tables). The model
built on them is in whygpu.report.models; the results' checks (whygpu.store.plausible) refuse a
GPU measurement above its datasheet peak, so the figures live here, below both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Theoretical PCIe x16 bandwidth per direction, GB/s (PCI-SIG: 8, 16, 32 GT/s x 16 lanes,
#: 128b/130b encoding).
PCIE_GBPS = {3: 15.75, 4: 31.5, 5: 63.0}
PCIE_SOURCE = "PCI-SIG specifications: x16 link, per direction, 128b/130b encoding"
PCIE_URL = "https://pcisig.com/specifications"
_NV = "https://www.nvidia.com/content/dam/en-zz/Solutions/"
_TURING = (
    "https://images.nvidia.com/aem-dam/en-zz/Solutions/design-visualization/technologies/"
    "turing-architecture/NVIDIA-Turing-Architecture-Whitepaper.pdf"
)


@dataclass(frozen=True)
class Gpu:
    key: str
    name: str
    fp32_tflops: float  # CUDA cores, dense
    bf16_tflops: float | None  # tensor cores, dense; None where the GPU has no bf16 tensor cores
    memory_gbps: float
    pcie_gen: int
    sms: int  # streaming multiprocessors
    cuda_cores: int  # FP32 lanes across all SMs
    source: str
    note: str = ""
    urls: tuple[str, ...] = ()  # the documents `source` names, in its order
    product: str = ""  # the word in torch's device name that names it: "A100-SXM4-80GB"

    def peaks(self) -> dict[str, float]:
        """The dense peaks the datasheet gives, TFLOP/s by precision (facts quote them so)."""
        found = {"fp32": self.fp32_tflops}
        if self.bf16_tflops:
            found["bf16"] = self.bf16_tflops
        return found

    def peak_flops(self, dtype: str) -> float:
        """FLOP/s for a dtype: bf16 tensor-core peak where it exists, else the FP32 peak."""
        if dtype == "bfloat16" and self.bf16_tflops:
            return self.bf16_tflops * 1e12
        return self.fp32_tflops * 1e12


REFERENCE_GPUS = {
    g.key: g
    for g in (
        Gpu(
            "t4",
            "NVIDIA T4",
            8.1,
            None,
            300,  # the datasheet's "300 GB/sec" (NVIDIA's product page says "320+")
            3,
            40,
            2560,
            "NVIDIA T4 datasheet; Turing architecture whitepaper (SM count)",
            "no bf16 tensor cores (65 TFLOP/s dense FP16)",
            (_NV + "Data-Center/tesla-t4/t4-tensor-core-datasheet-951643.pdf", _TURING),
            product="T4",
        ),
        Gpu(
            "l4",
            "NVIDIA L4",
            30.3,
            121,
            300,
            4,
            58,
            7424,
            "NVIDIA L4 datasheet",
            urls=("https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet",),
            product="L4",
        ),
        Gpu(
            "a100-sxm-80gb",
            "NVIDIA A100 80GB SXM",
            19.5,
            312,
            2039,
            4,
            108,
            6912,
            "NVIDIA A100 datasheet; A100 Tensor Core GPU architecture whitepaper (SMs, cores)",
            urls=(
                _NV + "Data-Center/a100/pdf/nvidia-a100-datasheet-nvidia-us-2188504-web.pdf",
                "https://images.nvidia.com/aem-dam/en-zz/Solutions/data-center/"
                "nvidia-ampere-architecture-whitepaper.pdf",
            ),
            product="A100",
        ),
        Gpu(
            "h100-sxm",
            "NVIDIA H100 SXM",
            67,
            989,
            3350,
            5,
            132,
            16896,
            "NVIDIA H100 datasheet; H100 Tensor Core GPU architecture whitepaper (SMs, cores)",
            urls=(
                "https://resources.nvidia.com/en-us-gpu-resources/h100-datasheet-24306",
                "https://resources.nvidia.com/en-us-tensor-core/gtc22-whitepaper-hopper",
            ),
            product="H100",
        ),
        Gpu(
            "h200-sxm",
            "NVIDIA H200 SXM",
            67,
            989,  # the product page's 1,979 TFLOPS bf16 is with sparsity: dense is half
            4800,
            5,
            132,
            16896,
            "NVIDIA H200 product page (specifications); the H100's Hopper whitepaper (the same "
            "GH100 chip: SMs, cores)",
            urls=(
                "https://www.nvidia.com/en-us/data-center/h200/",
                "https://resources.nvidia.com/en-us-tensor-core/gtc22-whitepaper-hopper",
            ),
            product="H200",
        ),
        Gpu(
            "rtx-4090",
            "NVIDIA GeForce RTX 4090",
            82.6,
            165,
            1008,
            4,
            128,
            16384,
            "NVIDIA Ada Lovelace architecture whitepaper",
            "bf16 with FP32 accumulate",
            (
                "https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf",
            ),
            product="4090",
        ),
    )
}

#: The GPU whose model line the figures draw where no GPU has been measured.
MODEL_GPU = REFERENCE_GPUS["a100-sxm-80gb"]


def products_named(device_name: str) -> list[Gpu]:
    """The reference GPUs whose product torch's device name names ("NVIDIA A100-SXM4-80GB",
    "Tesla T4"); none for a GPU the table lacks."""
    return [
        g
        for g in REFERENCE_GPUS.values()
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(g.product)}(?![0-9])", device_name)
    ]
