"""Is anything else using the CPU? Sampled before a sweep and between its rounds.

A benchmark that shares its cores measures the other program as much as itself: a run started
beside another benchmark once published 8 ms per call, flat, for matrix products from n = 64 to
512 (its threads waiting for a core). So the harness pauses for a moment, adds up the CPU time
every other process used meanwhile (psutil), and names the busiest ones. When more threads of
other processes ran than the cores left free beside the benchmark's own threads, the cores are
oversubscribed and that is named as the cause.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # a bare GPU machine: fall back to the kernel's totals (Linux)
    psutil = None

#: Other processes using more than this many cores on average make the machine busy.
BUSY_CORES = 0.25
#: A thread counts as running when it used at least this share of the sampling window.
RUNNING_SHARE = 0.2
SAMPLE_SECONDS = 0.5


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


def _cpu_seconds(mine: set[int]) -> dict[int, tuple[str, float, dict[int, float]]]:
    """Per other process: its name, CPU seconds so far, and each thread's CPU seconds."""
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
        seen[proc.pid] = (proc.info["name"] or "?", times.user + times.system, threads)
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
    if machine is None:
        return LoadSample(when, 0.0, 0, "not measured: neither psutil nor /proc/stat is here")
    used = (_machine_seconds() - machine) - (_own_seconds() - own)
    return LoadSample(when, max(0.0, used) / (time.perf_counter() - start), 0, None)


def sample(when: str, seconds: float | None = None) -> LoadSample:
    """Sit idle for `seconds` and measure what the rest of the machine did meanwhile."""
    seconds = SAMPLE_SECONDS if seconds is None else seconds
    if psutil is None:
        return _sample_without_psutil(when, seconds)
    mine = _own_pids()
    before = _cpu_seconds(mine)
    start = time.perf_counter()
    time.sleep(seconds)
    after = _cpu_seconds(mine)
    wall = time.perf_counter() - start
    used: dict[str, float] = {}
    running = 0
    for pid, (name, total, threads) in after.items():
        if pid not in before:
            continue
        _, old_total, old_threads = before[pid]
        used[name] = used.get(name, 0.0) + max(0.0, total - old_total) / wall
        running += sum(
            1 for tid, t in threads.items() if t - old_threads.get(tid, t) >= RUNNING_SHARE * wall
        )
    top = sorted(((v, k) for k, v in used.items() if v >= 0.05), reverse=True)[:3]
    busiest = ", ".join(f"{name} {v:.2f}" for v, name in top) or None
    return LoadSample(when, sum(used.values()), running, busiest)
