"""Which accelerators are present, and how to wait for one: the device-agnostic pieces of timing."""

from __future__ import annotations

import torch

from whygpu.contract.names import CPU, GPU, NO_GPU_REASON
from whygpu.measure.hardware import cpu_model


def gpu_device() -> torch.device | None:
    """The CUDA or MPS device torch can see, or None.

    `torch.accelerator` names whichever backend this build of torch drives (CUDA, ROCm through
    the CUDA API, MPS, XPU); we accept only the first two, the ones the site's figures compare.
    """
    if torch.cuda.is_available():
        return torch.device("cuda", torch.cuda.current_device())
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return None


def resolve(kind: str) -> torch.device:
    """Map a runner accelerator name ("cpu" or "gpu") to a torch device, or explain why not."""
    if kind == CPU:
        return torch.device("cpu")
    if kind == GPU:
        device = gpu_device()
        if device is None:
            raise DeviceUnavailable(NO_GPU_REASON)
        return device
    raise ValueError(f"unknown accelerator {kind!r}: expected 'cpu' or 'gpu'")


def best_device() -> torch.device:
    """The fastest device present: the GPU when there is one, else the CPU."""
    return gpu_device() or torch.device("cpu")


def synchronize(device: torch.device) -> None:
    """Block until all work queued on `device` has finished (a no-op on the CPU).

    Reading a clock without this measures only how long it took to *queue* GPU kernels.
    """
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def device_name(device: torch.device) -> str:
    """A human name for the device: the GPU's marketing name, or the CPU's model name."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return cpu_model()


class DeviceUnavailable(RuntimeError):
    """The requested accelerator is not present on this machine."""
