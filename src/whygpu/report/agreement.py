"""Do two runs of the same benchmarks agree? Point by point, for a reproducibility check.

The issue that asked for rounds set the bar: two full runs on a quiet machine should agree
within 10% at every point of at least 1 ms per call (shorter calls are dominated by the
Python-side overhead of one call, which is real but says little about the hardware).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from whygpu.store import files
from whygpu.store.types import ResultsDoc


@dataclass(frozen=True)
class Difference:
    example: str
    accelerator: str
    variant: str
    size: int
    first_s: float
    second_s: float

    @property
    def relative(self) -> float:
        """|a - b| / min(a, b): how much slower the slower run was."""
        return abs(self.first_s - self.second_s) / min(self.first_s, self.second_s)

    def describe(self) -> str:
        return (
            f"{self.example} [{self.accelerator}] {self.variant} size {self.size}: "
            f"{self.first_s * 1e3:.3f} ms vs {self.second_s * 1e3:.3f} ms ({self.relative:+.1%})"
        )


def _medians(docs: list[ResultsDoc]) -> dict[tuple[str, str, str, int], float]:
    return {
        (d["example"], r["accelerator"], p["variant"], p["size"]): p["median_s"]
        for d in docs
        for r in d["runs"]
        for p in r["points"]
        if p["status"] == "ok"
    }


def compare(
    first: list[ResultsDoc], second: list[ResultsDoc], min_seconds: float = 1e-3
) -> list[Difference]:
    """Every point both hold whose calls take at least `min_seconds`, largest difference first."""
    a, b = _medians(first), _medians(second)
    out = [
        Difference(*key, a[key], b[key])
        for key in sorted(a.keys() & b.keys())
        if min(a[key], b[key]) >= min_seconds
    ]
    return sorted(out, key=lambda d: d.relative, reverse=True)


def report(first: Path, second: Path, min_ms: float, within: float, show: int = 10) -> int:
    """`whygpu compare`: the largest point differences and the claims both runs make; 1 when
    a point differs by more than `within`, a claim disagrees, or nothing is comparable."""
    from whygpu.report import claims

    a, b = ([files.load(p) for p in files.find([folder])] for folder in (first, second))
    rows = compare(a, b, min_ms / 1e3)
    if not rows:
        print(f"compare: no point of at least {min_ms:g} ms is in both", file=sys.stderr)
        return 1
    over = [r for r in rows if r.relative > within]
    for row in rows[:show]:
        print(row.describe())
    share = 1 - len(over) / len(rows)
    print(
        f"{len(rows)} points of at least {min_ms:g} ms in both; largest difference "
        f"{rows[0].relative:.1%}; {len(over)} over {within:.0%} ({share:.0%} within)"
    )
    said = claims.compare(a, b)
    for claim in said:
        print(claim.describe())
    wrong = [c for c in said if not c.agrees]
    print(f"{len(said)} claims both runs make; {len(wrong)} disagree")
    return 1 if over or wrong else 0
