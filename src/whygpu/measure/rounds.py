"""A published point is measured in rounds spread across the sweep; this folds them into one.

One round is one `measure()` of a freshly built workload. The sweep visits every point once per
round (round-robin through sizes and variants), so a slow spell on a shared machine lands on
different points in different rounds instead of on one point three times. The published value
is the median of the rounds' medians; rounds that differ by more than 10% of it disagree, and the
point is flagged: its value depends on when it was measured. Noise inside a round is kept apart
from disagreement between rounds: the point's IQR is the median of its rounds' IQRs, so `noisy`
says the samples of a round scattered, `rounds_disagree` that the rounds did.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from whygpu.contract import thresholds
from whygpu.contract.work import Work
from whygpu.measure.timing import Timing


@dataclass
class Rounds:
    """The rounds one point has so far (from this run, or resumed from an interrupted one)."""

    cost: Work
    medians: list[float] = field(default_factory=list)
    iqrs: list[float] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)
    calls_per_sample: int = 0
    wall_s: float = 0.0

    def add(self, timing: Timing, wall_s: float) -> None:
        self.medians.append(timing.median_s)
        self.iqrs.append(timing.iqr_s)
        self.samples += timing.samples_s
        calls, have = timing.calls_per_sample, self.calls_per_sample
        self.calls_per_sample = min(have, calls) if have else calls
        self.wall_s += wall_s

    @classmethod
    def resumed(cls, point: Mapping[str, Any], cost: Work) -> Rounds:
        rounds = list(point["rounds_s"])
        # an in-progress file keeps the median of its rounds' IQRs, not each one
        iqrs = [point["iqr_s"]] * len(rounds)
        return cls(
            cost, rounds, iqrs, list(point["samples_s"]), point["calls_per_sample"], point["wall_s"]
        )

    def point(self, where: dict[str, Any]) -> dict[str, Any]:
        """The point as results files hold it."""
        median = statistics.median(self.medians)
        iqr = statistics.median(self.iqrs)
        spread = thresholds.round_spread(self.medians, median)
        return {
            **where,
            "status": "ok",
            "params": self.cost.params,
            "flops": float(self.cost.flops),
            "bytes_moved": float(self.cost.bytes_moved),
            "items": float(self.cost.items),
            "median_s": median,
            "iqr_s": iqr,
            "samples_s": self.samples,
            "calls_per_sample": self.calls_per_sample,
            "noisy": thresholds.noisy(iqr, median),
            "rounds_s": self.medians,
            "round_spread": spread,
            "rounds_disagree": thresholds.rounds_disagree(spread),
            "wall_s": round(self.wall_s, 3),
        }
