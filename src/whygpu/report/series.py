"""Results grouped into series: one per (machine, accelerator, variant), the unit every chart,
table and fact is drawn from, and the throughput a series' points count."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from whygpu.contract.names import METRIC_UNITS
from whygpu.contract.work import amount


def group_series(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group by example: one series per (machine, accelerator, variant), sorted by size."""
    by_example: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        for run in doc["runs"]:
            by_variant: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for p in run["points"]:
                if p["status"] == "ok":
                    by_variant[p["variant"]].append(p)
            for variant, points in by_variant.items():
                points.sort(key=lambda p: p["size"])
                by_example[doc["example"]].append(
                    {"doc": doc, "run": run, "variant": variant, "points": points}
                )
    for series in by_example.values():
        order = {v: i for i, v in enumerate(variant_order(series))}
        series.sort(
            key=lambda s: (s["doc"]["machine"], s["run"]["accelerator"], order[s["variant"]])
        )
    return by_example


def variant_order(series: list[dict[str, Any]]) -> list[str]:
    """Variants in the order their points first appear (the example's VARIANTS order)."""
    seen: list[str] = []
    for s in series:
        for p in s["run"]["points"]:
            if p["variant"] not in seen:
                seen.append(p["variant"])
    return seen


def work_of(doc: dict[str, Any], point: dict[str, Any]) -> float:
    """The amount the figure's throughput counts: FLOPs, bytes or items of one call."""
    return amount(point, doc["metric"])


def rate_of(doc: dict[str, Any], point: dict[str, Any]) -> float:
    """A point's throughput: the work one call does over its median time (FLOP/s, B/s, items/s)."""
    seconds: float = point["median_s"]
    return work_of(doc, point) / seconds


def rate_unit(doc: dict[str, Any]) -> tuple[str, float]:
    """Axis label and divisor for the throughput panel."""
    if doc["metric"] == "items":
        return f"{doc['item_unit']}/s", 1.0
    return METRIC_UNITS[doc["metric"]], 1e9


def quartiles(point: dict[str, Any]) -> tuple[float, float]:
    """The first and third quartiles of a point's samples."""
    q1, q3 = np.percentile(np.asarray(point["samples_s"], dtype=float), [25, 75])
    return float(q1), float(q3)


def bar_ends(point: dict[str, Any]) -> tuple[float, float]:
    """The ends of a point's error bar: its fastest and slowest round where it has several
    (how far a rerun may land), else the quartiles of its samples."""
    rounds = point["rounds_s"]
    return (min(rounds), max(rounds)) if len(rounds) > 1 else quartiles(point)


@dataclass(frozen=True)
class RoundSummary:
    """How a set of measured points was taken and how far their rounds agree: the one summary
    the captions, the Results page and the facts all quote."""

    points: int
    rounds: int  # the fewest any point had
    disagree: int  # points whose rounds are more than 10% apart
    widest: dict[str, Any]  # the point with the widest spread
    median_spread: float


def round_summary(points: list[dict[str, Any]]) -> RoundSummary:
    """`points`: measured points (status ok), at least one."""
    return RoundSummary(
        points=len(points),
        rounds=min(len(p["rounds_s"]) for p in points),
        disagree=sum(bool(p["rounds_disagree"]) for p in points),
        widest=max(points, key=lambda p: p["round_spread"]),
        median_spread=statistics.median(p["round_spread"] for p in points),
    )


def trusted(points: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The points a headline may quote: neither noisy inside a round nor disagreeing between
    rounds; all of them where none is that clean (model points carry neither flag)."""
    clean = [p for p in points if not p.get("noisy") and not p.get("rounds_disagree")]
    return clean or points


def best_point(doc: dict[str, Any], points: list[dict[str, Any]]) -> dict[str, Any]:
    """The one best point of a series, as every caption, table and fact quotes it: the fastest
    trusted point."""
    return max(trusted(points), key=lambda p: rate_of(doc, p))


def time_range(point: dict[str, Any]) -> tuple[float, float]:
    """Where a rerun of a point may land: its rounds' range, a model point's value alone."""
    return bar_ends(point) if point.get("rounds_s") else (point["median_s"], point["median_s"])
