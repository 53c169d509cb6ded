"""Is anything else using the CPU? Sampled before a sweep and between its rounds.

A benchmark that shares its cores measures the other program as much as itself: a run started
beside another benchmark once published 8 ms per call, flat, for matrix products from n = 64 to
512 (its threads waiting for a core). So the harness pauses for a moment, adds up the CPU time
every other process used meanwhile (psutil), and names the busiest ones. When more threads of
other processes ran than the cores left free beside the benchmark's own threads, the cores are
oversubscribed and that is named as the cause.

`judge` decides from two snapshots of other processes' CPU times, so it can be fed any; `sample`
is the sampler that takes them from the machine.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from whygpu.contract.thresholds import BUSY_CORES, LOAD_SAMPLE_S

try:
    import psutil
except ImportError:  # a bare GPU machine: fall back to the kernel's totals (Linux)
    psutil = None

#: A thread counts as running when it used at least this share of the sampling window.
RUNNING_SHARE = 0.2
SAMPLE_SECONDS = LOAD_SAMPLE_S


@dataclass(frozen=True)
class LoadSample:
    when: str
    other_cores: float  # CPU seconds other processes used per second of wall time
    other_threads: int  # threads of other processes that ran for most of the window
    busiest: str | None  # "name 0.93, name 0.40": the processes that used the most

    @property
    def busy(self) -> bool:
        return self.other_cores > BUSY_CORES

    def record(self) -> dict[str, object]:
        return {
            "when": self.when,
            "other_cores": round(self.other_cores, 3),
            "other_threads": self.other_threads,
            "busiest": self.busiest,
        }

    def describe(self, threads: int, cpus: int) -> str:
        """One sentence: how much, by whom, and whether cores were oversubscribed."""
        text = f"other processes used {self.other_cores:.2f} of {cpus} CPUs {self.when}"
        if self.busiest:
            text += f" ({self.busiest})"
        if oversubscribed(self, threads, cpus):
            text += (
                f"; with this run's {threads} threads, {self.other_threads + threads} threads "
                f"wanted {cpus} CPUs: oversubscribed, so threads wait for a core"
            )
        return text


def oversubscribed(sample: LoadSample, threads: int, cpus: int) -> bool:
    return sample.other_threads > 0 and sample.other_threads + threads > cpus


@dataclass(frozen=True)
class ProcessTimes:
    """One other process at one moment: its name and the CPU seconds it has used so far."""

    name: str
    cpu_s: float  # user + system, every thread
    threads: dict[int, float]  # each thread's user + system, by thread id


#: Every other process at one moment, by process id.
Snapshot = dict[int, ProcessTimes]


def judge(when: str, before: Snapshot, after: Snapshot, wall_s: float) -> LoadSample:
    """What the other processes did between two snapshots taken `wall_s` seconds apart.

    Only processes in both snapshots count (a process that started in between has no
    baseline); a thread counts as running when it used RUNNING_SHARE of the window.
    """
    used: dict[str, float] = {}
    running = 0
    for pid, now in after.items():
        if pid not in before:
            continue
        then = before[pid]
        used[now.name] = used.get(now.name, 0.0) + max(0.0, now.cpu_s - then.cpu_s) / wall_s
        running += sum(
            1
            for tid, t in now.threads.items()
            if t - then.threads.get(tid, t) >= RUNNING_SHARE * wall_s
        )
    top = sorted(((v, k) for k, v in used.items() if v >= 0.05), reverse=True)[:3]
    busiest = ", ".join(f"{name} {v:.2f}" for v, name in top) or None
    return LoadSample(when, sum(used.values()), running, busiest)


def judge_totals(when: str, machine_s: float | None, own_s: float, wall_s: float) -> LoadSample:
    """Without per-process times: the CPU seconds the whole machine used in the window
    (None where unknown) less this process's own, with no names or threads."""
    if machine_s is None:
        return LoadSample(when, 0.0, 0, "not measured: neither psutil nor /proc/stat is here")
    return LoadSample(when, max(0.0, machine_s - own_s) / wall_s, 0, None)


# --- the sampler: reads the machine, then judges -----------------------------------------------


def snapshot(mine: set[int]) -> Snapshot:
    """Every process but those in `mine`, with the CPU seconds it and its threads used so far."""
    seen = {}
    for proc in psutil.process_iter(["name"]):
        if proc.pid in mine:
            continue
        try:
            with proc.oneshot():
                times = proc.cpu_times()
                threads = {t.id: t.user_time + t.system_time for t in proc.threads()}
        except (psutil.Error, OSError):
            continue
        seen[proc.pid] = ProcessTimes(proc.info["name"] or "?", times.user + times.system, threads)
    return seen


def _own_pids() -> set[int]:
    me = psutil.Process(os.getpid())
    try:
        return {me.pid, *(c.pid for c in me.children(recursive=True))}
    except psutil.Error:
        return {me.pid}


def _machine_seconds() -> float | None:
    """CPU seconds every process has used since boot (Linux's /proc/stat), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, *rest = map(int, fields)
    steal = rest[0] if rest else 0
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _sample_without_psutil(when: str, seconds: float) -> LoadSample:
    """Without psutil: the machine's total minus this process's, with no names or threads."""
    machine, own, start = _machine_seconds(), _own_seconds(), time.perf_counter()
    time.sleep(seconds)
    machine_after = _machine_seconds()
    wall = time.perf_counter() - start
    used = None if machine is None or machine_after is None else machine_after - machine
    return judge_totals(when, used, _own_seconds() - own, wall)


def sample(when: str, seconds: float | None = None) -> LoadSample:
    """Sit idle for `seconds` and measure what the rest of the machine did meanwhile."""
    seconds = SAMPLE_SECONDS if seconds is None else seconds
    if psutil is None:
        return _sample_without_psutil(when, seconds)
    mine = _own_pids()
    before = snapshot(mine)
    start = time.perf_counter()
    time.sleep(seconds)
    after = snapshot(mine)
    return judge(when, before, after, time.perf_counter() - start)
