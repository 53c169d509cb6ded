"""One `whygpu run`: which accelerators are present, the machine's limits, every example's sweep.

The CPU's peak and memory bandwidth are measured once per run, before the first sweep, and go
into every CPU results file of the run, so each file says what its points can be compared to.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from whygpu.contract import examples
from whygpu.contract.names import ACCELERATORS, EXIT_BUSY, EXIT_NO_GPU
from whygpu.contract.thresholds import ROUNDS
from whygpu.measure import cpu_peak, memory, progress, provenance, runner
from whygpu.measure.devices import DeviceUnavailable, resolve
from whygpu.measure.hardware import physical_cores
from whygpu.measure.progress import estimate
from whygpu.store import files


def cpu_limits(threads: int) -> dict[str, Any] | None:
    """The CPU's peak (with its derivation) and triad bandwidth, printed as they are found."""
    try:
        peak = cpu_peak.estimate(threads)
    except cpu_peak.PeakError as exc:
        print(f"CPU peak not recorded: {exc}", file=sys.stderr)
        return None
    bandwidth, how = memory.triad_bandwidth(threads)
    print(
        f"CPU peak {peak.flops / 1e9:,.0f} GFLOP/s = {peak.cores.value:g} cores x "
        f"{peak.flops_per_cycle.value:g} FLOPs/cycle x {peak.clock_hz.value / 1e9:.2f} GHz; "
        f"memory {bandwidth / 1e9:.1f} GB/s (triad)"
    )
    return {"peak": peak.record(), "memory_bytes_per_s": {"value": bandwidth, "how": how}}


def _recorded(results_dir: Path, machine: str) -> tuple[progress.Recorded, str]:
    """The points' times that results already record: this machine's, else the machines' in
    `results_dir` (a fresh clone's committed ones), else none; and what the guess rests on."""
    try:
        docs = files.load_all(results_dir)
    except (files.ResultsError, OSError, ImportError, ValueError):  # a guess never stops a run
        docs = []
    mine = [d for d in docs if d["machine"] == machine]
    if mine:
        return progress.recorded(mine, runner.PLANS), "this machine's earlier results"
    if docs:
        return progress.recorded(docs, runner.PLANS), "other machines' results"
    return {}, "the plan alone"


def run(
    accelerator: str,
    profile: str,
    *,
    only: list[str] | None,
    machine: str | None,
    force: bool,
    threads: int | None,
    examples_dir: Path,
    results_dir: Path,
    require_gpu: bool = False,
    require_quiet: bool = False,
    rounds: int | None = None,
) -> int:
    """Measure the examples on each accelerator asked for; the exit status."""
    wanted = list(ACCELERATORS) if accelerator == "all" else [accelerator]
    present = []
    for name in wanted:
        try:
            resolve(name)
        except DeviceUnavailable as exc:
            print(f"whygpu run --accelerator {name}: {exc}", file=sys.stderr)
            if name == accelerator or require_gpu:
                return EXIT_NO_GPU
            print("  (skipped; --require-gpu makes this an error)", file=sys.stderr)
        else:
            present.append(name)
    found = examples.discover(Path(examples_dir), only)
    machine = machine or provenance.machine_name()
    known, source = _recorded(Path(results_dir), machine)
    points, guess = estimate(found, runner.PLANS[profile], profile, rounds, known)
    where = " and ".join(present) or "nothing"
    print(
        f"{points} points x {rounds or ROUNDS[profile]} rounds on {where}: about "
        f"{progress.spoken(len(present) * guess)} (a guess from {source})"
    )
    started = time.perf_counter()
    limits = cpu_limits(threads or physical_cores()) if "cpu" in present else None
    for name in present:
        print(
            f"machine: {machine}   profile: {profile}   accelerator: {name}   "
            f"examples: {', '.join(e.slug for e in found)}"
        )
        options = runner.RunOptions(
            accelerator=name,
            profile=profile,
            machine=machine,
            force=force,
            results_dir=Path(results_dir),
            num_threads=threads,
            require_quiet=require_quiet,
            cpu_limits=limits,
            rounds=rounds,
        )
        for example in found:
            try:
                report = runner.run_example(example, options)
            except runner.MachineBusy as exc:
                print(f"whygpu run: the machine is busy: {exc}", file=sys.stderr)
                return EXIT_BUSY
            print("\n".join(report.summary()))
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0
