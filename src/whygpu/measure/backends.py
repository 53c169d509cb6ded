"""The backend switches that change speed (denormals, cuDNN autotuning, TF32): set them for a run
and record them beside it."""

from __future__ import annotations

import torch


def apply(
    device: torch.device, *, cudnn_benchmark: bool = True, flush_denormal: bool = True
) -> dict[str, object]:
    """Set the speed-relevant switches for a run on `device` and return what is now in force.

    Denormals are flushed on the CPU (denormal inputs can make CPU kernels many times slower);
    cuDNN benchmark mode is on for GPU runs (autotuning happens in the warm-up, outside the
    timed region). TF32 is left at PyTorch's defaults and recorded, so readers know which
    precision the numbers compare.
    """
    applied_flush = bool(torch.set_flush_denormal(flush_denormal)) and flush_denormal
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = cudnn_benchmark
    return current(device, flush_denormal=applied_flush)


def current(device: torch.device, *, flush_denormal: bool) -> dict[str, object]:
    """The switches as they stand (thread count is added by the runner)."""
    on_cuda = device.type == "cuda"
    return {
        "flush_denormal": flush_denormal,
        "tf32_matmul": bool(torch.backends.cuda.matmul.allow_tf32) if on_cuda else None,
        "tf32_cudnn": bool(torch.backends.cudnn.allow_tf32) if on_cuda else None,
        "cudnn_benchmark": bool(torch.backends.cudnn.benchmark) if on_cuda else None,
        "matmul_precision": torch.get_float32_matmul_precision(),
        # Host memory for copies is chosen per point by the examples that copy (their params);
        # None here means the run itself pins nothing.
        "pinned_memory": None,
    }
