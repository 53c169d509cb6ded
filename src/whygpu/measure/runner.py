"""Sweeps: measure every size of every example on one accelerator, and keep what was measured.

Progress is saved after every point to a hidden in-progress file beside the results, so a run
that is interrupted resumes where it stopped; the published results file is replaced only when
the sweep is complete, in one atomic rename.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch
from tqdm.auto import tqdm

from whygpu.contract.examples import Example
from whygpu.contract.names import RESULTS_DIR, ROUND_DISAGREE_FRACTION
from whygpu.contract.work import amount
from whygpu.measure import backends, load, provenance
from whygpu.measure.devices import device_name, resolve
from whygpu.measure.hardware import logical_cpus, physical_cores
from whygpu.measure.point import measure_round
from whygpu.measure.progress import eta
from whygpu.measure.rounds import ROUNDS, Rounds
from whygpu.measure.timing import NOISY_IQR_FRACTION, TimingPlan
from whygpu.store import files, locks

#: One round's timing per profile; a point gets ROUNDS[profile] of them, spread over the sweep.
PLANS = {
    "quick": TimingPlan(min_run_time=0.1, min_blocks=4, warmup_calls=1),
    "full": TimingPlan(min_run_time=0.4, min_blocks=8, warmup_calls=2),
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
        lines += [f"    BUSY MACHINE: {text}" for text in self.busy]
        grouped: dict[tuple[str, str], list[int]] = {}
        for variant, size, reason in self.skipped:
            grouped.setdefault((variant, reason), []).append(size)
        for (variant, reason), sizes in grouped.items():
            lines.append(f"    {variant} skipped at size {', '.join(map(str, sizes))}: {reason}")
        return lines


def _partial_path(final: Path, accelerator: str) -> Path:
    return final.with_name(f".{final.stem}.{accelerator}.partial.json")


def _resume_key(run: dict[str, Any], benchmark_version: int) -> dict[str, Any]:
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
) -> dict[tuple[str, int], dict[str, Any]]:
    """Points already measured under the same key, from the in-progress or the final file."""
    found: dict[tuple[str, int], dict[str, Any]] = {}
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
    run_settings = {**backends.apply(device), "num_threads": threads}
    machine = options.machine or provenance.machine_name()
    final = Path(options.results_dir) / machine / f"{example.slug}.json"
    partial = _partial_path(final, options.accelerator)
    header = {
        "example": example.slug,
        "machine": machine,
        "benchmark_version": example.benchmark_version,
        "title": example.title,
        "size_label": example.size_label,
        "metric": example.metric,
        "item_unit": example.item_unit,
    }
    run: dict[str, Any] = {
        "accelerator": options.accelerator,
        "device": str(device),
        "device_name": device_name(device),
        "profile": options.profile,
        "provenance": provenance.collect(),
        "settings": run_settings,
        "rounds": ROUNDS[options.profile],
        "load": {"busy": False, "threshold_cores": load.BUSY_CORES, "samples": []},
        "cpu_limits": options.cpu_limits if options.accelerator == "cpu" else None,
        "points": [],
    }
    if final.exists():
        files.load(final)  # a malformed published file stops the run before it measures
    what = f"{example.slug} on {options.accelerator}"
    with locks.hold(final.with_name(f".{options.accelerator}.lock"), wait=False, what=what):
        key = _resume_key(run, example.benchmark_version)
        earlier = (
            {} if options.force else _earlier_points([partial, final], key, options.accelerator)
        )
        report = _sweep(example, options, device, threads, header, run, earlier, partial)
        report.path = final
        run["provenance"]["gpu_end"] = provenance.gpu_end(device)
        with locks.hold(final.with_name(f".{example.slug}.lock"), wait=True, what=what):
            # Re-read under the lock: a run on the other accelerator may have landed meanwhile.
            existing = files.load(final) if final.exists() else None
            document = files.merge_run(existing, header, run)
            files.validate(document, final)
            files.write_atomic(final, files.dumps(document))
        partial.unlink(missing_ok=True)
    return report


class MachineBusy(RuntimeError):
    """`--require-quiet` and other processes were using the CPU; nothing was published."""


def _sweep(
    example: Example,
    options: RunOptions,
    device: torch.device,
    threads: int,
    header: dict[str, Any],
    run: dict[str, Any],
    earlier: dict[tuple[str, int], dict[str, Any]],
    partial: Path,
) -> RunReport:
    """Measure every variant at every size once per round, saving progress after each point.

    Within a round, size by size and every variant in turn: variants compared at one size (one
    process against two, fp32 against bf16) are measured minutes apart at most, so a slow spell
    cannot tilt their ratio much; across rounds, a slow spell lands on different points.
    """
    plan = PLANS[options.profile]
    rounds = run["rounds"]
    todo = [(v, s) for s in example.sizes(options.profile) for v in example.variants]
    report = RunReport(example.slug, options.accelerator, partial, 0, 0, [], [])
    state: dict[tuple[str, int], Rounds] = {}
    skipped: dict[tuple[str, int], dict[str, Any]] = {}
    for key, point in earlier.items():
        if point["status"] == "skipped":
            skipped[key] = point
        else:
            cost = replace(example.work(key[1], key[0]), params=point["params"])
            state[key] = Rounds.resumed(point, cost)
    have = {k: len(state[k].medians) if k in state else 0 for k in todo}
    left = [(r, k) for r in range(rounds) for k in todo if k not in skipped and have[k] <= r]
    report.reused = sum(1 for k in todo if k in earlier)  # points with a round from before
    _check_load("before the sweep", options, threads, run, report)
    bar = tqdm(
        total=len(left),
        unit="pt",
        desc=f"{example.slug} · {options.accelerator}",
        dynamic_ncols=True,
        file=sys.stderr,
    )
    rates: dict[str, float] = {}  # per variant, the best throughput seen so far
    last_call: dict[str, float] = {}
    walls: list[float] = []  # each round's seconds, for examples that time themselves
    touched: set[tuple[str, int]] = set()
    with bar:
        for index, (round_no, key) in enumerate(left):
            if index and left[index - 1][0] != round_no:
                _check_load(f"after round {round_no}", options, threads, run, report)
            variant, size = key
            if key in skipped:  # skipped earlier in this run: unsupported stays unsupported
                bar.update(1)
                continue
            eta_text = eta(rates, last_call, example, [k for _, k in left[index:]], plan, walls)
            bar.set_postfix_str(f"round {round_no + 1}/{rounds} {variant} size {size}{eta_text}")
            outcome = measure_round(example, variant, size, device, threads, plan)
            if isinstance(outcome, dict):
                skipped[key] = outcome
                state.pop(key, None)
            else:
                timing, cost, wall = outcome
                state.setdefault(key, Rounds(cost)).add(timing, wall)
                touched.add(key)
                walls.append(wall)
                work = amount({**vars(cost), "status": "ok"}, example.metric)
                if work:
                    rates[variant] = max(rates.get(variant, 0.0), work / timing.median_s)
                last_call[variant] = timing.median_s
            run["points"] = _points(todo, state, skipped)
            files.write_atomic(partial, files.dumps(files.merge_run(None, header, run)))
            bar.update(1)
    _check_load("after the sweep", options, threads, run, report)
    run["points"] = _points(todo, state, skipped)
    for point in run["points"]:
        label = f"{point['variant']} size {point['size']}"
        if point["status"] == "skipped":
            report.skipped.append((point["variant"], point["size"], point["reason"]))
            continue
        if point["noisy"]:
            report.noisy.append(label)
        if point["rounds_disagree"]:
            report.disagree.append(f"{label} ({point['round_spread']:.0%})")
    report.measured = len(touched - set(skipped))
    return report


def _points(todo, state, skipped) -> list[dict[str, Any]]:
    """Every point with at least one round, in sweep order."""
    out = []
    for variant, size in todo:
        where = {"variant": variant, "size": size}
        if (variant, size) in skipped:
            out.append(skipped[(variant, size)])
        elif (variant, size) in state:
            out.append(state[(variant, size)].point(where))
    return out


def _check_load(
    when: str, options: RunOptions, threads: int, run: dict[str, Any], report: RunReport
) -> None:
    """Sample what other processes do; say so loudly when busy, or stop under --require-quiet."""
    seen = load.sample(when)
    run["load"]["samples"].append(seen.record())
    if not seen.busy:
        return
    run["load"]["busy"] = True
    text = seen.describe(threads, logical_cpus() or threads)
    report.busy.append(text)
    if options.require_quiet:
        raise MachineBusy(f"{report.example}: {text}; nothing was published (--require-quiet)")
    tqdm.write(
        f"WARNING: the machine is busy: {text}. Timings will be slow and noisy; "
        "--require-quiet makes this an error.",
        file=sys.stderr,
    )
