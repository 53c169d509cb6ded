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
# # Training a small CNN
#
# This page trains a whole (small) network, the way many people actually do it: with
# [PyTorch Lightning](https://lightning.ai/docs/pytorch/stable/), which writes the training loop
# for you.

# %% [markdown]
# ## What the benchmark shows
#
# ![Training throughput rises with batch size: bigger batches hand the hardware more independent work per step](../../assets/figures/train_cnn.svg#only-light)
# ![Training throughput rises with batch size: bigger batches hand the hardware more independent work per step](../../assets/figures/train_cnn-dark.svg#only-dark)
#
# On **{{ fact:machine }}** training the small CNN on the CPU reaches
# {{ fact:train_cnn.cpu.train.best }} at batch {{ fact:train_cnn.cpu.train.best_size }}, and samples
# per second rise with the batch: a bigger batch hands the hardware more independent work per step
# for the same fixed cost. No GPU has run this benchmark yet, and training has no datasheet model
# here, so the figure shows the CPU alone.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# Read the right-hand panel, samples per second, from left to right. At small batches each step
# does little work and its fixed cost dominates: in the left-hand panel the time of a call
# hardly grows as the batch doubles, so samples per second nearly double with it. Further right
# the time per call starts to grow with the batch, and the throughput line bends; once the
# arithmetic units are busy it flattens, and a bigger batch only makes each step longer. Where
# that happens depends on the hardware: a small CPU may still be climbing slowly at the largest
# batch measured. A GPU has far more parallel lanes than a CPU, while every step still pays a
# fixed cost in Python, in Lightning and in launching each layer's kernels, however small the
# batch; so for a network this small it can trail the CPU at small batches, and it needs much
# bigger ones before its advantage shows.
#
# Throughput is not the whole story: a bigger batch also means fewer weight updates per pass
# over the data, and past some size the learning rate has to be retuned to reach the same
# accuracy in the same number of epochs. Practitioners pick the largest batch that keeps the
# hardware busy *and* still trains well. The concept page
# [Convolution](../../concepts/convolution/) explains why the layers themselves parallelise so
# well.

# %% [markdown]
# ## How it works
#
# The data is scikit-learn's `load_digits`: 1,797 handwritten digits, each an $8 \times 8$
# grayscale image with pixel values from 0 to 16, labelled 0 to 9. It ships inside scikit-learn,
# so nothing is downloaded. The network is two $3 \times 3$ convolutions, a $2 \times 2$ max-pool
# and two fully connected layers, about 38,000 weights in all, trained with the Adam optimizer to
# minimise the cross-entropy between its ten outputs and the true label.
#
# A training *step* takes a *batch* of images, runs them forward through the network, measures
# the loss, runs backward to get the gradient of every weight, and updates the weights. The
# batch size is the knob this page turns. Within a step the images of a batch are independent
# of one another: the forward and backward pass of image 3 never reads image 7. So a batch of
# 512 hands the hardware 512 times as much work *that can run at the same time* as a batch of
# one, while the fixed cost of a step (Python, Lightning's bookkeeping, launching each layer's
# kernels, the optimizer update of 38,000 weights) stays the same. Bigger batches amortise that
# fixed cost and fill more of the parallel hardware, until it is saturated.
#
# This page is also a benchmark: it measures training throughput, in samples per second, at
# batch sizes from 16 to 512 (8 to 1,024 in the full sweep) on every accelerator present, and
# draws the figure at the top of the page.

# %% tags=["fold"]
import logging
import time
import warnings

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from lightning_fabric.utilities.throughput import Throughput
from torch import nn

from whygpu.contract import Unsupported, Work
from whygpu.measure.devices import synchronize

TITLE = "Training a small CNN"
SIZE_LABEL = "batch size (samples per step)"
BENCHMARK_VERSION = 1
METRIC = "items"
ITEM_UNIT = "samples"

SIZES = {
    "quick": [16, 32, 64, 128, 256, 512],
    "full": [8, 16, 32, 64, 128, 256, 512, 1024],
}
VARIANTS = ["train"]  # forward, loss, backward and Adam update: a full training step

STEPS = 50  # optimizer steps in one timed call
SEED = 0
LEARNING_RATE = 3e-3
TEST_FRACTION = 0.25  # held out from training, stratified by label

# The network's shapes: 1 x 8 x 8 in, 16 then 32 channels, pooled to 32 x 4 x 4, 64 hidden, 10 out.
SIDE, C1, C2, HIDDEN, CLASSES, KERNEL = 8, 16, 32, 64, 10, 3
POOLED = SIDE // 2


def quiet() -> None:
    """Silence Lightning's start-up banners and known harmless warnings, so output stays readable."""
    for name in ("pytorch_lightning", "lightning_fabric", "lightning"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # Lightning 2.6 still uses a pytree class that torch 2.13 deprecates; nothing we can act on.
    warnings.filterwarnings("ignore", message=r".*isinstance\(treespec, LeafSpec\).*")
    # Lightning suggests DataLoader workers; our batches are slices of tensors already in place.
    warnings.filterwarnings("ignore", message=r".*does not have many workers.*")

# %% [markdown]
# ## The data and the model
#
# The whole data set is about 460 KB as float32, so a practitioner keeps it on the training
# device: `DeviceBatches` below holds the images and labels there and picks each batch's rows
# with a fresh random permutation, made on the device too. There are no `DataLoader` workers and
# no copy from host memory per step. (A data set too big for device memory would instead stream
# through a `DataLoader` with worker processes.)

# %%
def load_data() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The digits as (N, 1, 8, 8) float images in [0, 1] and int64 labels: train, then test."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.images,
        digits.target,
        test_size=TEST_FRACTION,
        random_state=SEED,
        stratify=digits.target,
    )

    def images(a):
        return torch.tensor(a, dtype=torch.float32).unsqueeze(1) / 16.0

    def labels(a):
        return torch.tensor(a, dtype=torch.int64)

    return images(x_train), labels(y_train), images(x_test), labels(y_test)


class DeviceBatches:
    """Shuffled batches gathered from tensors that already live on the training device.

    Lightning accepts any iterable with a length as training data; each pass is one epoch.
    Incomplete last batches are dropped so every step has exactly `batch_size` samples.
    """

    def __init__(self, x: torch.Tensor, y: torch.Tensor, batch_size: int):
        if batch_size > len(x):
            raise ValueError(f"batch size {batch_size} exceeds the {len(x)} training samples")
        self.x, self.y, self.batch_size = x, y, batch_size

    def __len__(self) -> int:
        return len(self.x) // self.batch_size

    def __iter__(self):
        order = torch.randperm(len(self.x), device=self.x.device)
        for i in range(len(self)):
            index = order[i * self.batch_size : (i + 1) * self.batch_size]
            yield self.x[index], self.y[index]


class DigitsCNN(pl.LightningModule):
    """Two 3 x 3 convolutions, a max-pool and two linear layers: 8 x 8 digit in, 10 scores out."""

    def __init__(self, learning_rate: float = LEARNING_RATE):
        super().__init__()
        self.learning_rate = learning_rate
        self.net = nn.Sequential(
            nn.Conv2d(1, C1, KERNEL, padding=KERNEL // 2),
            nn.ReLU(),
            nn.Conv2d(C1, C2, KERNEL, padding=KERNEL // 2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(C2 * POOLED * POOLED, HIDDEN),
            nn.ReLU(),
            nn.Linear(HIDDEN, CLASSES),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.learning_rate)

# %% [markdown]
# ## Choosing the device
#
# Moving this training to a GPU changes one argument: `Trainer(accelerator="gpu")` instead of
# `accelerator="cpu"` (or `"mps"` on an Apple GPU). Lightning moves the model to the device
# for you; the data we put there ourselves, once, because it is small. The one other thing worth
# changing is the batch size: a GPU has thousands of arithmetic lanes, and a batch of 16
# tiny images cannot keep them busy. `lightning_accelerator` maps the torch device the benchmark
# runner hands us to Lightning's name for it.

# %%
ACCELERATORS = {"cpu": "cpu", "cuda": "gpu", "mps": "mps"}


def lightning_accelerator(device: torch.device) -> tuple[str, int | list[int]]:
    """Lightning's `accelerator` and `devices` arguments for one torch device."""
    if device.type not in ACCELERATORS:
        raise Unsupported(f"no Lightning accelerator for torch device type {device.type!r}")
    devices = [device.index] if device.type == "cuda" and device.index is not None else 1
    return ACCELERATORS[device.type], devices


def make_trainer(device: torch.device, **kwargs) -> pl.Trainer:
    """A bare Trainer on `device`: no logger, checkpoints, progress bar or model summary."""
    quiet()
    accelerator, devices = lightning_accelerator(device)
    return pl.Trainer(
        accelerator=accelerator,
        devices=devices,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        **kwargs,
    )


def train_flops_per_sample() -> int:
    """FLOPs of one sample's training step in the convolutions and linear layers.

    Forward: two per multiply-add. Backward: the weight gradients cost as much again, and so do
    the input gradients, except for the first layer, whose input (the image) needs none.
    Activations, pooling, the loss and Adam's update are comparatively tiny and not counted.
    """
    pixels = SIDE * SIDE
    conv1 = 2 * C1 * pixels * 1 * KERNEL * KERNEL
    conv2 = 2 * C2 * pixels * C1 * KERNEL * KERNEL
    fc1 = 2 * C2 * POOLED * POOLED * HIDDEN
    fc2 = 2 * HIDDEN * CLASSES
    forward = conv1 + conv2 + fc1 + fc2
    return 3 * forward - conv1


# --8<-- [start:workload] (the concept pages include this block: what the figure timed)
def work(size: int, variant: str = "train") -> Work:
    """One call: STEPS training steps of `size` samples each."""
    samples = STEPS * size
    return Work(
        flops=float(samples * train_flops_per_sample()),
        bytes_moved=0.0,  # not modelled: the figure plots samples per second
        items=float(samples),
        params={
            "batch": size,
            "steps": STEPS,
            "image": f"1x{SIDE}x{SIDE}",
            "dtype": "float32",
            "optimizer": "Adam",
            "data": "on device",
        },
    )


def workload(size: int, device: torch.device, variant: str = "train"):
    """Model and training data on `device`, built once; the call trains for STEPS steps.

    One call builds a fresh Trainer and runs `trainer.fit`: Lightning's setup (moving the model
    to the device, a new Adam optimizer), STEPS full training steps, and its teardown (which moves
    the model back to host memory). The model keeps learning from one call to the next.
    """
    lightning_accelerator(device)  # raise Unsupported before building anything
    torch.manual_seed(SEED)
    x_train, y_train, _, _ = load_data()
    batches = DeviceBatches(x_train.to(device), y_train.to(device), size)
    model = DigitsCNN()

    def train_steps() -> pl.Trainer:
        trainer = make_trainer(device, max_steps=STEPS)
        trainer.fit(model, train_dataloaders=batches)
        return trainer

    return train_steps


# --8<-- [end:workload]

# %% [markdown]
# ## Train, test, and measure
#
# `train` below is ordinary Lightning: a `Trainer`, a `fit` over several epochs, then accuracy
# on the quarter of the images held out from training. While it trains, a small callback feeds
# Lightning's own `Throughput` meter (the one behind its `ThroughputMonitor` callback, which
# reports only to a logger) and reads off samples per second over the last steps.
#
# After that, `main` times one benchmark call with the same harness the sweep uses: warm-up
# first, the device synchronized before each clock read, and the median of many samples. One
# call is a fresh `Trainer` plus a `fit` of 50 steps, so its time includes Lightning's start-up
# and teardown as well as the steps; that fixed part is the same at every batch size.
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %%
class SamplesPerSecond(pl.Callback):
    """Feeds Lightning's `Throughput` meter after every training step."""

    def __init__(self, window: int = 50):
        self.window = window

    def on_train_start(self, trainer, pl_module):
        self.meter = Throughput(window_size=self.window)
        self.samples, self.steps = 0, 0
        self.start = time.perf_counter()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        synchronize(pl_module.device)  # a GPU step counts only once it has finished
        self.samples += len(batch[0])
        self.steps += 1
        elapsed = time.perf_counter() - self.start
        self.meter.update(time=elapsed, batches=self.steps, samples=self.samples)

    def samples_per_s(self) -> float:
        """Rolling rate over the last `window` steps (over all of them if there were fewer)."""
        metrics = self.meter.compute()
        return metrics.get("device/samples_per_sec", metrics["samples"] / metrics["time"])


def accuracy(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """Fraction of rows whose highest score is at the true label."""
    return (logits.argmax(dim=1) == labels).float().mean().item()


def evaluate(model: DigitsCNN, x: torch.Tensor, y: torch.Tensor) -> float:
    """Test accuracy of `model` on images `x` with labels `y`."""
    model.eval()
    with torch.inference_mode():
        logits = model(x.to(model.device))
    return accuracy(logits.cpu(), y)


def train(
    device: torch.device, epochs: int, batch_size: int = 64, callbacks=()
) -> tuple[DigitsCNN, float]:
    """Train a fresh model for `epochs` epochs on `device`; return it and its test accuracy."""
    pl.seed_everything(SEED, verbose=False)
    x_train, y_train, x_test, y_test = load_data()
    model = DigitsCNN()
    trainer = make_trainer(device, max_epochs=epochs, callbacks=list(callbacks))
    trainer.fit(
        model, train_dataloaders=DeviceBatches(x_train.to(device), y_train.to(device), batch_size)
    )
    return model, evaluate(model, x_test, y_test)


def main(size: int = 64, epochs: int = 10) -> dict[str, float]:
    """Train and test on the best device, then time one benchmark call there; print both."""
    from whygpu.measure.devices import best_device, device_name
    from whygpu.measure.hardware import physical_cores
    from whygpu.measure.provenance import this_run
    from whygpu.measure.timing import TimingPlan, measure

    print(this_run())

    device = best_device()
    print(f"device: {device} ({device_name(device)})")
    meter = SamplesPerSecond()
    _, test_accuracy = train(device, epochs, batch_size=size, callbacks=[meter])
    train_rate = meter.samples_per_s()
    print(
        f"trained {epochs} epochs at batch {size}: {train_rate:,.0f} samples/s "
        f"(Lightning Throughput, last {meter.window} steps)"
    )
    print(f"test accuracy: {test_accuracy:.1%}")

    cost = work(size)
    call = workload(size, device)
    timing = measure(
        call, device, num_threads=physical_cores(), plan=TimingPlan(min_run_time=0.2, min_blocks=5)
    )
    rate = cost.items / timing.median_s
    print(
        f"benchmark call ({STEPS} steps x {size} samples, {timing.num_threads} CPU threads): "
        f"median {timing.median_s * 1e3:.1f} ms (IQR {timing.iqr_s * 1e3:.1f} ms, "
        f"{len(timing.samples_s)} samples) = {rate:,.0f} samples/s"
    )
    return {
        "test_accuracy": test_accuracy,
        "train_samples_per_s": train_rate,
        "median_s": timing.median_s,
        "samples_per_s": rate,
    }


if __name__ == "__main__":
    main()
