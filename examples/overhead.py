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
# # The fixed cost of one call
#
# Every operation a program asks PyTorch for costs something before any arithmetic happens:
# Python calls into PyTorch, PyTorch checks its arguments and picks a kernel, and on a GPU the
# kernel is launched on another chip and the result, when the program asks for it, has to come
# back. This page times those costs directly, with tensors so small that nothing else is left.
#
# ![Time per call of the smallest operations: each stays flat as the tensor grows from one element to thousands, because the fixed cost of the call is all there is to time; on this machine one PyTorch operation costs {{ fact:overhead.cpu.dispatch.smallest_time }}](../../assets/figures/overhead.svg#only-light)
# ![Time per call of the smallest operations: each stays flat as the tensor grows from one element to thousands, because the fixed cost of the call is all there is to time; on this machine one PyTorch operation costs {{ fact:overhead.cpu.dispatch.smallest_time }}](../../assets/figures/overhead-dark.svg#only-dark)
#
# On **{{ fact:machine }}** one PyTorch operation on a one-element tensor takes
# {{ fact:overhead.cpu.dispatch.smallest_time }}, and reading its value back into Python with
# `.item()` {{ fact:overhead.cpu.read-item.smallest_time }}. That is the framework's own cost per call,
# paid however little the call computes. A GPU adds to it: launching a kernel costs
# {{ fact:gpu.launch }} per launch on the {{ fact:gpu.launch.gpu }}, the figure the site's model
# uses (a GPU run of this page replaces it), and a result the program waits for needs a
# synchronization and a copy back across PCIe.
#
# The page goes on with what each line times, the code, and a closer reading of the figure.

# %% [markdown]
# ## Reading the figure
#
# - **Flat lines** mean the size does not matter: the call's fixed cost is all there is. Where a
#   line starts to climb, the tensor has become large enough for its bytes to take time.
# - **On a CPU**, `dispatch` is what any PyTorch operation costs at least, and `read-item` only
#   reads a number already in the CPU's memory: there is no kernel to run and nothing to wait for.
# - **On a GPU**, `cuda-sync`, `read-item` and the copies each wait for the device, so they cost more than
#   `dispatch`, whose launches are queued; and `graph` replays its whole chain for about the cost
#   of one launch, where `eager` pays one launch per operation. That difference is what capturing
#   a model with CUDA graphs (or `torch.compile(mode="reduce-overhead")`) saves.
#
# [When the CPU wins](../../concepts/when-cpu-wins/) builds its argument on these costs.

# %% [markdown]
# ## What this page measures
#
# Each variant times the smallest call of one kind, at sizes from one element to a few thousand,
# so the figure shows whether the time depends on the size at all:
#
# - `dispatch`: `torch.add(x, y, out=z)`, one element-wise operation into a tensor allocated
#   before timing. On a CPU it is the framework's cost of one operation; on a GPU, also the cost
#   of launching its kernel, timed the way the harness always times a GPU: many calls queued, one
#   wait at the end.
# - `read-item`: `z.item()`, the value of a one-element result read back into Python. On a GPU this
#   waits for the GPU to finish and copies the number across PCIe.
# - `cuda-sync`: `torch.cuda.synchronize()` with nothing queued, on a GPU only: the cost of asking
#   whether the GPU is done. A CPU runs each call to the end, so it has nothing to wait for.
# - `copy-h2d` and `copy-d2h`: a copy of the tensor to the GPU and back, on a GPU only.
# - `eager` and `graph`: the same chain of eight small element-wise operations, run one call at
#   a time, and replayed from a CUDA graph, which launches the whole chain at once. Graphs need a
#   CUDA device; on other devices the page says so and skips them.
#
# "Size" is the number of elements of the tensors; every call counts as one item, so the
# throughput panel shows calls per second.

# %%
import torch

from whygpu.contract import Unsupported, Work

TITLE = "The fixed cost of one call"
SIZE_LABEL = "elements per tensor"
BENCHMARK_VERSION = 1
METRIC = "items"
ITEM_UNIT = "calls"

SIZES = {"quick": [1, 256, 4096], "full": [1, 16, 256, 4096, 65536]}
VARIANTS = ["dispatch", "read-item", "cuda-sync", "copy-h2d", "copy-d2h", "eager", "graph"]
# What the figures and facts read (whygpu.contract.meaning): on a GPU, one queued op's time is
# the cost of a launch, and replaces the borrowed, cited one in the datasheet model.
MEANING = {"dispatch": {"measures": "launch"}}
CHAIN = 8  # element-wise operations in the eager and graph chains
FLOAT_BYTES = 4


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "dispatch") -> Work:
    """One call; the bytes it reads and writes (a copy: the bytes crossing the link)."""
    ops = CHAIN if variant in ("eager", "graph") else 1
    moved = {"cuda-sync": 0, "read-item": FLOAT_BYTES}.get(variant, 3 * size * FLOAT_BYTES * ops)
    if variant in ("copy-h2d", "copy-d2h"):
        moved = size * FLOAT_BYTES
    return Work(
        flops=0.0
        if variant in ("cuda-sync", "read-item", "copy-h2d", "copy-d2h")
        else float(size * ops),
        bytes_moved=float(moved),
        items=1.0,
        params={"elements": size, "dtype": "float32", "calls": 1, "ops": ops},
    )


def _needs_gpu(device: torch.device, variant: str) -> None:
    if device.type == "cpu":
        raise Unsupported(f"{variant} needs a GPU: a CPU has no device to wait for or copy to")


def workload(size: int, device: torch.device, variant: str = "dispatch"):
    """Tensors of `size` elements on `device`, built once; the returned call is the one timed."""
    x = torch.rand(size, generator=torch.Generator().manual_seed(0)).to(device)
    y = torch.ones_like(x)
    z = torch.empty_like(x)
    if variant == "dispatch":
        return lambda: torch.add(x, y, out=z)
    if variant == "read-item":
        one = z[:1]
        return lambda: one.item()
    if variant == "cuda-sync":
        _needs_gpu(device, variant)
        if device.type != "cuda":
            raise Unsupported(
                f"cuda-sync is timed with torch.cuda.synchronize, not on {device.type}"
            )
        return torch.cuda.synchronize
    if variant in ("copy-h2d", "copy-d2h"):
        _needs_gpu(device, variant)
        host = torch.empty(size, pin_memory=device.type == "cuda")
        if variant == "copy-h2d":
            return lambda: x.copy_(host, non_blocking=False)
        return lambda: host.copy_(x, non_blocking=False)

    def chain() -> torch.Tensor:
        out = z
        for _ in range(CHAIN):
            torch.add(x, y, out=out)  # eight launches of the smallest kernel
        return out

    if variant == "eager":
        return chain
    if device.type != "cuda":
        raise Unsupported(f"CUDA graphs need a CUDA device, not {device.type}")
    chain()  # warm up outside the capture, as CUDA graphs require
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        chain()
    return graph.replay


# --8<-- [end:workload]

# %% [markdown]
# ## Run it
#
# The cell below times one operation and one `.item()` on a one-element tensor on the best
# device present, with the same harness the benchmark uses.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(size: int = 1) -> dict[str, float]:
    """Time the smallest operation and `.item()` on the best device, and print each."""
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())
    device = best_device()
    print(f"device: {device} ({device_name(device)}), {physical_cores()} CPU threads")
    result: dict[str, float] = {}
    for variant in ("dispatch", "read-item"):
        timing = measure(
            workload(size, device, variant),
            device,
            num_threads=physical_cores(),
            plan=TimingPlan(min_run_time=0.2, min_blocks=5),
        )
        print(
            f"{variant}: {timing.median_s * 1e6:.2f} µs per call ({len(timing.samples_s)} samples)"
        )
        result[f"{variant}_s"] = timing.median_s
    return result


if __name__ == "__main__":
    main()
