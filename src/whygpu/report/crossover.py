"""Where the GPU starts to beat the CPU: the crossover example's sizes compared point by point,
for each measured GPU and for the datasheet model. The table and the facts both read this."""

from __future__ import annotations

from typing import Any

from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.models import model_lines
from whygpu.report.series import group_series


def crossovers(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Smallest size at which each GPU (measured, or the datasheet model) beats the CPU.

    One row per (workload, CPU machine, GPU): `compute` and `e2e` hold the first size, or None
    where the CPU was faster at every size measured (absent where there is no such line).
    """
    series = group_series(docs).get("crossover", [])
    cpu = {
        (s["doc"]["machine"], s["variant"]): s for s in series if s["run"]["accelerator"] == "cpu"
    }
    rows = []
    for (machine, op), base in sorted(cpu.items()):
        cpu_time = {p["size"]: p["median_s"] for p in base["points"]}
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
        rows.extend(by_gpu.values())
    return rows
