"""Do two runs make the same claims? What the pages state from the data (crossover sizes, ratios,
shares of the peak, bf16 against fp32, one process against two), re-derived from each run and
compared claim by claim, for `whygpu compare`.

The claims are the site's own facts (whygpu.report.facts, through the build step), so a claim
checked here is the sentence a page prints. A crossover agrees when the two runs put it within
one step of the size sweep; any other claim, a ratio, within CLAIM_RATIO_WITHIN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whygpu.contract.meaning import Declared
from whygpu.store.types import ResultsDoc

#: Ratios and shares of two runs agree within this fraction of the smaller.
CLAIM_RATIO_WITHIN = 0.10
#: The facts that are claims: a crossover size, or a ratio a page states.
_SIZE = re.compile(r"^[\w-]+\.[\w-]+\.(compute|e2e)$")  # <example>.<workload>.<column>
_RATIO = re.compile(r"(\.ratio|\.vs_[\w-]+|\.share_of_peak|\.efficiency\.best)$")


@dataclass(frozen=True)
class Claim:
    key: str  # the fact's key: what the page quotes
    first: float
    second: float
    text_first: str
    text_second: str
    steps: int | None  # crossovers: how many sizes of the sweep apart; None for a ratio

    @property
    def agrees(self) -> bool:
        if self.steps is not None:
            return self.steps <= 1
        return abs(self.first - self.second) / min(self.first, self.second) <= CLAIM_RATIO_WITHIN

    def describe(self) -> str:
        apart = (
            f"{self.steps} size step{'s' if self.steps != 1 else ''} apart"
            if self.steps is not None
            else f"{abs(self.first - self.second) / min(self.first, self.second):.0%} apart"
        )
        verdict = "agrees" if self.agrees else "DIFFERS"
        return f"{verdict}: {self.key}: {self.text_first} against {self.text_second} ({apart})"


def _facts(docs: Sequence[ResultsDoc], declared: Declared | None) -> dict[str, dict[str, Any]]:
    from whygpu.report import build  # the one way to the renderers

    found: dict[str, dict[str, Any]] = json.loads(
        build.render(list(docs), declared=declared, draw=False)["facts.json"]
    )
    return found


def _sizes(docs: Sequence[ResultsDoc]) -> list[float]:
    return sorted({float(p["size"]) for d in docs for r in d["runs"] for p in r["points"]})


def compare(
    first: Sequence[ResultsDoc], second: Sequence[ResultsDoc], declared: Declared | None = None
) -> list[Claim]:
    """Every claim both runs make, in key order."""
    a, b = _facts(first, declared), _facts(second, declared)
    out = []
    for key in sorted(a.keys() & b.keys()):
        x, y = a[key]["value"], b[key]["value"]
        if not isinstance(x, (int, float)) or not isinstance(y, (int, float)) or min(x, y) <= 0:
            continue
        if _SIZE.match(key):
            slug = key.split(".")[0]
            sizes = _sizes([d for d in [*first, *second] if d["example"] == slug]) or [
                float(x),
                float(y),
            ]
            fx, fy = float(x), float(y)
            steps = abs(sizes.index(fx) - sizes.index(fy)) if {fx, fy} <= set(sizes) else 99
            out.append(Claim(key, x, y, a[key]["text"], b[key]["text"], steps))
        elif _RATIO.search(key):
            out.append(Claim(key, x, y, a[key]["text"], b[key]["text"], None))
    return out
