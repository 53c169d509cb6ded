"""The busy-machine check: another process's CPU time is seen, named, and the cause said."""

from __future__ import annotations

import subprocess
import sys

import pytest

from whygpu.measure import load

SPIN = "import time\nend = time.time() + 30\nwhile time.time() < end: pass\n"


@pytest.fixture
def spinner():
    """A process that keeps one core busy, started before the sample."""
    proc = subprocess.Popen([sys.executable, "-c", SPIN])
    yield proc
    proc.kill()
    proc.wait()


def test_another_process_using_a_core_is_seen_and_named(spinner, monkeypatch):
    # the spinner is this test's child, which the harness would count as its own: not here
    monkeypatch.setattr(load, "_own_pids", lambda: {load.os.getpid()})
    seen = load.sample("before the sweep", seconds=0.6)
    assert seen.other_cores > 0.5, seen
    assert seen.busy
    assert seen.other_threads >= 1
    assert seen.busiest and "python" in seen.busiest.lower()
    assert "other processes used" in seen.describe(threads=2, cpus=2)


def test_the_harness_own_processes_are_not_other_processes(spinner):
    seen = load.sample("before the sweep", seconds=0.6)
    assert seen.other_cores < 0.5, f"the harness's own child was counted as another: {seen}"


def test_without_psutil_the_kernel_totals_still_see_a_busy_core(spinner, monkeypatch):
    if not load.Path("/proc/stat").exists():
        pytest.skip("no /proc/stat: the fallback is for Linux machines without psutil")
    monkeypatch.setattr(load, "psutil", None)
    # os.times counts only children that have exited, so the running spinner counts as other
    seen = load.sample("before the sweep", seconds=0.6)
    assert seen.other_cores > 0.5, seen
    assert seen.other_threads == 0 and seen.busiest is None


def test_oversubscription_is_named_only_when_threads_outnumber_cpus():
    busy = load.LoadSample("after round 1", 1.0, 1, "stress 1.00")
    assert "oversubscribed" in busy.describe(threads=2, cpus=2)
    assert "oversubscribed" not in busy.describe(threads=1, cpus=2)
    assert load.LoadSample("x", 0.1, 0, None).busy is False
