"""GPU measurements published by others: each read at its source, cited with its tool, software
and date, drawn as marks of their own (never as a line of ours), and used to calibrate the
datasheet model where they measure a share of a peak.

A row is refused when it exceeds its datasheet peak for the same quantity (the classic mistake:
TF32 tensor-core FLOPs counted as FP32), naming the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whygpu.contract.datasheet import PCIE_GBPS, REFERENCE_GPUS

#: What a row measures: its unit, how a reader says it, and which datasheet peak bounds it.
QUANTITIES = {
    "matmul_bf16": ("TFLOP/s", "bf16 matrix multiply, best shape", "bf16"),
    "h2d_pinned": ("GB/s", "host-to-device copy, pinned memory", "pcie"),
    "d2h_pinned": ("GB/s", "device-to-host copy, pinned memory", "pcie"),
    "launch": ("µs", "one kernel launch, a sync included", None),
    "enqueue": ("µs", "queueing one launch, host side", None),
}

_MAMF = (
    "https://github.com/stas00/ml-engineering/blob/744d01e18b79512572f64a6bbd8b5f4a725203a7/"
    "compute/accelerator/README.md"
)
_NETWORK = (
    "https://github.com/stas00/ml-engineering/blob/744d01e18b79512572f64a6bbd8b5f4a725203a7/"
    "network/README.md"
)
_OCANNL = "https://github.com/ahrefs/ocannl/issues/488"


@dataclass(frozen=True)
class Cited:
    """One published measurement, as its source states it."""

    gpu: str  # the SKU as the source writes it
    quantity: str  # a key of QUANTITIES
    value: float  # in the quantity's unit
    tool: str
    stack: str  # torch, CUDA, driver, as far as the source gives them
    date: str  # when it was published (or the page's date)
    url: str
    note: str = ""
    datasheet: str | None = None  # key of the same GPU in the datasheet table, where it is there
    stated_peak: float | None = None  # the peak the source itself gives, in the same unit
    pcie_gen: int | None = None  # the link a copy crossed
    size: int | None = None  # bytes per copy, where the source says
    calibrates: str | None = None  # datasheet key whose model this row's share scales

    @property
    def unit(self) -> str:
        return QUANTITIES[self.quantity][0]

    @property
    def key(self) -> str:
        """A stable name for the pages: `cited.<gpu>.<quantity>`."""
        gpu = re.sub(r"[^a-z0-9]+", "-", self.gpu.split("(")[0].lower()).strip("-")
        return f"cited.{gpu.removeprefix('nvidia-')}.{self.quantity}"

    def peak(self) -> float | None:
        """The datasheet bound of this row: our table's, else the source's, else the link's."""
        bound = QUANTITIES[self.quantity][2]
        if bound == "bf16" and self.datasheet:
            return REFERENCE_GPUS[self.datasheet].bf16_tflops
        if bound == "pcie" and self.pcie_gen:
            return PCIE_GBPS[self.pcie_gen]
        return self.stated_peak

    @property
    def share(self) -> float | None:
        """The measured share of the datasheet peak, for calibrating the model."""
        peak = self.peak()
        return self.value / peak if peak else None


def _mamf(
    gpu: str,
    value: float,
    peak: float,
    torch: str,
    key: str | None = None,
    calibrates: str | None = None,
) -> Cited:
    return Cited(
        gpu=gpu,
        quantity="matmul_bf16",
        value=value,
        tool="mamf-finder.py (maximum achievable matmul FLOPS over a search of shapes)",
        stack=f"torch {torch}",
        date="2026-08-10 (page)",
        url=_MAMF,
        note="mean of 100 iterations after 50 warm-up, best shape found",
        datasheet=key,
        stated_peak=peak,
        calibrates=calibrates,
    )


CITED: tuple[Cited, ...] = (
    # the chip the model draws (the page does not say 40 or 80 GB; both peak at 312 TFLOP/s)
    _mamf("NVIDIA A100 SXM", 271.2, 312, "2.6.0+cu126", "a100-sxm-80gb", "a100-sxm-80gb"),
    _mamf("NVIDIA A100 PCIe", 252.9, 312, "2.5.1+cu124"),
    _mamf("NVIDIA H100 SXM", 794.5, 989, "2.7.0+cu126", "h100-sxm"),
    _mamf("NVIDIA GH200 SXM", 828.6, 989, "2.6.0+cu126"),
    _mamf("NVIDIA B200 SXM", 1745.0, 2250, "2.7.1+cu128"),
    Cited(
        "NVIDIA A100-SXM4-40GB",
        "h2d_pinned",
        25.13,
        "nvbandwidth v0.8, host_to_device_memcpy_sm",
        "CUDA 12.6, driver 560.35.05",
        "2025-07-05",
        "https://github.com/NVIDIA/nvbandwidth/issues/42",
        "copies by the GPU's SMs, not its copy engines",
        pcie_gen=4,
        size=512 << 20,
        calibrates="a100-sxm-80gb",  # the model GPU's own Gen4 x16 link to the host
    ),
    Cited(
        "NVIDIA GeForce RTX 4090",
        "h2d_pinned",
        25.50,
        "nvbandwidth v0.2, host_to_device_memcpy_ce",
        "CUDA 12.3, driver 545.29.06",
        "2024-01-06",
        "https://github.com/NVIDIA/nvbandwidth/issues/15",
        "GPU 0 of 8 (the others 23.9 to 26.4 GB/s)",
        datasheet="rtx-4090",
        pcie_gen=4,
        size=64 << 20,
    ),
    Cited(
        "NVIDIA GeForce RTX 4090",
        "d2h_pinned",
        26.77,
        "nvbandwidth v0.2, device_to_host_memcpy_ce",
        "CUDA 12.3, driver 545.29.06",
        "2024-01-06",
        "https://github.com/NVIDIA/nvbandwidth/issues/15",
        "GPU 0 of 8 (the others 26.3 to 27.1 GB/s)",
        datasheet="rtx-4090",
        pcie_gen=4,
        size=64 << 20,
    ),
    *(
        Cited(
            "NVIDIA H200 (PCIe-attached SXM, as the page says)",
            f"{direction}_pinned",
            value,
            f"nvbandwidth, {test}_memcpy_ce",
            "not given",
            "2026-08-04 (page)",
            _NETWORK,
            "each of 8 GPUs on its own PCIe 5 x16 link",
            pcie_gen=5,
        )
        for direction, value, test in (
            ("h2d", 55.43, "host_to_device"),
            ("d2h", 55.06, "device_to_host"),
        )
    ),
    Cited(
        "NVIDIA GeForce RTX 5070 Ti Laptop GPU",
        "launch",
        6.4,
        "launchprobe.cu: N no-op kernels launched one by one, then one sync",
        "CUDA 13.3, driver 610.62, WSL2",
        "2026-07-30",
        _OCANNL,
        "per launch, the one sync spread over the chain; median of 200 after 50 warm-up",
    ),
    Cited(
        "NVIDIA GeForce RTX 5070 Ti Laptop GPU",
        "enqueue",
        2.78,
        "launchprobe.cu: asynchronous enqueue, the sync outside the timed region",
        "CUDA 13.3, driver 610.62, WSL2",
        "2026-07-30",
        _OCANNL,
        "the host's cost to queue one launch (N = 8)",
    ),
)


def problems(rows: tuple[Cited, ...] = CITED) -> list[str]:
    """Rows that cannot be right: above their datasheet peak, or of an unknown quantity."""
    found = []
    for i, row in enumerate(rows):
        name = f"cited row {i} ({row.gpu}, {row.quantity})"
        if row.quantity not in QUANTITIES:
            found.append(f"{name}: unknown quantity (known: {', '.join(QUANTITIES)})")
            continue
        peak = row.peak()
        if peak is not None and row.value > peak:
            found.append(
                f"{name}: {row.value:g} {row.unit} exceeds its datasheet peak of {peak:g} "
                f"{row.unit} (a TF32 or sparse figure counted as dense {row.quantity}?)"
            )
        if [r.key for r in rows].count(row.key) > 1:
            found.append(f"{name}: another row has the same GPU and quantity ({row.key})")
        if not row.url.startswith("https://"):
            found.append(f"{name}: needs the https URL of the page where the number stands")
    return found


def check(rows: tuple[Cited, ...] = CITED) -> None:
    """Refuse to draw from rows that cannot be right, naming them."""
    found = problems(rows)
    if found:
        raise ValueError("; ".join(found))


def of(quantity: str, rows: tuple[Cited, ...] = CITED) -> list[Cited]:
    return [r for r in rows if r.quantity == quantity]


def calibration(datasheet_key: str, quantity: str) -> Cited | None:
    """The row that measures the model GPU's share of its peak for `quantity`, if one does."""
    return next(
        (r for r in of(quantity) if r.calibrates == datasheet_key and r.share is not None), None
    )


#: Where a quantity's marks go on an example's figure, by its unit: (panel, factor to the panel's
#: unit). An example names the quantity it sits beside (CITED_BESIDE, whygpu.contract.meaning).
PANELS = {"TFLOP/s": ("rate", 1e3), "GB/s": ("rate", 1.0), "µs": ("time", 1e-3)}


def marks(quantity: str | None, sizes: list[int]) -> list[dict[str, object]]:
    """The cited points of `quantity` a figure draws: at the size measured, else at an end."""
    if quantity is None or not sizes:
        return []
    if quantity not in QUANTITIES:
        raise ValueError(
            f"CITED_BESIDE = {quantity!r} is not a cited quantity (known: {', '.join(QUANTITIES)})"
        )
    panel, factor = PANELS[QUANTITIES[quantity][0]]
    out = []
    for row in of(quantity):
        if quantity == "matmul_bf16" and row.datasheet is None:
            continue  # the GPUs the site's tables describe, not every row
        at = row.size or (min(sizes) if panel == "time" else max(sizes))
        out.append(
            {
                "panel": panel,
                "size": at,
                "value": row.value * factor,
                "label": f"measured elsewhere (cited): {row.gpu}, {row.value:,g} {row.unit}",
                "tag": row.gpu.removeprefix("NVIDIA ").removeprefix("GeForce ").split(" (")[0],
            }
        )
    return out
