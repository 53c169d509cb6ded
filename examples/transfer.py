# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Moving data to the GPU and back
#
# A discrete GPU is a separate card with its own memory. It can only compute on tensors that sit
# in *that* memory, so before a kernel runs, its inputs have to be copied from the computer's
# main memory (the *host*) to the GPU (the *device*), and the results copied back if the
# program wants to read them. In PyTorch that is what `x.to("cuda")` and `y.cpu()` do.

# %% [markdown]
# ## What the benchmark shows
#
# ![Copy bandwidth rises with copy size as the fixed cost of each copy fades; without a GPU only the host memory copy is measured, beside a PCIe model line](../../assets/figures/transfer.svg#only-light)
# ![Copy bandwidth rises with copy size as the fixed cost of each copy fades; without a GPU only the host memory copy is measured, beside a PCIe model line](../../assets/figures/transfer-dark.svg#only-dark)
#
# On **{{ fact:machine }}** a copy inside host memory reaches
# {{ fact:transfer.cpu.host-copy.best }} while it fits in the caches and
# {{ fact:transfer.cpu.host-copy.largest_rate }} for {{ fact:transfer.cpu.host-copy.largest_size }}
# bytes. A copy to {{ fact:transfer.gpu.evidence }} over PCIe only approaches
# {{ fact:transfer.gpu.h2d-pinned.best }} at hundreds of MiB, and small copies are nearly all fixed
# cost: data should cross the link once and stay on the GPU.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# Read the left panel first. At the smallest sizes the time per copy hardly changes as the size
# grows: that flat floor is the fixed cost every copy pays. Then the time starts to grow in step
# with the size, and on the right the bandwidth levels off: that plateau is what the link really
# delivers. With a GPU, compare the plateau of the pinned copies with the PCIe table below, and
# look for the gap between pinned and pageable memory, the price of the driver's staging copy.
# The host copy is the CPU's own reference; where no GPU has run, it is the only line.

# %% [markdown]
# ## How it works
#
# Each copy costs time in two parts:
#
# $$
# \text{time of one copy} \approx \text{fixed cost}
#   + \frac{\text{bytes copied}}{\text{link bandwidth}}
# $$
#
# The fixed part (the driver call, setting up the copy engine, the first packets crossing the
# link) is paid by every copy however small. The second part grows with the size of the copy.
# Small copies are therefore dominated by the fixed cost and move very few bytes per second;
# only large copies come near the link's bandwidth.
#
# ## The link: PCIe
#
# On most machines the GPU hangs off the CPU's PCI Express (PCIe) bus, usually with 16 lanes
# ("x16"). Its theoretical bandwidth **in each direction** is:
#
# | PCIe generation | x16, per direction |
# | --- | --- |
# | Gen3 | {{ fact:pcie.gen3 }} |
# | Gen4 | {{ fact:pcie.gen4 }} |
# | Gen5 | {{ fact:pcie.gen5 }} |
#
# (8, 16 and 32 billion transfers per second per lane, with 128b/130b encoding, per the PCI-SIG
# specifications; the [Sources](../../reference/sources/) page lists the same figures, which the
# GPU models on this site use.)
#
# Real copies come in below these figures, because every packet on the link carries a header
# besides its data. Compare that with the GPU's own memory, which data-center and gaming GPUs read
# at hundreds of GB/s to several TB/s: the {{ fact:gpu.model }} this site models reads its own
# memory {{ fact:gpu.model.memory_over_link }} faster than its PCIe link can fill it. That is why deep-learning code moves a model's weights to the GPU once and
# keeps them there, and why copying data back and forth on every step can leave a fast GPU
# waiting. (Apple's GPUs, driven through MPS, share one memory with the CPU: there is no PCIe
# link, and a copy between "host" and "device" tensors is a copy within that memory.)
#
# ## Pinned and pageable host memory
#
# The GPU's copy engine reads host memory directly (by DMA), so it needs the data to stay at
# fixed physical addresses while it works. Ordinary memory is *pageable*: the operating system
# is free to move its pages or write them out to disk. When you copy from or to pageable memory,
# the driver therefore goes through a *pinned* (page-locked) staging buffer of its own: an extra
# copy on the CPU for every chunk, which makes the transfer slower. Memory allocated as pinned
# skips that step, and also lets a copy run asynchronously (`non_blocking=True`) while the GPU
# computes. In PyTorch you get pinned memory with `torch.empty(..., pin_memory=True)`,
# `tensor.pin_memory()`, or `DataLoader(..., pin_memory=True)`. It is not free: pinned memory
# cannot be swapped out, so pinning a large share of RAM starves the rest of the system.
# NVIDIA's [How to Optimize Data Transfers in CUDA C/C++](https://developer.nvidia.com/blog/how-optimize-data-transfers-cuda-cc/)
# explains the staging buffer in detail.
#
# ## What this page measures
#
# Copies of one to hundreds of MiB in five ways: host to device (`h2d`) and device to host
# (`d2h`), each from pinned and from pageable host memory, and `host-copy`, a plain copy from one
# place in host memory to another, which needs no GPU. **Bytes are counted once**: a copy of
# *N* bytes counts *N*, whichever way it goes. A host copy reads every byte and writes it again,
# so the traffic to the CPU's memory is twice the figure shown.
#
# `host-copy` is the CPU's reference: how fast it moves bytes around its own memory. Small host
# copies fit in the CPU's caches and run faster than main memory allows; only the large ones
# measure main memory. On a machine without a GPU the four transfer variants are skipped, since
# there is no device memory to copy to, and the figure shows the host copy alone.

# %%
import torch

from whygpu.contract import Unsupported, Work

TITLE = "Moving data to the GPU and back"
SIZE_LABEL = "bytes copied"
BENCHMARK_VERSION = 1
METRIC = "bytes"

KiB, MiB = 1 << 10, 1 << 20
SIZES = {
    "quick": [4 * KiB, 64 * KiB, 1 * MiB, 16 * MiB, 256 * MiB],
    "full": [
        1 * KiB,
        4 * KiB,
        16 * KiB,
        64 * KiB,
        256 * KiB,
        1 * MiB,
        4 * MiB,
        16 * MiB,
        64 * MiB,
        256 * MiB,
    ],
}
# h2d: host to device; d2h: device to host; pinned / pageable: how the host buffer was allocated.
# host-copy: host memory to host memory, the CPU's own reference (measured by the CPU run).
VARIANTS = ["h2d-pinned", "h2d-pageable", "d2h-pinned", "d2h-pageable", "host-copy"]
# What the figures and facts read (whygpu.contract.meaning): which way each variant copies; where
# no GPU ran, pinned host-to-device copies are modelled by the datasheet's PCIe link.
MEANING = {
    "h2d-pinned": {"copies": "host-to-device", "modelled_as": "link"},
    "h2d-pageable": {"copies": "host-to-device"},
    "d2h-pinned": {"copies": "device-to-host"},
    "d2h-pageable": {"copies": "device-to-host"},
    "host-copy": {"copies": "host-to-host"},
}
CITED_BESIDE = "h2d_pinned"
DIRECTIONS = {"h2d": "host-to-device", "d2h": "device-to-host", "host": "host-to-host"}
NO_DEVICE = "needs a CUDA or MPS device: there is no device memory to copy to"


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "host-copy") -> Work:
    """A copy does no arithmetic; it moves `size` bytes, counted once (see the prose above)."""
    _check_variant(variant)
    direction = DIRECTIONS[variant.split("-")[0]]
    return Work(
        flops=0,
        bytes_moved=size,
        params={
            "bytes": size,
            "direction": direction,
            "host_memory": "pinned" if variant.endswith("-pinned") else "pageable",
            "dtype": "uint8",
        },
    )


def pattern(size: int) -> torch.Tensor:
    """`size` bytes counting 0..250 over and over: a copy that drops or shifts a byte shows."""
    period = torch.arange(251, dtype=torch.uint8)  # 251 is prime, so no power of two aligns
    return period.repeat(size // 251 + 1)[:size]


def workload(size: int, device: torch.device, variant: str = "host-copy"):
    """Preallocated source and destination; the returned call copies one into the other.

    It returns the destination, so a test can check the bytes arrived. Pinned copies are
    asynchronous (`non_blocking=True`); the harness waits for the device before each clock read.
    """
    _check_variant(variant)
    if variant == "host-copy":
        if device.type != "cpu":
            raise Unsupported("a host copy never touches the device: the CPU run measures it")
        src = pattern(size)
        dst = torch.zeros(size, dtype=torch.uint8)
        return lambda: dst.copy_(src)
    if device.type == "cpu":
        raise Unsupported(NO_DEVICE)
    direction, memory = variant.split("-")
    pinned = memory == "pinned"
    try:
        host = torch.empty(size, dtype=torch.uint8, pin_memory=pinned)
    except RuntimeError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Unsupported(f"cannot allocate pinned host memory here: {reason}") from exc
    on_device = torch.empty(size, dtype=torch.uint8, device=device)
    if direction == "h2d":
        host.copy_(pattern(size))
        return lambda: on_device.copy_(host, non_blocking=pinned)
    on_device.copy_(pattern(size))
    host.zero_()
    return lambda: host.copy_(on_device, non_blocking=pinned)


# --8<-- [end:workload]


def _check_variant(variant: str) -> None:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}: expected one of {VARIANTS}")

# %% [markdown]
# ## Run it
#
# The cell below copies 64 MiB on the best device present, with the same harness the benchmark
# uses (warm-up first, the device synchronized before each clock read, the median of many
# samples). With a GPU it compares host-to-device copies from pinned and from pageable memory;
# without one it says so and measures the host copy instead.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(size: int = 64 * MiB) -> dict[str, float]:
    """Time `size`-byte copies on the best device and print GB/s (bytes counted once)."""
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    device = best_device()
    if device.type == "cpu":
        print(f"no GPU visible to torch: measuring a host memory copy on {device_name(device)}")
        variants = ["host-copy"]
    else:
        print(f"device: {device} ({device_name(device)})")
        variants = ["h2d-pinned", "h2d-pageable"]
    rates: dict[str, float] = {}
    for variant in variants:
        call = workload(size, device, variant)
        timing = measure(
            call, device, num_threads=physical_cores(), plan=TimingPlan(min_run_time=0.2)
        )
        rates[variant] = work(size, variant).bytes_moved / timing.median_s / 1e9
        print(
            f"{variant:>12}: {size / MiB:g} MiB in {timing.median_s * 1e3:.3f} ms "
            f"(median of {len(timing.samples_s)} samples) = {rates[variant]:.2f} GB/s"
        )
    if "h2d-pinned" in rates:
        ratio = rates["h2d-pinned"] / rates["h2d-pageable"]
        print(f"pinned memory copies {ratio:.2f}x as fast as pageable memory at this size")
    return rates


if __name__ == "__main__":
    main()
