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
# # Past one device: data-parallel training
#
# When one device is not enough, the usual next step is **data parallelism**: every device holds
# a full copy of the model, each trains on its own slice of every batch, and after the backward
# pass the devices average their gradients, so that every copy takes the same optimizer step and
# the copies stay identical. PyTorch calls this `DistributedDataParallel` (DDP); Lightning runs it
# with one argument, `Trainer(devices=2, strategy="ddp")`, and the `LightningModule` does not
# change.

# %% [markdown]
# ## What the benchmark shows
#
# ![Samples per second against the batch size per process for one process on one core, two DDP processes on one core each, and one process on both cores at the same samples per step; the single process on both cores wins at small batches and ties the two DDP processes at the largest](../../assets/figures/ddp.svg#only-light)
# ![Samples per second against the batch size per process for one process on one core, two DDP processes on one core each, and one process on both cores at the same samples per step; the single process on both cores wins at small batches and ties the two DDP processes at the largest](../../assets/figures/ddp-dark.svg#only-dark)
#
# On **{{ fact:machine }}** two training processes with one core each reach
# {{ fact:ddp.cpu.ddp-2.best }} at {{ fact:ddp.cpu.ddp-2.best_size }} samples per process, against
# {{ fact:ddp.cpu.ddp-1.best }} for one of them alone: {{ fact:ddp.cpu.ddp-2.efficiency.best }} of
# perfect scaling, the rest lost to the all-reduce that keeps the two copies of the model equal.
# The fair comparison on one machine is the third line: **one process with both cores**, training
# the same samples per step. It wins at small batches, {{ fact:ddp.cpu.one-process.vs_ddp-2.smallest }}
# the two processes at {{ fact:ddp.cpu.one-process.vs_ddp-2.smallest_size }} per process, because
# it pays no all-reduce; at {{ fact:ddp.cpu.one-process.vs_ddp-2.largest_size }} per process the two
# are level ({{ fact:ddp.cpu.one-process.vs_ddp-2.largest }}). Data parallelism pays across devices
# that cannot share one process, such as several GPUs, not across the cores of one CPU.
#
# A closer reading of the figure comes next, then how the measurement works and the code it
# runs.

# %% [markdown]
# ## Reading the figure
#
# The time panel is one global step; the throughput panel counts the samples of all processes.
# On the CPU each DDP process gets the same share of the machine, one thread per process on a
# 2-core machine: `ddp-1` uses one core and `ddp-2` two (the caption gives the threads the run
# had in all). `one-process` uses both cores in a single process, at twice the batch, so each
# of its steps trains as many samples as a `ddp-2` step: the same work, with no all-reduce.
# At small batches a step is short and the all-reduce, a fixed cost per step, takes a large share
# of it: two processes can even be slower than one. As the batch per process grows, each step
# has more computation to spread the same communication over, and the two-process line moves
# towards twice the one-process line (on a shared machine the points scatter from run to run,
# so read the trend, not a single point). On GPUs the computation per step is far faster, so communication
# is a larger share and fast links between GPUs (NVLink) matter.

# %% [markdown]
# ## How it works
#
# This page trains the [small CNN](../train_cnn/) unchanged, with one process and with two. On a
# machine without GPUs the two processes are two CPU "devices" talking over the `gloo` library; on
# a machine with two GPUs the same code runs on the GPUs and talks over NVIDIA's NCCL.
#
# The averaging is an **all-reduce**: every process contributes its gradients and every process
# receives the sum. Its cost depends on the size of the model, not of the batch: in the usual
# ring algorithm each of N processes sends and receives 2(N-1)/N times the gradients' size (the
# parameter count times 4 bytes in fp32) every step, whatever the batch size. So the larger the
# batch per process, the more computation there is to hide that fixed communication behind, and
# the closer two processes get to twice the throughput of one.
# The same trade-off as [latency and bandwidth](../../concepts/latency-bandwidth/): a fixed cost
# per step that only enough work can amortize.
#
# **Scaling efficiency** says how close: the throughput with N processes divided by N times the
# throughput with one. 100% means perfect scaling; the rest was lost to communication and to
# processes waiting for each other.
#
# ## What changes on a cluster, and what does not
#
# The same script scales to several machines. Lightning reads the cluster's environment: under
# SLURM, `srun python train.py` with `Trainer(num_nodes=4, devices=8)` starts one process per GPU
# on every node; with PyTorch's `torchrun --nnodes=4 --nproc-per-node=8 train.py` the launcher
# starts them and Lightning joins in. What changes is how the processes are started and the
# `num_nodes`/`devices` arguments. What does not change is the model, the training step and the
# optimizer: the `LightningModule` below is imported from the single-device example as it is.

# %%
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

import torch

from whygpu.contract import Unsupported, Work

TITLE = "Past one device: data-parallel training"
SIZE_LABEL = "batch size per process (samples per step)"
BENCHMARK_VERSION = 1
METRIC = "items"
ITEM_UNIT = "samples"

SIZES = {
    "quick": [32, 128, 512],
    "full": [16, 32, 64, 128, 256, 512],
}
# one process with one process's share of the cores; two processes with DDP; and one process
# with all the cores the two share, at their global batch: the fair baseline on one machine
VARIANTS = ["ddp-1", "ddp-2", "one-process"]
# What the facts read (whygpu.contract.meaning): how many processes share a step (scaling
# efficiency), and the one-process baseline quoted against the two DDP processes.
MEANING = {
    "ddp-1": {"processes": 1},
    "ddp-2": {"processes": 2},
    "one-process": {"compare_with": "ddp-2"},
}
DDP_PROCESSES = 2  # the most processes any variant starts
WARMUP_STEPS = 10  # untimed: process-group setup, first all-reduces, allocator
BLOCK_STEPS = 5  # steps between two clock reads


def _this_file() -> Path:
    """This script's path: the ranks re-run it. A notebook has no __file__, so look for it."""
    if "__file__" in globals():
        return Path(__file__).resolve()
    for candidate in (Path("ddp.py"), Path("examples", "ddp.py")):
        if candidate.is_file():
            return candidate.resolve()
    raise FileNotFoundError("run this notebook from the repository root or from examples/")


SCRIPT = _this_file()


def world_size(variant: str) -> int:
    """Processes (devices) training together: 'ddp-2' -> 2, 'one-process' -> 1."""
    return 1 if variant == "one-process" else int(variant.split("-")[1])


def batch_per_process(size: int, variant: str) -> int:
    """'one-process' trains at the two DDP processes' global batch, so a step does the same work."""
    return size * DDP_PROCESSES if variant == "one-process" else size


def samples_per_step(size: int, variant: str) -> int:
    return batch_per_process(size, variant) * world_size(variant)


def data_shards(variant: str) -> int:
    """How many parts the training images are cut into, one per DDP rank; 'one-process', with
    twice the batch, trains on all of them, so every variant's epoch has as many steps."""
    return 1 if variant == "one-process" else DDP_PROCESSES


def train_cnn():
    """The single-device example's module: its model, data and FLOP count, unchanged."""
    if str(SCRIPT.parent) not in sys.path:
        sys.path.insert(0, str(SCRIPT.parent))
    import train_cnn as module

    return module


def work(size: int, variant: str = "ddp-2") -> Work:
    """One call is one global step: `size` samples in each DDP process, or all of them in one."""
    samples = samples_per_step(size, variant)
    return Work(
        flops=float(samples * train_cnn().train_flops_per_sample()),
        bytes_moved=0.0,  # not modelled: the figure plots samples per second
        items=float(samples),
        params={
            "batch_per_process": batch_per_process(size, variant),
            "processes": world_size(variant),
            "dtype": "float32",
        },
    )


def accelerator_for(device: torch.device, processes: int, variant: str = "ddp-2") -> str:
    """Lightning's accelerator for `processes` copies on `device`'s kind, or Unsupported."""
    if device.type == "cpu":
        return "cpu"
    if variant == "one-process":
        raise Unsupported("a GPU process drives one GPU: ddp-1 against ddp-2 is the comparison")
    if device.type == "cuda":
        if torch.cuda.device_count() < processes:
            raise Unsupported(f"{processes} processes need {processes} GPUs")
        return "gpu"
    raise Unsupported(f"DDP runs on CPU processes or CUDA GPUs, not on {device.type!r}")


def train_in_processes(
    size: int, device: torch.device, variant: str, *, threads: int, steps: int, block: int
) -> dict:
    """Launch the DDP training as its own process group; return every rank's report.

    Lightning starts the other ranks by re-running this script, so the training runs in a fresh
    process (not inside the caller), and `whygpu.measure.processes.run_group` kills the whole
    group when it ends, whatever happens.
    """
    from whygpu.measure.processes import GroupFailed, run_group

    processes = world_size(variant)
    accelerator = accelerator_for(device, processes, variant)
    with tempfile.TemporaryDirectory(prefix="whygpu-ddp-") as out:
        env = {
            **os.environ,
            "OMP_NUM_THREADS": str(threads),
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": str(_free_port()),
        }
        batch = str(batch_per_process(size, variant))
        cmd = [sys.executable, str(SCRIPT), "--worker", accelerator, str(processes), batch]
        cmd += [str(threads), str(steps), str(block), str(data_shards(variant)), out]
        try:
            run_group(cmd, timeout=600, env=env, cwd=SCRIPT.parent)
        except GroupFailed as exc:
            if len(list(Path(out).glob("rank*.json"))) != processes:
                raise
            # every rank reported its measurement, then a process failed on its way out
            print(f"warning: the ranks finished and reported, then {exc}", file=sys.stderr)
        reports = [json.loads(p.read_text()) for p in sorted(Path(out).glob("rank*.json"))]
    if len(reports) != processes:
        raise RuntimeError(f"{len(reports)} of {processes} ranks reported back")
    return {"ranks": reports}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def threads_per_process(threads: int, variant: str = "ddp-2") -> int:
    """A DDP process is one fixed-size device, the same share of the cores in every DDP variant;
    'one-process' gets all the cores the two DDP processes share."""
    share = max(1, threads // DDP_PROCESSES)
    return share * DDP_PROCESSES if variant == "one-process" else share


def run_point(size: int, device: torch.device, variant: str, *, threads: int, blocks: int):
    """One point: the rank reports and the seconds per global step rank 0 measured."""
    from whygpu.measure.timing import summarize

    per_process = threads_per_process(threads, variant)
    report = train_in_processes(
        size,
        device,
        variant,
        threads=per_process,
        steps=WARMUP_STEPS + blocks * BLOCK_STEPS,
        block=BLOCK_STEPS,
    )
    samples = [seconds / BLOCK_STEPS for seconds in report["ranks"][0]["block_s"]]
    return summarize(samples, BLOCK_STEPS, per_process), report


def measure(size: int, device: torch.device, variant: str, *, threads: int, plan):
    """Seconds per global step, read by rank 0 between blocks of steps after a warm-up: 12 blocks
    a round in the full profile, 8 in the quick one (starting the processes costs more)."""
    timing, _ = run_point(size, device, variant, threads=threads, blocks=plan.min_blocks + 4)
    return timing


def workload(size: int, device: torch.device, variant: str = "ddp-2"):
    """One call: a whole short DDP training run (the runner uses `measure` instead)."""
    processes = world_size(variant)
    accelerator_for(device, processes, variant)
    return lambda: train_in_processes(size, device, variant, threads=1, steps=20, block=5)

# %% [markdown]
# ## One rank's view
#
# Each process runs `worker` below. Lightning's `Trainer` sees `devices=2, strategy="ddp"`,
# starts the second process, joins both into a process group and wraps the model in
# `DistributedDataParallel`. Each rank trains on its own half of the training images (so the two
# copies see different samples, as they would with a `DistributedSampler`), and rank 0 reads the
# clock between blocks of steps. Every rank reports its first and last losses, so a test can check
# that both of them trained.

# %% tags=["fold"]
def worker(argv: list[str]) -> None:
    """Train on this rank's shard for `steps` steps; write rank<r>.json into the out folder."""
    import pytorch_lightning as pl
    from pytorch_lightning.strategies import DDPStrategy

    from whygpu.measure.devices import synchronize

    accelerator, processes, size, threads, steps, block, shards, out = argv
    processes, size, threads, steps, block, shards = map(
        int, (processes, size, threads, steps, block, shards)
    )
    torch.set_num_threads(threads)
    cnn = train_cnn()
    cnn.quiet()
    rank = int(os.environ.get("LOCAL_RANK", "0"))  # set by Lightning for the ranks it starts
    device = torch.device("cuda", rank) if accelerator == "gpu" else torch.device("cpu")
    pl.seed_everything(cnn.SEED, verbose=False)  # identical starting weights on every rank
    x_train, y_train, _, _ = cnn.load_data()
    # a DDP rank trains on its part of the images; one process with twice the batch on all
    shard = slice(rank, None, shards)
    batches = cnn.DeviceBatches(x_train[shard].to(device), y_train[shard].to(device), size)

    class StepClock(pl.Callback):
        def __init__(self):
            self.losses: list[tuple[int, float]] = []
            self.block_s: list[float] = []
            self.start = 0.0

        def on_train_batch_end(self, trainer, module, outputs, batch, batch_idx):
            step = trainer.global_step
            if step <= 3 or step > steps - 3:
                loss = outputs["loss"] if isinstance(outputs, dict) else outputs
                self.losses.append((step, float(loss.detach())))
            if step >= WARMUP_STEPS and (step - WARMUP_STEPS) % block == 0:
                synchronize(module.device)
                now = time.perf_counter()
                if step > WARMUP_STEPS:
                    self.block_s.append(now - self.start)
                self.start = now

    clock = StepClock()
    strategy = DDPStrategy(process_group_backend="nccl" if accelerator == "gpu" else "gloo")
    trainer = pl.Trainer(
        accelerator=accelerator,
        devices=processes,
        strategy=strategy if processes > 1 else "auto",
        max_steps=steps,
        callbacks=[clock],
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.fit(cnn.DigitsCNN(), train_dataloaders=batches)
    first = [loss for step, loss in clock.losses if step <= 3]
    last = [loss for step, loss in clock.losses if step > steps - 3]
    report = {
        "rank": trainer.global_rank,
        "world_size": trainer.world_size,
        "steps": trainer.global_step,
        "loss_first": sum(first) / len(first),
        "loss_last": sum(last) / len(last),
        "block_s": clock.block_s,
        "strategy": type(trainer.strategy).__name__,
    }
    Path(out, f"rank{trainer.global_rank}.json").write_text(json.dumps(report))
    if torch.distributed.is_initialized():  # leave no communication thread for exit to abort
        torch.distributed.destroy_process_group()

# %% [markdown]
# ## Run it
#
# The cell below trains with one process and with two at a batch of 128 per process, on the CPU
# (each process limited to the same number of threads) or, where there are two GPUs, on them.
# It prints each run's samples per second, every rank's first and last loss, and the scaling
# efficiency. (Unlike the other example pages, this one is not run while the site is built:
# starting the processes takes longer than the build may. Run `python examples/ddp.py`; the
# figure above comes from the full benchmark.)
#
# The output's first line names the machine it ran on. On the site that is the machine that
# built the page, which need not be the one behind the figure: its caption names that one.

# %% tags=["fold"]
def main(size: int = 128, blocks: int = 4, variants=tuple(VARIANTS)) -> dict[str, float]:
    """Train with each variant's processes; print throughput, losses and scaling efficiency."""
    from whygpu.measure.devices import best_device
    from whygpu.measure.hardware import physical_cores
    from whygpu.measure.provenance import this_run

    print(this_run())

    device = best_device()
    if device.type != "cuda" or torch.cuda.device_count() < 2:
        device = torch.device("cpu")
    threads = physical_cores()
    rates = {}
    for variant in variants:
        timing, report = run_point(size, device, variant, threads=threads, blocks=blocks)
        rates[variant] = work(size, variant).items / timing.median_s
        print(
            f"{variant}: {world_size(variant)} process(es) on {device.type}, "
            f"{threads_per_process(threads, variant)} thread(s) and a batch of "
            f"{batch_per_process(size, variant)} each: {rates[variant]:,.0f} samples/s"
        )
        for rank in report["ranks"]:
            print(
                f"  rank {rank['rank']} of {rank['world_size']}: loss {rank['loss_first']:.2f} "
                f"-> {rank['loss_last']:.2f} in {rank['steps']} steps ({rank['strategy']})"
            )
    if {"ddp-1", "ddp-2"} <= set(rates):
        rates["efficiency"] = rates["ddp-2"] / (2 * rates["ddp-1"])
        print(f"scaling efficiency with 2 processes: {rates['efficiency']:.0%}")
    if {"ddp-2", "one-process"} <= set(rates):
        rates["one_vs_ddp"] = rates["one-process"] / rates["ddp-2"]
        print(
            f"one process with all the cores, same samples per step: "
            f"{rates['one_vs_ddp']:.2f}x the two DDP processes"
        )
    return rates


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker(sys.argv[sys.argv.index("--worker") + 1 :])
    else:
        main()
