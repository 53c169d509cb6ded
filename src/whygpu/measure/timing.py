"""Correct timing of one callable on one device, on top of `torch.utils.benchmark`.

The rules it follows (see docs/reading-benchmarks): warm up outside the timed region, synchronize
the device before every clock read, set the CPU thread count explicitly (Timer's default is 1),
keep every raw sample, report the median and the IQR, and flag a noisy point.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch
from torch.utils.benchmark import Timer

from whygpu.contract.thresholds import NOISY_IQR_FRACTION
from whygpu.measure.devices import synchronize


@dataclass(frozen=True)
class TimingPlan:
    """How long to measure one point: the knobs a sweep profile sets."""

    min_run_time: float = 0.2  # seconds of timed blocks, at least
    min_blocks: int = 5  # never fewer samples than this, even for slow calls
    warmup_calls: int = 2  # untimed calls first: allocator, library handles, cuDNN autotune


@dataclass(frozen=True)
class Timing:
    """One measured point: seconds per call."""

    median_s: float
    iqr_s: float
    samples_s: list[float] = field(repr=False)
    calls_per_sample: int = 1
    num_threads: int = 1

    @property
    def noisy(self) -> bool:
        return self.iqr_s > NOISY_IQR_FRACTION * self.median_s


def device_clock(device: torch.device) -> Callable[[], float]:
    """A clock that first waits for `device`, so a reading includes the work queued before it."""

    def clock() -> float:
        synchronize(device)
        return time.perf_counter()

    return clock


def measure(
    fn: Callable[[], object],
    device: torch.device,
    *,
    num_threads: int,
    plan: TimingPlan | None = None,
) -> Timing:
    """Time `fn()` on `device` and return its per-call median, IQR and raw samples."""
    plan = plan or TimingPlan()
    if num_threads < 1:
        raise ValueError(f"num_threads must be >= 1, got {num_threads}")
    clock = device_clock(device)
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(num_threads)
    try:
        start = clock()
        for _ in range(max(1, plan.warmup_calls)):
            fn()
        per_call = (clock() - start) / max(1, plan.warmup_calls)
        # Ask for enough run time that a slow call still yields `min_blocks` samples; the block
        # size Timer picks is only known afterwards, so top up until there are enough.
        min_run_time = max(plan.min_run_time, plan.min_blocks * per_call)
        timer = Timer(stmt="fn()", globals={"fn": fn}, timer=clock, num_threads=num_threads)
        samples: list[float] = []
        calls_per_sample: list[int] = []
        while len(samples) < plan.min_blocks:
            m = timer.blocked_autorange(min_run_time=min_run_time)
            samples += [float(t) for t in m.times]
            calls_per_sample.append(int(m.number_per_run))
            missing = plan.min_blocks - len(samples)
            min_run_time = missing * m.number_per_run * m.median * 1.05
    finally:
        torch.set_num_threads(previous_threads)
    return summarize(samples, min(calls_per_sample), num_threads)


def summarize(samples: list[float], calls_per_sample: int, num_threads: int) -> Timing:
    """Median and IQR of per-call samples: for the harness, and for examples that time
    themselves (distributed training, where the clock runs inside rank 0)."""
    q1, median, q3 = (float(v) for v in np.percentile(samples, [25, 50, 75]))
    return Timing(
        median_s=median,
        iqr_s=q3 - q1,
        samples_s=[float(v) for v in samples],
        calls_per_sample=calls_per_sample,
        num_threads=num_threads,
    )
