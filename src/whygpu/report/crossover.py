"""Where the GPU starts to beat the CPU: the crossover example's sizes compared point by point,
for each measured GPU and for the datasheet model. The table and the facts both read this."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.report.cited import Cited
from whygpu.report.declared import or_default
from whygpu.report.lines import AnyPoint, Line, Series, key_of
from whygpu.report.models import launch_row, model_lines
from whygpu.report.series import group_series, time_range
from whygpu.store.types import MeasuredPoint, ResultsDoc


def crossovers(docs: list[ResultsDoc], declared: Declared | None = None) -> list[dict[str, Any]]:
    """Smallest size at which each GPU (measured, or the datasheet model) beats the CPU, for
    every example that declares FINDS_CROSSOVER.

    One row per (example, workload, CPU machine, GPU): `compute` and `e2e` hold the first size,
    or None where the CPU was faster at every size measured (absent where there is no such
    line); `compute_sure` and `e2e_sure`, the first size from which the GPU wins by more than
    either point's spread between rounds, so a crossing decided inside the noise reads as a
    range. A workload is a variant that computes; its end-to-end variants are the ones it
    declares `end_to_end_of` it.
    """
    declared = or_default(declared)
    launch = launch_row(docs, declared)
    rows: list[dict[str, Any]] = []
    for slug, series in sorted(group_series(docs).items()):
        meaning = declared.of(slug)
        if meaning.finds_crossover:
            rows += _example_rows(slug, series, meaning, launch)
    return rows


def _example_rows(
    slug: str, series: list[Series], meaning: ExampleMeaning, launch: Cited
) -> list[dict[str, Any]]:
    cpu = {
        (s["doc"]["machine"], s["variant"]): s
        for s in series
        if s["run"]["accelerator"] == "cpu" and not meaning.of(s["variant"]).crosses_pcie
    }
    rows: list[dict[str, Any]] = []
    for (machine, op), base in sorted(cpu.items()):
        lines = {op, *meaning.end_to_end(op)}
        gpus = [
            s
            for s in series
            if s["run"]["accelerator"] == "gpu"
            and s["doc"]["machine"] == machine
            and s["variant"] in lines
        ]
        candidates: list[tuple[str, str, Line]] = [
            (s["run"]["device_name"], "measured", s) for s in gpus
        ]
        candidates += [
            (MODEL_GPU.name, "model (datasheet)", m)
            for m in model_lines([base], meaning, launch)
            if m["of"] == op
        ]
        by_gpu: dict[tuple[str, str], dict[str, Any]] = {}
        for name, kind, s in candidates:
            crosses = meaning.of(key_of(s)).crosses_pcie
            column = "e2e" if crosses else "compute"
            row = by_gpu.setdefault(
                (name, kind),
                {
                    "example": slug,
                    "op": op,
                    "machine": machine,
                    "cpu": base["run"]["device_name"],
                    "gpu": name,
                    "kind": kind,
                },
            )
            row[column], row[f"{column}_sure"] = _first_win(base["points"], s["points"])
        rows.extend(by_gpu.values())
    return rows


def _first_win(
    cpu: Sequence[MeasuredPoint], gpu: Sequence[AnyPoint]
) -> tuple[int | None, int | None]:
    """The first size where the GPU's median beats the CPU's, and the first from there on where
    the GPU's slowest round beats the CPU's fastest (None where there is none)."""
    cpu_time = {p["size"]: p["median_s"] for p in cpu}
    cpu_fastest = {p["size"]: time_range(p)[0] for p in cpu}
    shared = [p for p in gpu if p["size"] in cpu_time]
    first = next((p["size"] for p in shared if p["median_s"] < cpu_time[p["size"]]), None)
    if first is None:
        return None, None
    sure = next(
        (
            p["size"]
            for p in shared
            if p["size"] >= first and time_range(p)[1] < cpu_fastest[p["size"]]
        ),
        None,
    )
    return first, sure


def crossing_text(row: dict[str, Any], column: str, none: str = "no size measured") -> str:
    """'n = 128', or 'about n = 96 to 128' where the first win is inside the rounds' spread
    ('n = 96, inside the noise' where no larger size settles it)."""
    first, sure = row[column], row.get(f"{column}_sure", row[column])
    if first is None:
        return none
    if sure == first:
        return f"n = {first:,}"
    return f"about n = {first:,} to {sure:,}" if sure else f"n = {first:,}, inside the noise"
