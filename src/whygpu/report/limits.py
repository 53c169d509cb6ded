"""Each machine's CPU roofs, as its runs recorded them: the compute peak (cores x FLOPs per
cycle x clock) and the memory bandwidth of a triad, beside its best measured matrix multiply.
Shared by the roofline, the tables and the facts, so all three quote the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whygpu.contract.meaning import Declared
from whygpu.report.declared import or_default
from whygpu.report.series import best_point
from whygpu.report.text import number
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


@dataclass(frozen=True)
class RoofReading:
    """Where one machine's measured CPU points sit against its two ceilings, counted from the
    data, so that the roofline's caption and the pages state what the figure draws."""

    machine: str
    kind: str  # "hardware" or "best measured", as cpu_ceilings says
    peak_gflops: float
    slope_gbps: float
    memory_title: str  # the title of the example read against the memory slope
    memory_points: int  # its FP32 points
    above_slope: list[float]  # the GB/s of those above the slope
    points: int  # every FP32 point on the chart for this machine
    above_peak: list[tuple[str, float]]  # (example title, GFLOP/s) of those above the peak

    def slope_text(self) -> str:
        """What the memory-bound points do against the slope, in one clause."""
        slope = f"the {number(self.slope_gbps)} GB/s memory slope"
        if not self.above_slope:
            return f"every {self.memory_title} point sits under {slope}"
        return (
            f"{len(self.above_slope)} of the {self.memory_points} {self.memory_title} points sit "
            f"above {slope}, up to {number(max(self.above_slope))} GB/s: they ran from cache, "
            "which is faster than main memory"
        )

    def peak_text(self) -> str:
        """Whether any point is above the compute ceiling, in one clause."""
        peak = f"the {number(self.peak_gflops)} GFLOP/s compute ceiling"
        if not self.above_peak:
            return f"no point is above {peak}"
        titles = sorted({t for t, _ in self.above_peak})
        return (
            f"{len(self.above_peak)} of the {self.points} points are above {peak} "
            f"({', '.join(titles)}, up to {number(max(g for _, g in self.above_peak))} GFLOP/s)"
        )


def roof_reading(
    docs: Sequence[ResultsDoc], machine: str, declared: Declared | None = None
) -> RoofReading | None:
    """How `machine`'s FP32 CPU points sit against its ceilings; None where it has none."""
    declared = or_default(declared)
    ceiling = cpu_ceilings(docs, declared).get(machine)
    if ceiling is None:
        return None
    peak, slope = ceiling["gflops"], ceiling["gbps"]
    memory_title, memory, above_slope, points = "", 0, [], 0
    above_peak: list[tuple[str, float]] = []
    for doc in docs:
        if doc["machine"] != machine or doc["metric"] == "items":
            continue
        for run in doc["runs"]:
            if run["accelerator"] != "cpu":
                continue
            for p in run["points"]:
                if p["status"] != "ok" or p["params"].get("dtype", "float32") != "float32":
                    continue
                if p["flops"] <= 0 or p["bytes_moved"] <= 0:
                    continue
                points += 1
                gflops = p["flops"] / p["median_s"] / 1e9
                if gflops > peak:
                    above_peak.append((doc["title"], gflops))
                if declared.variant(doc["example"], p["variant"]).ceiling == "memory":
                    memory_title, memory = doc["title"].lower(), memory + 1
                    gbps = p["bytes_moved"] / p["median_s"] / 1e9
                    if gbps > slope:
                        above_slope.append(gbps)
    return RoofReading(
        machine,
        ceiling["kind"],
        peak,
        slope,
        memory_title or "memory-bound",
        memory,
        above_slope,
        points,
        above_peak,
    )
