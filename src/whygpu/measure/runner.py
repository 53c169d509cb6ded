"""Sweeps: measure every size of every example on one accelerator, and keep what was measured.

Progress is saved after every point to a hidden in-progress file beside the results, so a run
that is interrupted resumes where it stopped; the published results file is replaced only when
the sweep is complete, in one atomic rename.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from whygpu.contract import thresholds
from whygpu.contract.examples import Example
from whygpu.contract.names import RESULTS_DIR
from whygpu.contract.thresholds import NOISY_IQR_FRACTION, ROUND_DISAGREE_FRACTION, ROUNDS
from whygpu.measure import backends, provenance
from whygpu.measure.devices import device_name, resolve
from whygpu.measure.hardware import physical_cores
from whygpu.measure.sweep import MachineBusy, Swept, Target, sweep
from whygpu.measure.timing import TimingPlan
from whygpu.store import files, locks
from whygpu.store.types import Point

__all__ = ["PLANS", "MachineBusy", "RunOptions", "RunReport", "run_example"]

#: One round's timing per profile; a point gets ROUNDS[profile] of them, spread over the sweep.
PLANS = {
    profile: TimingPlan(
        min_run_time=thresholds.ROUND_SECONDS[profile],
        min_blocks=thresholds.ROUND_SAMPLES[profile],
        warmup_calls=thresholds.WARMUP_CALLS[profile],
    )
    for profile in thresholds.ROUNDS
}


@dataclass
class RunOptions:
    accelerator: str
    profile: str = "quick"
    machine: str | None = None
    force: bool = False
    results_dir: Path = RESULTS_DIR
    num_threads: int | None = None
    require_quiet: bool = False
    cpu_limits: dict[str, Any] | None = None  # the machine's peak and bandwidth, measured once
    rounds: int | None = None  # None: the profile's; more, for a study of the rounds


@dataclass
class RunReport:
    """What one sweep did, for the summary the CLI prints."""

    example: str
    accelerator: str
    path: Path
    measured: int
    reused: int
    skipped: list[tuple[str, int, str]]  # (variant, size, reason)
    noisy: list[str]
    disagree: list[str] = field(default_factory=list)  # "fp32 size 1024 (14%)"
    busy: list[str] = field(default_factory=list)  # what the load samples saw, when busy

    def summary(self) -> list[str]:
        """What the CLI prints when the sweep is done: counts, noisy points, skips by reason."""
        parts = [f"{self.measured} measured"]
        if self.reused:
            parts.append(f"{self.reused} reused from an earlier run (--force remeasures)")
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.noisy:
            limit = f"{NOISY_IQR_FRACTION:.0%}"
            parts.append(f"noisy (IQR > {limit} of median) at {', '.join(self.noisy)}")
        if self.disagree:
            limit = f"{ROUND_DISAGREE_FRACTION:.0%}"
            parts.append(f"rounds disagree (> {limit}) at {', '.join(self.disagree)}")
        lines = [f"{self.example} [{self.accelerator}]: {', '.join(parts)} -> {self.path}"]
        if self.disagree:
            lines.append(
                "    rounds that disagree were measured at different times and got different "
                "answers: rerun with --force on a quiet machine (--require-quiet checks), or with "
                "more rounds (--rounds 5); the figure draws them with red bars meanwhile"
            )
        lines += [f"    BUSY MACHINE: {text}" for text in self.busy]
        grouped: dict[tuple[str, str], list[int]] = {}
        for variant, size, reason in self.skipped:
            grouped.setdefault((variant, reason), []).append(size)
        for (variant, reason), sizes in grouped.items():
            lines.append(f"    {variant} skipped at size {', '.join(map(str, sizes))}: {reason}")
        return lines


def _partial_path(final: Path, accelerator: str) -> Path:
    return final.with_name(f".{final.stem}.{accelerator}.partial.json")


def _resume_key(run: Mapping[str, Any], benchmark_version: int) -> dict[str, Any]:
    """Settings and software that must match for an earlier point to be reused, not remeasured."""
    return {
        "benchmark_version": benchmark_version,
        "rounds": run["rounds"],
        "device_name": run["device_name"],
        "settings": run["settings"],
        "torch": run["provenance"]["torch"],
        "whygpu": run["provenance"].get("whygpu"),
    }


def _earlier_points(
    paths: list[Path],
    key: dict[str, Any],
    accelerator: str,
) -> dict[tuple[str, int], Point]:
    """Points already measured under the same key, from the in-progress or the final file."""
    found: dict[tuple[str, int], Point] = {}
    for path in paths:
        if not path.exists():
            continue
        try:
            doc = files.load(path, check_name=not path.name.startswith("."))
        except files.ResultsError as exc:
            print(f"warning: ignoring earlier results: {exc}", file=sys.stderr)
            continue
        for run in doc["runs"]:
            if run["accelerator"] != accelerator:
                continue
            if _resume_key(run, doc["benchmark_version"]) != key:
                continue
            for point in run["points"]:
                found.setdefault((point["variant"], point["size"]), point)
    return found


def run_example(example: Example, options: RunOptions) -> RunReport:
    """Measure one example over its sweep on one accelerator and publish the results file."""
    device = resolve(options.accelerator)
    threads = options.num_threads or physical_cores()
    run = _new_run(options, device, threads, example.path)
    machine = options.machine or provenance.machine_name()
    final = Path(options.results_dir) / machine / f"{example.slug}.json"
    partial = _partial_path(final, options.accelerator)
    header = _header(example, machine)
    if final.exists():
        files.load(final)  # a malformed published file stops the run before it measures
    what = f"{example.slug} on {options.accelerator}"
    with locks.hold(final.with_name(f".{options.accelerator}.lock"), wait=False, what=what):
        key = _resume_key(run, example.benchmark_version)
        earlier = (
            {} if options.force else _earlier_points([partial, final], key, options.accelerator)
        )

        def save(points: list[dict[str, Any]], load_record: dict[str, Any]) -> None:
            """Keep what the sweep has so far, for a run interrupted here to resume from."""
            so_far = {**run, "load": load_record, "points": points}
            files.write_atomic(partial, files.dumps(files.merge_run(None, header, so_far)))

        target = Target(
            example=example,
            accelerator=options.accelerator,
            profile=options.profile,
            device=device,
            threads=threads,
            plan=PLANS[options.profile],
            require_quiet=options.require_quiet,
            rounds=options.rounds,
        )
        swept = sweep(target, earlier, save)
        gpu_end = provenance.gpu_end(device)
        run = {
            **run,
            "provenance": {**run["provenance"], "gpu_end": gpu_end},
            "load": swept.load,
            "points": swept.points,
        }
        with locks.hold(final.with_name(f".{example.slug}.lock"), wait=True, what=what):
            # Re-read under the lock: a run on the other accelerator may have landed meanwhile.
            existing = files.load(final) if final.exists() else None
            document = files.merge_run(existing, header, run)
            files.validate(document, final)
            files.write_atomic(final, files.dumps(document))
        partial.unlink(missing_ok=True)
    return _report(example.slug, options.accelerator, final, swept)


def _header(example: Example, machine: str) -> dict[str, Any]:
    """What a results file says about its example, above its runs."""
    return {
        "example": example.slug,
        "machine": machine,
        "benchmark_version": example.benchmark_version,
        "title": example.title,
        "size_label": example.size_label,
        "metric": example.metric,
        "item_unit": example.item_unit,
    }


def _new_run(
    options: RunOptions, device: torch.device, threads: int, source: Path
) -> dict[str, Any]:
    """A run before its sweep: device, settings and provenance (of the example file `source`
    too), no points yet."""
    settings = {**backends.apply(device), "num_threads": threads}  # applied before anything runs
    return {
        "accelerator": options.accelerator,
        "device": str(device),
        "device_name": device_name(device),
        "profile": options.profile,
        "provenance": provenance.collect(source),
        "settings": settings,
        "rounds": options.rounds or ROUNDS[options.profile],
        "load": None,  # the sweep's record replaces it
        "cpu_limits": options.cpu_limits if options.accelerator == "cpu" else None,
        "points": [],
    }


def _report(example: str, accelerator: str, path: Path, swept: Swept) -> RunReport:
    """The summary of a finished sweep: counts, and the points skipped, noisy or disagreeing."""
    report = RunReport(example, accelerator, path, swept.measured, swept.reused, [], [])
    report.busy = swept.busy
    for point in swept.points:
        label = f"{point['variant']} size {point['size']}"
        if point["status"] == "skipped":
            report.skipped.append((point["variant"], point["size"], point["reason"]))
            continue
        if point["noisy"]:
            report.noisy.append(label)
        if point["rounds_disagree"]:
            report.disagree.append(f"{label} ({point['round_spread']:.0%})")
    return report
