"""The busy-machine check: judged from snapshots fed to it (quiet, busy, borderline), and a
sampler that reads the machine without counting the harness's own processes."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

from whygpu.measure import load


def _times(name: str, cpu_s: float, *threads: float) -> load.ProcessTimes:
    return load.ProcessTimes(name, cpu_s, dict(enumerate(threads or (cpu_s,))))


def _judge(used: dict[int, tuple[str, float]], wall: float = 1.0) -> load.LoadSample:
    """Processes (pid: name, CPU seconds used in the window, all in one thread) over `wall`."""
    before = {pid: _times(name, 10.0) for pid, (name, _) in used.items()}
    after = {pid: _times(name, 10.0 + s) for pid, (name, s) in used.items()}
    return load.judge("before the sweep", before, after, wall)


def test_a_quiet_machine_is_not_busy_and_names_no_one():
    seen = _judge({1: ("sshd", 0.01), 2: ("cron", 0.02)})
    assert seen.other_cores == pytest.approx(0.03)
    assert not seen.busy
    assert seen.other_threads == 0 and seen.busiest is None
    assert seen.when == "before the sweep"


def test_a_process_using_a_core_makes_it_busy_and_is_named():
    seen = _judge({7: ("stress", 0.5), 8: ("sshd", 0.01)}, wall=0.5)
    assert seen.other_cores == pytest.approx(1.02)
    assert seen.busy
    assert seen.other_threads == 1, "stress's one thread ran the whole window"
    assert seen.busiest == "stress 1.00", "below 0.05 of a core is not named"


def test_busy_means_more_than_the_threshold_not_equal_to_it():
    at = _judge({1: ("x", load.BUSY_CORES)})
    above = _judge({1: ("x", load.BUSY_CORES + 0.01)})
    assert at.other_cores == pytest.approx(load.BUSY_CORES) and not at.busy
    assert above.busy


def test_processes_of_one_name_add_up_and_the_busiest_three_are_named_first():
    used = {1: ("python", 0.3), 2: ("python", 0.3), 3: ("a", 0.2), 4: ("b", 0.1), 5: ("c", 0.06)}
    seen = _judge(used)
    assert seen.busiest == "python 0.60, a 0.20, b 0.10"
    assert seen.other_cores == pytest.approx(0.96)


def test_a_thread_runs_when_it_used_its_share_of_the_window():
    share = load.RUNNING_SHARE
    before = {1: _times("app", 0.0, 0.0, 0.0, 0.0)}
    after = {1: _times("app", 1.0, share, share * 0.9, 0.0)}  # at, below, idle
    seen = load.judge("after round 1", before, after, 1.0)
    assert seen.other_threads == 1


def test_a_process_or_thread_without_a_baseline_is_not_counted():
    before = {1: _times("old", 0.0, 0.0)}
    after = {
        1: load.ProcessTimes("old", 0.1, {0: 0.0, 9: 0.1}),  # thread 9 started meanwhile
        2: _times("new", 5.0),  # started meanwhile: its 5 s were mostly before the window
    }
    seen = load.judge("x", before, after, 1.0)
    assert seen.other_cores == pytest.approx(0.1)
    assert seen.other_threads == 0


def test_cpu_time_never_runs_backwards():
    # a process id reused between the snapshots reads less than before: it counts as zero
    seen = load.judge("x", {1: _times("a", 9.0)}, {1: _times("b", 1.0)}, 1.0)
    assert seen.other_cores == 0.0 and not seen.busy


def test_without_per_process_times_the_machine_total_less_our_own_is_judged():
    busy = load.judge_totals("x", machine_s=1.5, own_s=0.5, wall_s=1.0)
    assert busy.other_cores == pytest.approx(1.0) and busy.busy
    assert busy.other_threads == 0 and busy.busiest is None
    assert load.judge_totals("x", 0.3, 0.5, 1.0).other_cores == 0.0
    unknown = load.judge_totals("x", None, 0.5, 1.0)
    assert not unknown.busy and "not measured" in unknown.busiest


def test_oversubscription_is_named_only_when_threads_outnumber_cpus():
    busy = load.LoadSample("after round 1", 1.0, 1, "stress 1.00")
    text = busy.describe(threads=2, cpus=2)
    assert "oversubscribed" in text and "stress 1.00" in text and "1.00 of 2 CPUs" in text
    assert "oversubscribed" not in busy.describe(threads=1, cpus=2)
    assert "oversubscribed" not in load.LoadSample("x", 1.0, 0, None).describe(4, 2)


def test_the_record_keeps_what_the_results_file_stores():
    record = load.LoadSample("after round 2", 0.123456, 3, "a 0.12").record()
    assert record == {
        "when": "after round 2",
        "other_cores": 0.123,
        "other_threads": 3,
        "busiest": "a 0.12",
    }


# -- the sampler: what it reads, not how busy this machine is ---------------------------------

needs_psutil = pytest.mark.skipif(load.psutil is None, reason="psutil is not installed")


@pytest.fixture
def child():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc
    proc.kill()
    proc.wait()


@needs_psutil
def test_the_harness_and_its_children_are_its_own(child):
    mine = load._own_pids()
    assert {os.getpid(), child.pid} <= mine
    seen = load.snapshot(mine)
    assert os.getpid() not in seen and child.pid not in seen
    assert child.pid in load.snapshot(set()), "other processes are read"


@needs_psutil
def test_a_snapshot_reads_cpu_seconds_for_the_process_and_its_threads():
    mine = load.snapshot(set())[os.getpid()]
    assert mine.name and mine.cpu_s > 0
    assert mine.threads and all(t >= 0 for t in mine.threads.values())


def _is_a_reading(seen: load.LoadSample, when: str) -> bool:
    return seen.when == when and math.isfinite(seen.other_cores) and seen.other_cores >= 0


def test_the_sampler_returns_a_reading():
    seen = load.sample("before the sweep", seconds=0.05)
    assert _is_a_reading(seen, "before the sweep"), seen
    assert seen.other_threads >= 0


def test_without_psutil_the_sampler_reads_the_kernel_totals(monkeypatch):
    if not load.Path("/proc/stat").exists():
        pytest.skip("no /proc/stat: the fallback is for Linux machines without psutil")
    assert load._machine_seconds() > 0
    monkeypatch.setattr(load, "psutil", None)
    seen = load.sample("after round 1", seconds=0.05)
    assert _is_a_reading(seen, "after round 1"), seen
    assert seen.other_threads == 0 and seen.busiest is None
