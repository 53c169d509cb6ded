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
# # 2-D convolution
#
# A convolutional layer slides a small stack of filters over an image. At every position it
# multiplies a *window* of the input (here $3 \times 3$ pixels, across all input channels) element
# by element with one filter and adds the products up. That sum is one output pixel of one output
# channel, and every output pixel of every channel is computed the same way, independently.

# %% [markdown]
# ## What the benchmark shows
#
# ![Convolution throughput on the CPU levels off after small images and a training step costs several forward passes, while {{ fact:conv2d.gpu.evidence }} climbs to a plateau {{ fact:conv2d.gpu.forward.ratio }} the plain forward pass's best](../../assets/figures/conv2d.svg#only-light)
# ![Convolution throughput on the CPU levels off after small images and a training step costs several forward passes, while {{ fact:conv2d.gpu.evidence }} climbs to a plateau {{ fact:conv2d.gpu.forward.ratio }} the plain forward pass's best](../../assets/figures/conv2d-dark.svg#only-dark)
#
# On **{{ fact:machine }}** a 64-channel $3 \times 3$ convolution reaches
# {{ fact:conv2d.cpu.forward.best }} in the plain forward pass and {{ fact:conv2d.cpu.forward-cl.best }}
# with channels-last memory layout, while {{ fact:conv2d.gpu.evidence }} climbs to
# {{ fact:conv2d.gpu.forward.best }} at {{ fact:conv2d.gpu.forward.best_size }} ×
# {{ fact:conv2d.gpu.forward.best_size }} images, {{ fact:conv2d.gpu.forward.ratio }} the plain forward
# pass on the CPU. Every output pixel is independent work, so the GPU's advantage grows with the
# image.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# What to look for:
#
# - **Time per call** grows with the number of outputs, that is with the square of the image
#   side, once the image is large enough to keep the hardware busy.
# - **Throughput** shows how well the hardware is used. Where it climbs with size, small images
#   left arithmetic units idle (too few outputs to share out, and a fixed cost per call). Where it
#   falls at large sizes, the working set has outgrown the caches. A GPU has far more arithmetic
#   units than a CPU, so it needs far more independent outputs before it is busy.
# - **fwd-bwd** does three convolutions' worth of work per call (the forward pass and the two
#   gradients of training); its throughput says whether backward kernels are as efficient as the
#   forward one.
# - **forward-cl** stores the same numbers channels-last ("NHWC"). Kernels are written for a
#   layout; the one that wins differs between CPU libraries (oneDNN) and GPU libraries (cuDNN).
#
# The caption under the figure names the machine, the software and the date of the run. The
# concept page [Convolution](../../concepts/convolution/) walks through the idea.

# %% [markdown]
# ## How it works
#
# $$y_{n,o,i,j} = \sum_{c,\,p,\,q} x_{n,\,c,\,i+p,\,j+q} \; w_{o,c,p,q}$$
#
# where $n$ is the image in the batch, $o$ the output channel, $c$ the input channel and $p, q$
# the position inside the $3 \times 3$ window.
#
# Look at what the formula does **not** say: no output depends on another output. Output
# $(i, j)$ reads its own window and the filter, nothing else. A CPU core works through these sums
# a few at a time; a GPU hands each one to its own thread and computes thousands of them at once.
# That is the whole reason convolutional networks were the first deep-learning workload to move to
# GPUs.
#
# This page is also a benchmark: `nox -s benchmarks` times the layer below at several image sizes
# on every accelerator present and draws the figure at the top of the page.

# %%
import torch
import torch.nn.functional as F

from whygpu.contract import Work

TITLE = "2-D convolution"
SIZE_LABEL = "image side (pixels)"
BENCHMARK_VERSION = 2
METRIC = "flops"

# A mid-network ResNet-style layer: 64 channels in and out, 3 x 3 filters, "same" padding.
BATCH, CHANNELS, KERNEL = 8, 64, 3
SIZES = {
    "quick": [8, 16, 32, 64, 128, 256],
    "full": [4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256],
}
# forward: inference. fwd-bwd: a training step's convolution (forward, then the gradients of
# input and filters). forward-cl: forward with channels-last ("NHWC") memory layout, which
# many convolution kernels, cuDNN's tensor-core ones included, prefer.
VARIANTS = ["forward", "fwd-bwd", "forward-cl"]


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "forward") -> Work:
    """FLOPs and bytes of one call on a `size` x `size` image batch."""
    outputs = BATCH * CHANNELS * size * size  # same padding: output is as large as the input
    flops = 2 * outputs * CHANNELS * KERNEL * KERNEL  # one multiply and one add per tap
    elements = BATCH * CHANNELS * size * size * 2 + CHANNELS * CHANNELS * KERNEL * KERNEL
    # The backward pass is two more convolutions of the same size (gradient of the input, and of
    # the filters), each reading two of (x, w, dy) and writing the third's gradient.
    passes = 3 if variant == "fwd-bwd" else 1
    return Work(
        flops=passes * flops,
        bytes_moved=passes * 4 * elements,  # float32; every tensor read or written once a pass
        params={
            "batch": BATCH,
            "channels": CHANNELS,
            "kernel": KERNEL,
            "height": size,
            "width": size,
            "dtype": "float32",
            "memory_format": "channels_last" if variant == "forward-cl" else "contiguous",
        },
    )


def workload(size: int, device: torch.device, variant: str = "forward"):
    """Random input and filters on `device`; the returned call runs one convolution."""
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(BATCH, CHANNELS, size, size, generator=generator).to(device)
    w = torch.randn(CHANNELS, CHANNELS, KERNEL, KERNEL, generator=generator).to(device)
    if variant == "forward-cl":
        x = x.contiguous(memory_format=torch.channels_last)
        w = w.contiguous(memory_format=torch.channels_last)
    if variant != "fwd-bwd":
        return lambda: F.conv2d(x, w, padding=KERNEL // 2)

    x.requires_grad_(True)
    w.requires_grad_(True)
    grad_out = torch.randn(BATCH, CHANNELS, size, size, generator=generator).to(device)

    def train_step() -> tuple[torch.Tensor, ...]:
        y = F.conv2d(x, w, padding=KERNEL // 2)
        return torch.autograd.grad(y, (x, w), grad_out)

    return train_step


# --8<-- [end:workload]

# %% [markdown]
# ## One output, computed on its own
#
# To see the independence for real, compute a single output by hand from its window alone and
# compare it with what `conv2d` produced for the whole image.

# %%
def one_output(x: torch.Tensor, w: torch.Tensor, n: int, o: int, i: int, j: int) -> torch.Tensor:
    """Output pixel (i, j) of channel o, from its own 3 x 3 window and nothing else."""
    padded = F.pad(x, (KERNEL // 2,) * 4)
    window = padded[n, :, i : i + KERNEL, j : j + KERNEL]
    return (window * w[o]).sum()


def check_independence(size: int = 16) -> float:
    """Largest difference between hand-computed outputs and conv2d's, at a few positions."""
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(2, CHANNELS, size, size, generator=generator)
    w = torch.randn(CHANNELS, CHANNELS, KERNEL, KERNEL, generator=generator)
    y = F.conv2d(x, w, padding=KERNEL // 2)
    positions = [(0, 0, 0, 0), (1, 5, size // 2, 3), (0, CHANNELS - 1, size - 1, size - 1)]
    return max(float((one_output(x, w, *p) - y[p]).abs()) for p in positions)

# %% [markdown]
# ## Run it
#
# The cell below times one size on the best device present (the GPU if there is one, else the
# CPU), with the same harness the benchmark uses: warm-up first, the device synchronized before
# each clock read, all CPU cores in use, and the median of many samples.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(size: int = 64) -> dict[str, float]:
    """Check the independence claim, then time one size on the best device and print both."""
    from whygpu.measure.beside import sentence
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import cpu_identity, physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    error = check_independence()
    print(f"hand-computed outputs match conv2d to within {error:.1e}")

    device = best_device()
    cost = work(size, "forward")
    call = workload(size, device, "forward")
    out = call()
    timing = measure(
        call, device, num_threads=physical_cores(), plan=TimingPlan(min_run_time=0.2, min_blocks=5)
    )
    gflops = cost.flops / timing.median_s / 1e9
    print(f"device: {device} ({device_name(device)}), {timing.num_threads} CPU threads")
    print(f"input {BATCH}x{CHANNELS}x{size}x{size} -> output {'x'.join(map(str, out.shape))}")
    print(
        f"median {timing.median_s * 1e3:.2f} ms per call (IQR {timing.iqr_s * 1e3:.2f} ms, "
        f"{len(timing.samples_s)} samples) = {gflops:.1f} GFLOP/s"
    )
    print(sentence("conv2d", size, {"forward": gflops}, cpu_identity(), device.type == "cpu"))
    return {"error": error, "median_s": timing.median_s, "gflops": gflops}


if __name__ == "__main__":
    main()
