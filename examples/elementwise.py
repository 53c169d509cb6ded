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
# # Element-wise add
#
# Much of a neural network is not matrix multiplies but *element-wise* operations: adding a bias
# or a residual connection, applying an activation function such as ReLU, scaling by a constant.
# Each output element depends on the matching input elements only, so the work is as parallel as
# work can be. The simplest of them is adding two arrays, $z = x + y$, element by element.

# %% [markdown]
# ## What the benchmark shows
#
# ![Element-wise add: time per call is flat for short arrays, where a fixed cost dominates, and grows with length for long ones, where memory bandwidth sets the pace; the modelled GPU loses on short arrays and wins by far on long ones](../../assets/figures/elementwise.svg#only-light)
# ![Element-wise add: time per call is flat for short arrays, where a fixed cost dominates, and grows with length for long ones, where memory bandwidth sets the pace; the modelled GPU loses on short arrays and wins by far on long ones](../../assets/figures/elementwise-dark.svg#only-dark)
#
# On **{{ fact:machine }}** adding two arrays peaks at {{ fact:elementwise.cpu.add.best }}
# while they fit in the caches and falls to {{ fact:elementwise.cpu.add.largest_rate }} for
# {{ fact:elementwise.cpu.add.largest_size }} elements, which come from main memory.
# {{ fact:elementwise.gpu.evidence }} reaches {{ fact:elementwise.gpu.add.best }}, its memory
# bandwidth: an add does one FLOP per 12 bytes, so memory, not arithmetic, sets the pace on both
# chips, and short arrays lose on the GPU to its fixed cost per call.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# In the time panel, the left part of each line is flat: that is the fixed cost of a call, paid
# however few elements there are. Further right, the line turns upward and climbs in step with the
# number of elements: the call is now waiting for memory. In the throughput panel the same story
# reads as bytes per second that rise with size and then level off at what the memory can
# deliver; on a CPU the curve may peak first while the arrays still fit in its caches. A GPU's
# line starts higher in time (its fixed cost is larger) and ends far higher in bytes per second
# (its memory is faster), so the two lines usually cross: below the crossing the CPU is quicker,
# above it the GPU.

# %% [markdown]
# ## How it works
#
# $$z_i = x_i + y_i$$
#
# Count what one element costs. The addition is a single floating-point operation, but the
# hardware has to read $x_i$ and $y_i$ from memory and write $z_i$ back: three 4-byte fp32
# numbers, 12 bytes for one FLOP. Any modern processor can add far faster than its memory can
# deliver 12 bytes per addition, so the arithmetic units spend most of their time waiting. The
# measure that matters here is not FLOPs per second but **bytes per second**: how close the call
# gets to the memory bandwidth of the device.
#
# This page measures `torch.add(x, y, out=z)` on fp32 arrays from a hundred to a hundred million
# elements. The output `z` is allocated once, before timing, so the clock sees the addition and
# not the memory allocator. Two regimes appear:
#
# - **Small arrays: latency-bound.** Every call pays a fixed cost whatever its size: Python
#   calling into PyTorch, PyTorch checking the arguments and choosing a kernel, and, on a GPU,
#   launching that kernel on the device, which takes of the order of microseconds. Adding a
#   hundred numbers takes far less than that, so the time per call is flat: ten times the
#   elements cost almost nothing extra, and the bytes per second are tiny.
# - **Large arrays: bandwidth-bound.** Once the data takes longer to move than the fixed cost,
#   the time per call grows in proportion to the number of elements, and the bytes per second
#   level off at the rate the memory can sustain.
#
# A GPU's memory is built for bandwidth and delivers many times more bytes per second than a
# CPU's, but the GPU also has the larger fixed cost per call, because every operation is a kernel
# launched from the CPU. So the GPU only wins once the arrays are large. This is also why deep
# learning frameworks *fuse* chains of element-wise operations into one kernel where they can
# (`torch.compile` does this): one pass over memory instead of several, and one fixed cost instead
# of many.
#
# Between the two regimes, watch for caches. A CPU keeps recently used data in small, fast
# caches (from a few megabytes to hundreds of megabytes in all, depending on the chip). While the
# three arrays fit there, the CPU can move data faster than its main memory (DRAM) allows, and its
# bytes per second peak above the plateau it settles on once the arrays no longer fit.

# %%
import torch

from whygpu.contract import Work

TITLE = "Element-wise add"
SIZE_LABEL = "elements per array"
BENCHMARK_VERSION = 1
METRIC = "bytes"

# 100 .. 100 million elements: one point a decade (quick), or every half-decade (full)
SIZES = {
    "quick": [100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000],
    "full": [
        100,
        316,
        1_000,
        3_162,
        10_000,
        31_623,
        100_000,
        316_228,
        1_000_000,
        3_162_278,
        10_000_000,
        31_622_777,
        100_000_000,
    ],
}
VARIANTS = ["add"]
# Read against the memory ceiling (whygpu.contract.meaning): where a run recorded no triad, its
# largest size stands in for the CPU's bandwidth on the roofline.
MEANING = {"add": {"ceiling": "memory"}}
BYTES_PER_ELEMENT = 3 * 4  # fp32: read x[i] and y[i], write z[i]


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "add") -> Work:
    """One addition and 12 bytes of memory traffic per element."""
    return Work(
        flops=size,
        bytes_moved=BYTES_PER_ELEMENT * size,
        params={"elements": size, "dtype": "float32", "op": "add"},
    )


def inputs(size: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Two random fp32 arrays of `size` elements on `device`."""
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(size, generator=generator)
    y = torch.rand(size, generator=generator)
    return x.to(device), y.to(device)


def workload(size: int, device: torch.device, variant: str = "add"):
    """Random `x` and `y` on `device`; the returned call adds them into a preallocated `z`."""
    x, y = inputs(size, device)
    # Allocated and written once here, so the timing sees neither the allocator nor the operating
    # system mapping fresh memory pages on their first use.
    z = torch.zeros_like(x)
    return lambda: torch.add(x, y, out=z)


# --8<-- [end:workload]

# %% [markdown]
# ## Run it
#
# The cell below times a small and a large array on the best device present (the GPU if there is
# one, else the CPU), with the same harness the benchmark uses: warm-up first, the device
# synchronized before each clock read, all CPU cores in use, and the median of many samples.
# The large array has a million times more elements than the small one; compare that with how
# many times longer its call takes.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(small: int = 100, large: int = 100_000_000) -> dict[str, float]:
    """Time the add at a small and a large size on the best device; print time and GB/s."""
    from whygpu.measure.beside import sentence
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import cpu_identity, physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    device = best_device()
    print(f"device: {device} ({device_name(device)}), {physical_cores()} CPU threads")
    result: dict[str, float] = {}
    for name, size in (("small", small), ("large", large)):
        call = workload(size, device)
        timing = measure(
            call,
            device,
            num_threads=physical_cores(),
            plan=TimingPlan(min_run_time=0.2, min_blocks=5),
        )
        gbytes = work(size).bytes_moved / timing.median_s / 1e9
        per_call = (
            f"{timing.median_s * 1e6:.1f} us"
            if timing.median_s < 1e-3
            else f"{timing.median_s * 1e3:.1f} ms"
        )
        print(
            f"{size:>11,} elements: median {per_call} per call "
            f"({len(timing.samples_s)} samples) = {gbytes:.2f} GB/s"
        )
        result[f"{name}_s"] = timing.median_s
        result[f"{name}_gbytes"] = gbytes
        print(sentence("elementwise", size, {"add": gbytes}, cpu_identity(), device.type == "cpu"))
        del call  # free the arrays before the next size
    print(
        f"{large / small:,.0f} times more elements took "
        f"{result['large_s'] / result['small_s']:,.0f} times longer per call"
    )
    return result


if __name__ == "__main__":
    main()
