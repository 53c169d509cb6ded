"""Sweeps: measure every size of every example on one accelerator, and keep what was measured.

Progress is saved after every point to a hidden in-progress file beside the results, so a run
that is interrupted resumes where it stopped; the published results file is replaced only when
the sweep is complete, in one atomic rename.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from tqdm.auto import tqdm

from whygpu.contract import Unsupported
from whygpu.contract.examples import Example
from whygpu.contract.names import RESULTS_DIR
from whygpu.contract.work import amount
from whygpu.measure import backends, provenance
from whygpu.measure.devices import device_name, resolve
from whygpu.measure.hardware import physical_cores
from whygpu.measure.progress import eta
from whygpu.measure.timing import NOISY_IQR_FRACTION, TimingPlan, measure
from whygpu.store import files, locks

PLANS = {
    "quick": TimingPlan(min_run_time=0.2, min_blocks=5, warmup_calls=2),
    "full": TimingPlan(min_run_time=1.0, min_blocks=15, warmup_calls=3),
}


@dataclass
class RunOptions:
    accelerator: str
    profile: str = "quick"
    machine: str | None = None
    force: bool = False
    results_dir: Path = RESULTS_DIR
    num_threads: int | None = None


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
        lines = [f"{self.example} [{self.accelerator}]: {', '.join(parts)} -> {self.path}"]
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
    """Measure (or reuse) every variant at every size, saving progress after each point."""
    plan = PLANS[options.profile]
    # Size by size, every variant in turn: variants compared at one size (one process against
    # two, fp32 against bf16) are measured minutes apart at most, not a whole sweep apart, so a
    # slow spell on a shared machine cannot tilt their ratio as much.
    todo = [(v, s) for s in example.sizes(options.profile) for v in example.variants]
    report = RunReport(example.slug, options.accelerator, partial, 0, 0, [], [])
    bar = tqdm(
        total=len(todo),
        unit="pt",
        desc=f"{example.slug} · {options.accelerator}",
        dynamic_ncols=True,
        file=sys.stderr,
    )
    # Per variant, the best throughput seen and the last call's time: enough to guess what is left.
    rates: dict[str, float] = {}
    last_call: dict[str, float] = {}
    with bar:
        for index, (variant, size) in enumerate(todo):
            if (variant, size) in earlier:
                run["points"].append(earlier[(variant, size)])
                report.reused += 1
                bar.update(1)
                continue
            left = eta(rates, last_call, example, todo[index:], plan, run["points"])
            bar.set_postfix_str(f"{variant} size {size}{left}")
            point = _measure_point(example, variant, size, device, threads, plan)
            run["points"].append(point)
            label = f"{variant} size {size}"
            if point["status"] == "skipped":
                report.skipped.append((variant, size, point["reason"]))
            else:
                report.measured += 1
                work = amount(point, example.metric)
                if work:
                    rates[variant] = max(rates.get(variant, 0.0), work / point["median_s"])
                last_call[variant] = point["median_s"]
                if point["noisy"]:
                    report.noisy.append(label)
            files.write_atomic(partial, files.dumps(files.merge_run(None, header, run)))
            bar.update(1)
    return report


def _measure_point(
    example: Example,
    variant: str,
    size: int,
    device: torch.device,
    threads: int,
    plan: TimingPlan,
) -> dict[str, Any]:
    """Build and time one point; out of memory or an unsupported variant is recorded as skipped."""
    started = time.perf_counter()
    cost = example.work(size, variant)
    where = {"variant": variant, "size": size}
    try:
        if example.times_itself:  # e.g. several processes: the example runs its own clock
            timing = example.module.measure(size, device, variant, threads=threads, plan=plan)
            # its processes may split the threads among themselves: record what each one had
            cost = replace(cost, params={**cost.params, "threads_per_process": timing.num_threads})
        else:
            fn = example.workload(size, device, variant)
            timing = measure(fn, device, num_threads=threads, plan=plan)
    except Unsupported as exc:
        return _skipped(where, f"unsupported: {_first_line(exc)}", device)
    except torch.OutOfMemoryError as exc:
        return _skipped(where, f"out of memory: {_first_line(exc)}", device)
    except (NotImplementedError, TypeError) as exc:
        return _skipped(where, f"unsupported: {_first_line(exc)}", device)
    except RuntimeError as exc:
        text = str(exc).lower()
        if "out of memory" in text or "not implemented" in text or "not supported" in text:
            return _skipped(where, _first_line(exc), device)
        raise
    return {
        **where,
        "status": "ok",
        "params": cost.params,
        "flops": float(cost.flops),
        "bytes_moved": float(cost.bytes_moved),
        "items": float(cost.items),
        "median_s": timing.median_s,
        "iqr_s": timing.iqr_s,
        "samples_s": timing.samples_s,
        "calls_per_sample": timing.calls_per_sample,
        "noisy": timing.noisy,
        "wall_s": round(time.perf_counter() - started, 3),
    }


def _skipped(where: dict[str, Any], reason: str, device: torch.device) -> dict[str, Any]:
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return {**where, "status": "skipped", "reason": reason[:300]}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).replace("<", "‹").replace(">", "›")
