"""A published point is measured in rounds spread across the sweep; this folds them into one.

One round is one `measure()` of a freshly built workload. The sweep visits every point once per
round (round-robin through sizes and variants), so a slow spell on a shared machine lands on
different points in different rounds instead of on one point three times. The published value
is the median of the rounds' medians; rounds that differ by more than 10% of it disagree, and the
point is flagged: its value depends on when it was measured.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from whygpu.contract.names import ROUND_DISAGREE_FRACTION
from whygpu.contract.work import Work
from whygpu.measure.timing import NOISY_IQR_FRACTION, Timing

#: Rounds per profile: the quick profile is a first look and takes two, the full one three.
ROUNDS = {"quick": 2, "full": 3}


@dataclass
class Rounds:
    """The rounds one point has so far (from this run, or resumed from an interrupted one)."""

    cost: Work
    medians: list[float] = field(default_factory=list)
    samples: list[float] = field(default_factory=list)
    calls_per_sample: int = 0
    wall_s: float = 0.0

    def add(self, timing: Timing, wall_s: float) -> None:
        self.medians.append(timing.median_s)
        self.samples += timing.samples_s
        calls, have = timing.calls_per_sample, self.calls_per_sample
        self.calls_per_sample = min(have, calls) if have else calls
        self.wall_s += wall_s

    @classmethod
    def resumed(cls, point: dict[str, Any], cost: Work) -> Rounds:
        return cls(
            cost,
            list(point["rounds_s"]),
            list(point["samples_s"]),
            point["calls_per_sample"],
            point["wall_s"],
        )

    def point(self, where: dict[str, Any]) -> dict[str, Any]:
        """The point as results files hold it."""
        median = statistics.median(self.medians)
        q1, q3 = (float(v) for v in np.percentile(self.samples, [25, 75]))
        spread = (max(self.medians) - min(self.medians)) / median
        return {
            **where,
            "status": "ok",
            "params": self.cost.params,
            "flops": float(self.cost.flops),
            "bytes_moved": float(self.cost.bytes_moved),
            "items": float(self.cost.items),
            "median_s": median,
            "iqr_s": q3 - q1,
            "samples_s": self.samples,
            "calls_per_sample": self.calls_per_sample,
            "noisy": q3 - q1 > NOISY_IQR_FRACTION * median,
            "rounds_s": self.medians,
            "round_spread": spread,
            "rounds_disagree": spread > ROUND_DISAGREE_FRACTION,
            "wall_s": round(self.wall_s, 3),
        }
