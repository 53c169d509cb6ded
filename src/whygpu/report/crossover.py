"""Where the GPU starts to beat the CPU: the crossover example's sizes compared point by point,
for each measured GPU and for the datasheet model. The table and the facts both read this."""

from __future__ import annotations

from typing import Any

from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.models import model_lines
from whygpu.report.series import group_series, time_range


def crossovers(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Smallest size at which each GPU (measured, or the datasheet model) beats the CPU.

    One row per (workload, CPU machine, GPU): `compute` and `e2e` hold the first size, or None
    where the CPU was faster at every size measured (absent where there is no such line);
    `compute_sure` and `e2e_sure`, the first size from which the GPU wins by more than either
    point's spread between rounds, so a crossing decided inside the noise reads as a range.
    """
    series = group_series(docs).get("crossover", [])
    cpu = {
        (s["doc"]["machine"], s["variant"]): s for s in series if s["run"]["accelerator"] == "cpu"
    }
    rows = []
    for (machine, op), base in sorted(cpu.items()):
        cpu_time = {p["size"]: p["median_s"] for p in base["points"]}
        cpu_fastest = {p["size"]: time_range(p)[0] for p in base["points"]}
        gpus = [
            s
            for s in series
            if s["run"]["accelerator"] == "gpu"
            and s["doc"]["machine"] == machine
            and s["variant"] in (op, f"{op}-e2e")
        ]
        candidates = [(s["run"]["device_name"], "measured", s) for s in gpus]
        candidates += [
            (MODEL_GPU.name, "model (datasheet)", m) for m in model_lines([base]) if m["of"] == op
        ]
        by_gpu: dict[tuple[str, str], dict[str, Any]] = {}
        for name, kind, s in candidates:
            column = "e2e" if s["variant"].endswith("-e2e") else "compute"
            first = next(
                (
                    p["size"]
                    for p in s["points"]
                    if p["size"] in cpu_time and p["median_s"] < cpu_time[p["size"]]
                ),
                None,
            )
            row = by_gpu.setdefault(
                (name, kind),
                {
                    "op": op,
                    "machine": machine,
                    "cpu": base["run"]["device_name"],
                    "gpu": name,
                    "kind": kind,
                },
            )
            row[column] = first
            row[f"{column}_sure"] = next(
                (
                    p["size"]
                    for p in s["points"]
                    if first is not None
                    and p["size"] >= first
                    and p["size"] in cpu_time
                    and time_range(p)[1] < cpu_fastest[p["size"]]
                ),
                None,
            )
        rows.extend(by_gpu.values())
    return rows


def crossing_text(row: dict[str, Any], column: str, none: str = "no size measured") -> str:
    """'n = 128', or 'about n = 96 to 128' where the first win is inside the rounds' spread
    ('n = 96, inside the noise' where no larger size settles it)."""
    first, sure = row[column], row.get(f"{column}_sure", row[column])
    if first is None:
        return none
    if sure == first:
        return f"n = {first:,}"
    return f"about n = {first:,} to {sure:,}" if sure else f"n = {first:,}, inside the noise"
