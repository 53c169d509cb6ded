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
# # CPU against GPU, size by size
#
# A GPU is not faster at everything. Every call to it pays costs that have nothing to do with
# the arithmetic, and for a small enough problem those costs are most of the time.

# %% [markdown]
# ## What the benchmark shows
#
# ![The CPU finishes small problems first; the modelled GPU, slowed by launch and transfer costs, only wins once the matrices and images are large enough](../../assets/figures/crossover.svg#only-light)
# ![The CPU finishes small problems first; the modelled GPU, slowed by launch and transfer costs, only wins once the matrices and images are large enough](../../assets/figures/crossover-dark.svg#only-dark)
#
# On **{{ fact:machine }}** the CPU finishes small problems first.
# {{ fact:crossover.gpu.evidence }} computes a matrix product faster from
# {{ fact:crossover.matmul.compute }} when the data is already on it, and from
# {{ fact:crossover.matmul.e2e }} once the copies over PCIe are counted; at its best it is
# {{ fact:matmul.gpu.fp32.ratio }} faster, as the [Matrix multiply](../matmul/) page measures.
# The convolution, with far more arithmetic per byte, crosses over at
# {{ fact:crossover.conv2d.e2e }} already.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# Look at the left panel, time per call. The CPU's lines start low and climb steeply as $n$
# grows. A GPU's lines start higher than you might expect and stay almost flat over the small
# sizes: there, the time is the fixed cost of launching kernels and crossing the link, not
# arithmetic. Where a GPU's end-to-end line crosses below the CPU's line of the same operation
# is the crossover: to the left of it the CPU finishes first. The compute-only GPU lines show how
# much of the GPU's time at each size the copies take.
#
# The right panel shows the same thing as throughput. The CPU also needs some work per call
# before it runs at full speed, but far less than a GPU, which needs a great deal. End to
# end, the two operations differ: a matrix product does more arithmetic per byte as $n$ grows
# ($n^3$ operations on $n^2$ numbers), so the copies matter less and less, while a convolution does
# a fixed amount of work per pixel, so its end-to-end throughput stays capped by the link. When
# the figure shows the CPU alone, no GPU has run this benchmark yet. The concept page
# [Convolution](../../concepts/convolution/) explains why a large convolution suits a GPU.

# %% [markdown]
# ## How it works
#
# - **Launch overhead.** The CPU has to prepare each GPU kernel and hand it to the driver, and the
#   GPU has to start it. That takes microseconds per call, however little the kernel computes.
# - **The trip across the link.** Unless the data already lives on the GPU, the inputs have to be
#   copied there over PCIe and the result copied back (see
#   [Moving data to the GPU and back](../transfer/)). Each copy has a fixed cost of its own, and
#   the link is much slower than either processor's memory.
# - **Too little work to share out.** A GPU is fast because thousands of threads work at once.
#   A small problem cannot keep them busy, so most of the chip idles.
#
# A CPU pays far less: the data is already in its memory (often in its caches), nothing has to
# be launched on another chip, and a few cores are easy to keep busy. So for a small enough task
# the CPU finishes first, and above some *crossover size* the GPU does. Where that size lies
# depends on the operation, the two processors, and whether the data has to travel.
#
# ## What this page measures
#
# Two operations, each at sizes from tiny to large. $n$ is the size:
#
# - `matmul`: the product of two $n \times n$ matrices of 32-bit floats ($2n^3$ floating-point
#   operations: each of the $n^2$ outputs takes $n$ multiplies and $n$ adds);
# - `conv2d`: a $3 \times 3$ convolution of **one** $n \times n$ image with 32 channels in and 32
#   out.
#
# Each is timed two ways. `matmul` and `conv2d` time the computation alone, with the inputs
# already on the device that computes. `matmul-e2e` and `conv2d-e2e` time it **end to end** on a
# GPU: copy the inputs from ordinary CPU memory to the GPU, compute, and copy the result back, as
# a program that calls the GPU for a single operation has to. On the CPU the data already lives
# where it is computed, so the CPU has only the compute-only lines, and those are the ones to
# compare the GPU's end-to-end lines with.
#
# The same product is the fp32 line of the [Matrix multiply](../matmul/) page, and the site quotes
# that page's rates for it. {{ fact:crossover.cpu.matmul.same_as }}
#
# Starting on a CPU is fine. A model small enough, or a batch small enough, may well run faster
# there, and every example on this site can be run on a CPU.

# %%
import torch
import torch.nn.functional as F

from whygpu.contract import Unsupported, Work

TITLE = "CPU against GPU, size by size"
SIZE_LABEL = "n (matrix side / image side)"
BENCHMARK_VERSION = 1
METRIC = "flops"

CHANNELS, KERNEL = 32, 3  # conv2d: one image, 32 channels in and out, 3 x 3 filters
SIZES = {
    "quick": [16, 32, 64, 128, 256, 512, 1024],
    "full": [8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536],
}
# matmul / conv2d: compute only, the inputs already on the device.
# -e2e: end to end on a GPU: inputs host -> device, compute, result -> host.
VARIANTS = ["matmul", "matmul-e2e", "conv2d", "conv2d-e2e"]
# What the figures and facts read (whygpu.contract.meaning): each -e2e variant is its compute
# variant with the copies across PCIe; the page finds where the GPU starts to win, and marks the
# cited cost of one launch.
MEANING = {
    # the CPU's fp32 matrix product is the Matrix multiply page's quantity: the site quotes that
    # page's numbers for it, and says where this page's calls differ, and why
    "matmul": {
        "same_as": "matmul/fp32",
        "differs_because": (
            "this page calls `a @ b`, which returns a new matrix, where the Matrix multiply page "
            "calls `torch.mm(x, w.t(), out=y)` into one allocated before timing; the two calls' "
            "fixed costs differ, which shows where a call takes microseconds"
        ),
    },
    "matmul-e2e": {"end_to_end_of": "matmul"},
    "conv2d-e2e": {"end_to_end_of": "conv2d"},
}
FINDS_CROSSOVER = True
CITED_BESIDE = "launch"
ON_CPU = (
    "on the CPU the data already lives where it is computed: "
    "compare a GPU's end-to-end time with the CPU's compute time"
)
FLOAT_BYTES = 4  # float32


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "matmul") -> Work:
    """FLOPs of one call, and the float32 tensors it reads and writes once."""
    op, e2e = _parse(variant)
    if op == "matmul":
        flops = 2 * size**3  # n³ multiply-adds
        inputs, output = 2 * size * size, size * size
        params = {"m": size, "k": size, "n": size}
    else:
        pixels = size * size
        flops = 2 * CHANNELS * pixels * CHANNELS * KERNEL * KERNEL  # same padding
        inputs, output = CHANNELS * pixels + CHANNELS * CHANNELS * KERNEL**2, CHANNELS * pixels
        params = {"batch": 1, "channels": CHANNELS, "kernel": KERNEL, "height": size, "width": size}
    return Work(
        flops=flops,
        bytes_moved=FLOAT_BYTES * (inputs + output),
        params={
            **params,
            "dtype": "float32",
            "end_to_end": e2e,
            # what crosses between host and device on each call (e2e only)
            "bytes_transferred": FLOAT_BYTES * (inputs + output) if e2e else 0,
        },
    )


def inputs(size: int, op: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The same random float32 inputs on the CPU every time: two matrices, or image and filters."""
    generator = torch.Generator().manual_seed(0)
    if op == "matmul":
        shapes = [(size, size), (size, size)]
    else:
        shapes = [(1, CHANNELS, size, size), (CHANNELS, CHANNELS, KERNEL, KERNEL)]
    return tuple(torch.randn(*shape, generator=generator) for shape in shapes)


def compute(op: str, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The operation itself, on whatever device `a` and `b` live."""
    return a @ b if op == "matmul" else F.conv2d(a, b, padding=KERNEL // 2)


def workload(size: int, device: torch.device, variant: str = "matmul"):
    """Inputs built once, outside the timed call; the call computes (and, for -e2e, copies)."""
    op, e2e = _parse(variant)
    if e2e and device.type == "cpu":
        raise Unsupported(ON_CPU)
    a, b = inputs(size, op)
    if not e2e:
        a, b = a.to(device), b.to(device)
        return lambda: compute(op, a, b)

    def end_to_end() -> torch.Tensor:
        # ordinary (pageable) CPU tensors, as most programs have them
        return compute(op, a.to(device), b.to(device)).cpu()

    return end_to_end


# --8<-- [end:workload]


def _parse(variant: str) -> tuple[str, bool]:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}: expected one of {VARIANTS}")
    return variant.removesuffix("-e2e"), variant.endswith("-e2e")

# %% [markdown]
# ## Run it
#
# The cell below times a small and a large matrix product on the best device present, with the
# same harness the benchmark uses (warm-up first, the device synchronized before each clock
# read, the median of many samples). With a GPU it also times the product end to end, and the
# CPU beside it, and says which finished first at each size.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(sizes: tuple[int, ...] = (32, 1024)) -> list[dict[str, object]]:
    """Time matmul at each size (compute, and end to end with a GPU) and print who wins."""
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    device = best_device()
    cpu = torch.device("cpu")
    runs = [(device, "matmul")]
    if device.type != "cpu":
        runs += [(device, "matmul-e2e"), (cpu, "matmul")]
        print(f"GPU: {device} ({device_name(device)}); CPU: {device_name(cpu)}")
    else:
        print(f"no GPU visible to torch: timing the CPU alone ({device_name(cpu)})")
    rows: list[dict[str, object]] = []
    for size in sizes:
        for where, variant in runs:
            call = workload(size, where, variant)
            timing = measure(
                call, where, num_threads=physical_cores(), plan=TimingPlan(min_run_time=0.2)
            )
            gflops = work(size, variant).flops / timing.median_s / 1e9
            rows.append(
                {
                    "size": size,
                    "device": where.type,
                    "variant": variant,
                    "median_s": timing.median_s,
                    "gflops": gflops,
                }
            )
            print(
                f"n={size:<5} {where.type:>4} {variant:<10} {timing.median_s * 1e3:9.4f} ms "
                f"= {gflops:.3g} GFLOP/s"
            )
        if device.type != "cpu":
            gpu_e2e, on_cpu = (r["median_s"] for r in rows[-2:])
            winner = "the CPU" if on_cpu < gpu_e2e else "the GPU (end to end)"
            print(f"n={size}: {winner} finishes first")
    return rows


if __name__ == "__main__":
    main()
