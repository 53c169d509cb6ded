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
# # Matrix multiply
#
# A dense (fully connected) layer turns an input vector of $k$ features into $m$ outputs, each a
# weighted sum of all the inputs. PyTorch's `nn.Linear` computes it for a whole batch of inputs
# at once, as one matrix product: `y = x @ W.T + b`. That product is what this page times.

# %% [markdown]
# ## What the benchmark shows
#
# ![Matrix multiply throughput climbs with matrix size and levels off; bf16 reaches {{ fact:matmul.cpu.bf16.vs_fp32 }} fp32's best on this CPU, and {{ fact:matmul.gpu.evidence }} sits {{ fact:matmul.gpu.fp32.ratio }} higher](../../assets/figures/matmul.svg#only-light)
# ![Matrix multiply throughput climbs with matrix size and levels off; bf16 reaches {{ fact:matmul.cpu.bf16.vs_fp32 }} fp32's best on this CPU, and {{ fact:matmul.gpu.evidence }} sits {{ fact:matmul.gpu.fp32.ratio }} higher](../../assets/figures/matmul-dark.svg#only-dark)
#
# On **{{ fact:machine }}** the fp32 product levels off at {{ fact:matmul.cpu.fp32.best }},
# {{ fact:matmul.cpu.fp32.share_of_peak }} of the CPU's measured peak, and bf16 reaches
# {{ fact:matmul.cpu.bf16.best }}. The GPU side, {{ fact:matmul.gpu.evidence }}, sits far above both:
# {{ fact:matmul.gpu.fp32.best }} in fp32 and {{ fact:matmul.gpu.bf16.best }} in bf16, where its
# tensor cores do the work. Small matrices leave every chip idle; large ones are where the GPU's
# thousands of arithmetic units pay off.
#
# [Measure your machine](../../measure/) times the same product on your own CPU and GPU, in
# your browser, beside these lines.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# Read the throughput panel from left to right. Small matrices leave the hardware mostly idle:
# the fixed cost of each call dominates and there are too few outputs to share out. As $n$ grows,
# the time per call ends up rising as $n^3$ (eight times longer each time $n$ doubles), while the
# throughput climbs until the arithmetic units are saturated, then levels off. A GPU needs far
# bigger matrices than a CPU before it is fully busy, and reaches a much higher plateau once it
# is. Where the device has bf16 units, the bf16 line levels off above the fp32 one; where it does
# not, the two are close, or bf16 is the slower.
#
# How close does the CPU get to what its hardware allows? On {{ fact:machine }} the harness
# measured the CPU's FP32 peak at {{ fact:machine.peak }}: {{ fact:machine.peak.cores }} cores ×
# {{ fact:machine.peak.flops_per_cycle }} FLOPs per cycle × {{ fact:machine.peak.clock }}, each
# factor measured (how is explained in
# [Reading the benchmarks](../../concepts/reading-benchmarks/#what-the-cpu-could-do-its-peak)).
# Its best fp32 matrix multiply, {{ fact:matmul.cpu.fp32.best }}, is
# {{ fact:matmul.cpu.fp32.share_of_peak }} of that peak. How much of it a matrix product reaches
# depends on the library's kernel as much as on the chip: torch hands an fp32 product on the CPU
# to its BLAS (MKL in the pip wheels), and a kernel tuned for another vendor's cores can leave half
# the FMA units idle; `nox -s selfcheck` times oneDNN's fp32 kernel beside it on your machine.
# CPUs grow matrix units too: many recent
# ones multiply bf16 pairs in one instruction (AVX512-BF16 on recent AMD and Intel cores, AMX
# tiles on recent Intel Xeons). On this machine the bf16 line reaches
# {{ fact:matmul.cpu.bf16.best }}, {{ fact:matmul.cpu.bf16.vs_fp32 }} its fp32 best: still a
# fraction of a GPU's matrix units, as the stars above it show.
#
# The stars are measured, but not by this site: the best bf16 matrix multiply that others found
# on an A100 SXM and an H100 SXM, cited with their tool and date on the
# [Sources](../../reference/sources/) page. Where no GPU has run this benchmark, the bf16 model
# line is *calibrated* by the A100 measurement: its datasheet peak times the share of it that the
# measured kernel reached, so the line ends where the measured star sits.
#
# How much faster would an H100 or an H200 be? The figure draws one GPU model, the A100's; the
# Explore button under the figure switches its model lines to other GPUs. At
# $n$ = {{ fact:matmul.model.h100-sxm.bf16.largest_size }} in bf16,
# {{ fact:matmul.model.h100-sxm.bf16.kind }} is {{ fact:matmul.model.h100-sxm.bf16.largest }}
# faster than the CPU of {{ fact:matmul.machine }} in bf16, and
# {{ fact:matmul.model.h200-sxm.bf16.kind }} {{ fact:matmul.model.h200-sxm.bf16.largest }}. The
# two share one chip and its peak, and a product of this size is limited by arithmetic, so the
# H200's faster memory barely shows. Both are models of what the datasheets allow, not
# measurements: the cited H100 star shows what a real kernel reached.

# %% [markdown]
# ## How it works
#
# $$y = x W^\top + b$$
#
# where each row of $x$ is one input of the batch, row $j$ of the weight matrix $W$ holds the
# weights of output $j$, and the bias $b$ is added at the end. Stack a batch of inputs as the rows
# of $x$ and the whole layer is **one matrix multiply**. Attention, the core of a transformer, is
# built from matrix multiplies too, and a convolution can be rearranged into one. Most of the
# arithmetic in deep learning happens inside them.
#
# Every element of the result is a *dot product* of its own:
#
# $$y_{ij} = \sum_{c} x_{ic} \, W_{jc}$$
#
# Element $(i, j)$ needs row $i$ of $x$ and row $j$ of $W$, and nothing any other element computes.
# This page keeps everything square: a batch of $n$ inputs, $n$ features in and $n$ outputs, so
# $x$, $W$ and $y$ are all $n \times n$. The result is $n^2$ independent dot products, each of $n$
# multiply-adds: $2n^3$ floating-point operations (FLOPs) in all, on only $3n^2$ numbers (two
# inputs read, one output written). The work grows as the cube of the size but the data only as
# its square: each number read takes part in $n$ different dot products. A big matrix multiply is
# therefore limited by how fast the hardware can multiply and add, not by how fast it can move
# data, which is the kind of job where the thousands of arithmetic units of a GPU pay off.
#
# Small matrices tell the opposite story. A $64 \times 64$ multiply is over in microseconds, and
# most of that is fixed cost: Python calling into PyTorch, PyTorch choosing a kernel and, on a GPU,
# launching it. There are also too few outputs to split into enough pieces to keep every core
# busy. Throughput only climbs once the matrices are large.
#
# This page measures the throughput (FLOPs per second) of the square matrix multiply
# $y = x W^\top$ against the side $n$ of the matrices, in two number formats:
#
# - **fp32**: 32-bit floating point, PyTorch's default. PyTorch keeps fp32 matrix multiplies in
#   full fp32 precision unless you opt into faster, less precise modes with
#   `torch.set_float32_matmul_precision`.
# - **bf16**: bfloat16, a 16-bit format with the same range as fp32 (8 exponent bits) but only 8
#   bits of precision (7 stored), about two to three significant decimal digits. It halves the
#   bytes to move and store, and many chips have units that multiply bf16 numbers several at a time
#   while adding the products up in fp32: tensor cores on recent NVIDIA GPUs, AMX on recent Intel
#   Xeons, and the AVX512-BF16 instructions of some Intel and AMD CPUs. Training in bf16 (usually
#   with an fp32 copy of the weights) is common practice, because neural networks tolerate the
#   lost digits.
#
# Where a device cannot multiply bf16 matrices, the benchmark records the bf16 points as skipped,
# with the reason. A CPU without bf16 instructions still runs bf16 by converting to fp32 on the
# way, which can be slower than fp32 itself.

# %%
import torch

from whygpu.contract import Unsupported, Work

TITLE = "Matrix multiply"
SIZE_LABEL = "matrix side n"
BENCHMARK_VERSION = 1
METRIC = "flops"

SIZES = {
    "quick": [64, 128, 256, 512, 1024, 2048],
    "full": [16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096],
}
VARIANTS = ["fp32", "bf16"]
# What the figures and facts read (whygpu.contract.meaning): fp32 is the CPU's compute ceiling's
# measured best; bf16 is quoted against fp32; the figure marks cited bf16 GPU measurements.
MEANING = {"fp32": {"ceiling": "compute"}, "bf16": {"compare_with": "fp32"}}
CITED_BESIDE = "matmul_bf16"
DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "fp32") -> Work:
    """FLOPs and bytes of one n x n times n x n multiply."""
    dtype = DTYPES[variant]
    return Work(
        flops=2 * size**3,  # n * n outputs, each n multiplies and n adds
        bytes_moved=3 * size**2 * dtype.itemsize,  # x and W read once, y written once
        params={"batch": size, "in_features": size, "out_features": size, "dtype": str(dtype)[6:]},
    )


def inputs(size: int, device: torch.device, variant: str = "fp32"):
    """The same random layer input `x` and weight `W` for every variant (rounded for bf16)."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(size, size, generator=generator)
    w = torch.randn(size, size, generator=generator)
    return x.to(device, DTYPES[variant]), w.to(device, DTYPES[variant])


def require_bf16(device: torch.device) -> None:
    """Raise Unsupported, saying why, where `device` cannot multiply bf16 matrices."""
    if device.type == "cuda" and not torch.cuda.is_bf16_supported(including_emulation=False):
        from whygpu.measure.devices import device_name

        raise Unsupported(f"{device_name(device)} has no native bf16 support")
    try:
        probe = torch.ones(2, 2, dtype=torch.bfloat16, device=device)
        torch.mm(probe, probe)
    except (RuntimeError, TypeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise Unsupported(f"bf16 matrix multiply fails on {device.type}: {first}") from exc


def workload(size: int, device: torch.device, variant: str = "fp32"):
    """Random `x` and `W` on `device`; the returned call computes y = x W^T into a fixed `y`."""
    if variant == "bf16":
        require_bf16(device)
    x, w = inputs(size, device, variant)
    y = torch.empty(size, size, dtype=x.dtype, device=device)  # allocated once, outside the timing
    # w.t() is a view: the BLAS library reads W transposed without copying it.
    return lambda: torch.mm(x, w.t(), out=y)


# --8<-- [end:workload]

# %% [markdown]
# ## One output, computed on its own
#
# To see the independence for real, compute a few outputs by hand, each as the dot product of one
# row of `x` with one row of `W`, and compare them with what the matrix multiply produced.

# %%
def check_dot_products(size: int = 256) -> float:
    """Largest difference between hand-computed dot products and the matrix multiply's outputs."""
    cpu = torch.device("cpu")
    x, w = inputs(size, cpu)
    y = workload(size, cpu, "fp32")()
    positions = [(0, 0), (size // 2, 3), (size - 1, size - 1)]
    return max(float((torch.dot(x[i], w[j]) - y[i, j]).abs()) for i, j in positions)

# %% [markdown]
# ## What bf16 costs in accuracy
#
# Both formats below start from the same fp32 inputs; bf16 rounds them to 16 bits first. The
# error is the largest difference between the two results, as a fraction of the largest output.

# %%
def bf16_error(size: int, device: torch.device) -> float:
    """Largest |bf16 result - fp32 result|, relative to the largest fp32 output."""
    y32 = workload(size, device, "fp32")().double()
    y16 = workload(size, device, "bf16")().double()
    return float((y16 - y32).abs().max() / y32.abs().max())

# %% [markdown]
# ## Run it
#
# The cell below times one size in both formats on the best device present (the GPU if there is
# one, else the CPU), with the same harness the benchmark uses: warm-up first, the device
# synchronized before each clock read, all CPU cores in use, and the median of many samples.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(size: int = 1024) -> dict[str, float]:
    """Time fp32 and bf16 at one size on the best device, and print throughput and bf16's error."""
    from whygpu.measure.beside import sentence
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import cpu_identity, physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    error = check_dot_products()
    print(f"hand-computed dot products match the matrix multiply to within {error:.1e}")

    device = best_device()
    print(f"device: {device} ({device_name(device)}), {physical_cores()} CPU threads")
    result: dict[str, float] = {}
    for variant in VARIANTS:
        try:
            call = workload(size, device, variant)
        except Unsupported as exc:
            print(f"{variant}: skipped ({exc})")
            continue
        timing = measure(
            call,
            device,
            num_threads=physical_cores(),
            plan=TimingPlan(min_run_time=0.2, min_blocks=5),
        )
        gflops = work(size, variant).flops / timing.median_s / 1e9
        print(
            f"{variant}: {size} x {size} matrices, median {timing.median_s * 1e3:.2f} ms per call "
            f"({len(timing.samples_s)} samples) = {gflops:.1f} GFLOP/s"
        )
        result[f"{variant}_s"] = timing.median_s
        result[f"{variant}_gflops"] = gflops
    if "bf16_s" in result:
        result["bf16_error"] = bf16_error(size, device)
        print(f"bf16 differs from fp32 by at most {result['bf16_error']:.2%} of the largest output")
    rates = {v: result[f"{v}_gflops"] for v in VARIANTS if f"{v}_gflops" in result}
    print(sentence("matmul", size, rates, cpu_identity(), on_cpu=device.type == "cpu"))
    return result


if __name__ == "__main__":
    main()
