"""Results grouped into series: one per (machine, accelerator, variant), the unit every chart,
table and fact is drawn from, and the throughput a series' points count."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from whygpu.contract.names import METRIC_UNITS
from whygpu.contract.work import amount
from whygpu.report.lines import AnyPoint, ModelPoint, Series
from whygpu.store.types import MeasuredPoint, ResultsDoc

#: A measured or a model point; a function that takes a list of one kind returns that kind.
P = TypeVar("P", MeasuredPoint, ModelPoint)


def group_series(docs: Sequence[ResultsDoc]) -> dict[str, list[Series]]:
    """Group by example: one series per (machine, accelerator, variant), sorted by size."""
    by_example: dict[str, list[Series]] = defaultdict(list)
    for doc in docs:
        for run in doc["runs"]:
            by_variant: dict[str, list[MeasuredPoint]] = defaultdict(list)
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


def variant_order(series: Sequence[Series]) -> list[str]:
    """Variants in the order their points first appear (the example's VARIANTS order)."""
    seen: list[str] = []
    for s in series:
        for p in s["run"]["points"]:
            if p["variant"] not in seen:
                seen.append(p["variant"])
    return seen


def work_of(doc: ResultsDoc, point: AnyPoint) -> float:
    """The amount the figure's throughput counts: FLOPs, bytes or items of one call."""
    return amount(point, doc["metric"])


def rate_of(doc: ResultsDoc, point: AnyPoint) -> float:
    """A point's throughput: the work one call does over its median time (FLOP/s, B/s, items/s)."""
    return work_of(doc, point) / point["median_s"]


def rate_unit(doc: ResultsDoc) -> tuple[str, float]:
    """Axis label and divisor for the throughput panel."""
    if doc["metric"] == "items":
        return f"{doc['item_unit']}/s", 1.0
    return METRIC_UNITS[doc["metric"]], 1e9


def quartiles(point: MeasuredPoint) -> tuple[float, float]:
    """The first and third quartiles of a point's samples."""
    q1, q3 = np.percentile(np.asarray(point["samples_s"], dtype=float), [25, 75])
    return float(q1), float(q3)


def bar_ends(point: MeasuredPoint) -> tuple[float, float]:
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
    widest: MeasuredPoint  # the point with the widest spread
    median_spread: float


def round_summary(points: Sequence[MeasuredPoint]) -> RoundSummary:
    """`points`: measured points (status ok), at least one."""
    return RoundSummary(
        points=len(points),
        rounds=min(len(p["rounds_s"]) for p in points),
        disagree=sum(bool(p["rounds_disagree"]) for p in points),
        widest=max(points, key=lambda p: p["round_spread"]),
        median_spread=statistics.median(p["round_spread"] for p in points),
    )


def trusted(points: Sequence[P]) -> list[P]:
    """The points a headline may quote: neither noisy inside a round nor disagreeing between
    rounds; all of them where none is that clean (model points carry neither flag)."""
    clean = [p for p in points if not flagged(p)]
    return clean or list(points)


def flagged(point: AnyPoint) -> bool:
    """Flagged: noisy inside a round, or its rounds disagree (a model point never is)."""
    return "noisy" in point and (point["noisy"] or point["rounds_disagree"])


def all_flagged(points: Sequence[AnyPoint]) -> bool:
    """Every point is flagged, so even the best one is no single number: a headline then says
    so and quotes its range (a model line, whose points carry no flags, never is)."""
    return bool(points) and all(flagged(p) for p in points)


def rate_range(doc: ResultsDoc, point: AnyPoint) -> tuple[float, float]:
    """The rates a point's rounds span, slowest round first (its time range, inverted)."""
    fastest, slowest = time_range(point)
    rate = rate_of(doc, point)
    return rate * point["median_s"] / slowest, rate * point["median_s"] / fastest


def best_point(doc: ResultsDoc, points: Sequence[P]) -> P:
    """The one best point of a series, as every caption, table and fact quotes it: the fastest
    trusted point."""
    return max(trusted(points), key=lambda p: rate_of(doc, p))


def time_range(point: AnyPoint) -> tuple[float, float]:
    """Where a rerun of a point may land: its rounds' range, a model point's value alone."""
    return bar_ends(point) if "rounds_s" in point else (point["median_s"], point["median_s"])
