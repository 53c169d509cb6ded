"""Each machine's CPU roofs, as its runs recorded them: the compute peak (cores x FLOPs per
cycle x clock) and the memory bandwidth of a triad, beside its best measured matrix multiply.
Shared by the roofline, the tables and the facts, so all three quote the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whygpu.contract.meaning import Declared
from whygpu.report.declared import or_default
from whygpu.report.series import best_point
from whygpu.store.types import CpuLimits, MeasuredPoint, ResultsDoc, Run


def cpu_limits(docs: Sequence[ResultsDoc]) -> dict[str, CpuLimits]:
    """Per machine, the limits its newest CPU run recorded (peak and triad), where any did."""
    newest: dict[str, tuple[str, CpuLimits]] = {}
    for doc in docs:
        for run in doc["runs"]:
            limits = run["cpu_limits"]
            date = run["provenance"]["date_utc"]
            if limits and (doc["machine"] not in newest or date >= newest[doc["machine"]][0]):
                newest[doc["machine"]] = (date, limits)
    return {m: limits for m, (_, limits) in newest.items()}


def cpu_ceilings(
    docs: Sequence[ResultsDoc], declared: Declared | None = None
) -> dict[str, dict[str, Any]]:
    """Per machine: the compute and memory ceilings (GFLOP/s, GB/s), whether they are the
    hardware's ("hardware") or only its best points ("best measured"), and its best point of a
    variant read against the compute ceiling (`best`, with `best_of`: example and variant)."""
    declared = or_default(declared)
    best: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for run in doc["runs"]:
            if run["accelerator"] != "cpu":
                continue
            c = best.setdefault(doc["machine"], {})
            for variant, points in _by_variant(run).items():
                ceiling = declared.variant(doc["example"], variant).ceiling
                if ceiling == "compute":
                    p = best_point(doc, points)
                    gflops = p["flops"] / p["median_s"] / 1e9
                    if gflops > c.get("gflops", 0.0):
                        c["gflops"], c["best_of"] = gflops, (doc["example"], variant)
                elif ceiling == "memory":
                    largest = max(points, key=lambda p: p["size"])
                    c["gbps"] = largest["bytes_moved"] / largest["median_s"] / 1e9
                    c["memory_of"] = (doc["example"], variant)
    limits = cpu_limits(docs)
    out = {}
    for machine, c in best.items():
        if machine in limits:
            out[machine] = {
                "gflops": limits[machine]["peak"]["flops"] / 1e9,
                "gbps": limits[machine]["memory_bytes_per_s"]["value"] / 1e9,
                "kind": "hardware",
                "best": c.get("gflops"),
                "best_of": c.get("best_of"),
            }
        elif {"gflops", "gbps"} <= set(c):
            out[machine] = {**c, "kind": "best measured", "best": c["gflops"]}
    return out


def _by_variant(run: Run) -> dict[str, list[MeasuredPoint]]:
    out: dict[str, list[MeasuredPoint]] = {}
    for p in run["points"]:
        if p["status"] == "ok":
            out.setdefault(p["variant"], []).append(p)
    return out
