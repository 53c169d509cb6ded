"""The timing rules: warm-up outside the timed region, sync before clock reads, threads, spread."""

from __future__ import annotations

import time

import pytest
import torch

from whygpu.measure import timing
from whygpu.measure.timing import Timing, TimingPlan, measure

FAST = TimingPlan(min_run_time=0.02, min_blocks=5, warmup_calls=2)


def test_samples_are_per_call_seconds():
    def sleep_1ms():
        time.sleep(0.001)

    t = measure(sleep_1ms, torch.device("cpu"), num_threads=1, plan=FAST)
    assert len(t.samples_s) >= FAST.min_blocks
    # A 1 ms sleep takes at least 1 ms; a block time not divided by its calls would be >> 2 ms.
    assert 0.001 <= t.median_s < 0.01
    assert all(s > 0 for s in t.samples_s)
    assert t.iqr_s >= 0


def test_slow_calls_still_give_min_blocks_samples():
    t = measure(
        lambda: time.sleep(0.01),
        torch.device("cpu"),
        num_threads=1,
        plan=TimingPlan(min_run_time=0.01, min_blocks=6, warmup_calls=1),
    )
    assert len(t.samples_s) >= 6


def test_warmup_calls_are_not_timed():
    calls = []

    def first_call_is_slow():
        calls.append(None)
        time.sleep(0.2 if len(calls) == 1 else 0.0005)

    t = measure(first_call_is_slow, torch.device("cpu"), num_threads=1, plan=FAST)
    assert max(t.samples_s) < 0.1, "the slow first call leaked into the timed samples"
    assert len(calls) > FAST.min_blocks


@pytest.mark.parametrize("threads", [1, 2])
def test_thread_count_is_set_during_timing_and_restored(threads):
    seen = set()
    before = torch.get_num_threads()
    measure(
        lambda: seen.add(torch.get_num_threads()),
        torch.device("cpu"),
        num_threads=threads,
        plan=FAST,
    )
    assert seen == {threads}
    assert torch.get_num_threads() == before


def test_invalid_thread_count_is_rejected():
    with pytest.raises(ValueError, match="num_threads"):
        measure(lambda: None, torch.device("cpu"), num_threads=0, plan=FAST)


def test_clock_synchronizes_the_device_before_every_read(monkeypatch):
    synced = []
    monkeypatch.setattr(timing, "synchronize", lambda device: synced.append(device))
    device = torch.device("cpu")
    t = measure(lambda: None, device, num_threads=1, plan=FAST)
    # one read before and after the warm-up, and two per timed block at least
    assert len(synced) >= 2 + 2 * len(t.samples_s)
    assert set(synced) == {device}


def test_noisy_flag_follows_the_iqr_rule():
    assert Timing(median_s=1.0, iqr_s=0.11, samples_s=[1.0]).noisy
    assert not Timing(median_s=1.0, iqr_s=0.09, samples_s=[1.0]).noisy
