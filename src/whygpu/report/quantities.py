"""One number per quantity: where two examples measure the same thing, which one the site quotes,
and whether their measurements agree.

An example's variant may declare `same_as: "<example>/<variant>"` (whygpu.contract.meaning): the
CPU's fp32 matrix product, say, timed again by the page that compares CPU and GPU size by size.
The site then quotes the other example's rates for it everywhere. The two are compared at every
size both measured on one machine: where their rounds' ranges do not overlap, the variant must
say why (`differs_because`), and the build stops, naming both files, where it does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whygpu.contract.meaning import Declared
from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report.declared import or_default
from whygpu.report.series import flagged, rate_of, rate_range, time_range
from whygpu.report.text import duration, number
from whygpu.store.errors import ResultsError
from whygpu.store.types import MeasuredPoint, ResultsDoc


@dataclass(frozen=True)
class Pair:
    """One size both examples measured on one machine and accelerator."""

    machine: str
    accelerator: str
    example: str  # the one that declares `same_as`
    variant: str
    quoted: str  # "<example>/<variant>" whose numbers the site quotes
    size: int
    mine: MeasuredPoint
    theirs: MeasuredPoint

    quoted_title: str  # that example's title, as a reader knows its page

    @property
    def apart(self) -> bool:
        """Whether the two rounds' ranges do not overlap: a difference beyond their spread.
        A point of one round has no range: there, beyond the rounds-disagree threshold."""
        if min(len(p.get("rounds_s") or []) for p in (self.mine, self.theirs)) < 2:
            return self.relative > ROUND_DISAGREE_FRACTION
        a, b = _range(self.mine), _range(self.theirs)
        return a[1] < b[0] or b[1] < a[0]

    @property
    def relative(self) -> float:
        """How much slower the slower call was, as a fraction of the faster."""
        a, b = self.mine["median_s"], self.theirs["median_s"]
        return abs(a - b) / min(a, b)


def _range(p: MeasuredPoint) -> tuple[float, float]:
    rounds = p.get("rounds_s") or [p["median_s"]]
    return min(rounds), max(rounds)


def quoted(declared: Declared, example: str, variant: str) -> tuple[str, str]:
    """The example and variant whose numbers the site quotes for this one's quantity."""
    said = declared.variant(example, variant).same_as
    if not said:
        return example, variant
    other, _, theirs = said.partition("/")
    return other, theirs


def pairs(docs: Sequence[ResultsDoc], declared: Declared | None = None) -> list[Pair]:
    """Every size measured by a variant that declares `same_as` and by the variant it names."""
    declared = or_default(declared)
    points: dict[tuple[str, str, str, str, int], MeasuredPoint] = {}
    titles = {doc["example"]: doc["title"] for doc in docs}
    for doc in docs:
        for run in doc["runs"]:
            for p in run["points"]:
                if p["status"] == "ok":
                    m, on, ex = doc["machine"], run["accelerator"], doc["example"]
                    points[m, on, ex, p["variant"], p["size"]] = p
    out = []
    for (machine, acc, example, variant, size), mine in sorted(points.items()):
        said = declared.variant(example, variant).same_as
        if not said:
            continue
        other, theirs = quoted(declared, example, variant)
        match = points.get((machine, acc, other, theirs, size))
        if match is not None:
            out.append(Pair(machine, acc, example, variant, said, size, mine, match, titles[other]))
    return out


def check(docs: Sequence[ResultsDoc], declared: Declared | None = None) -> None:
    """Stop the build where one quantity's two measurements differ beyond their rounds' spread
    and the variant gives no reason, naming the file, the variant and the size."""
    declared = or_default(declared)
    for pair in pairs(docs, declared):
        if pair.apart and not declared.variant(pair.example, pair.variant).differs_because:
            raise ResultsError(
                f"results/{pair.machine}/{pair.example}.json",
                f"{pair.variant} at size {pair.size} ({pair.accelerator})",
                f"{pair.relative:.0%} from {pair.quoted} on the same machine, beyond both "
                f"rounds' ranges; the site quotes {pair.quoted} for this quantity, so remeasure "
                "both, or say why the calls differ with `differs_because` in the example's "
                "MEANING",
            )


def comparison_text(
    docs: Sequence[ResultsDoc],
    machine: str,
    example: str,
    variant: str,
    declared: Declared | None = None,
) -> str | None:
    """One sentence that names both measurements of a quantity on `machine`'s CPU and says
    where they agree, where they differ, and why; None where the variant names no other."""
    declared = or_default(declared)
    said = declared.variant(example, variant)
    found = [
        p
        for p in pairs(docs, declared)
        if (p.machine, p.accelerator, p.example, p.variant) == (machine, "cpu", example, variant)
    ]
    if not said.same_as or not found:
        return None
    apart = [p for p in found if p.apart]
    theirs = quoted(declared, example, variant)[1]
    lead = (
        f"Its CPU {variant} is the {found[0].quoted_title} page's {theirs}, whose numbers the "
        f"site quotes for it: at the {len(found)} sizes both measured"
    )
    if not apart:
        return f"{lead}, their times agree within their rounds' ranges."
    worst = max(apart, key=lambda p: p.relative)
    sizes = ", ".join(f"{p.size:,}" for p in apart)
    why = f": {said.differs_because}" if said.differs_because else ""
    return (
        f"{lead}, their times agree within their rounds' ranges at {len(found) - len(apart)} "
        f"and differ beyond them at n = {sizes} (by up to {worst.relative:.0%}, at "
        f"n = {worst.size:,}){why}."
    )


class Quantity:
    """What a line's facts measure, named so that two examples timing the same thing (one
    declares `same_as` the other) name it alike: "amd-epyc-2c cpu matmul/fp32"."""

    def __init__(
        self,
        machine: str,
        where: str,
        slug: str,
        variant: str,
        declared: Declared,
        docs: list[ResultsDoc],
    ) -> None:
        said = declared.variant(slug, variant)
        other, theirs = quoted(declared, slug, variant)
        #: the site quotes this line's own rates: no other example's stand for them
        self.quoted_here = not said.same_as
        how = f" as {slug}/{variant} calls it" if said.differs_because else ""
        self.name = f"{machine} {where} {other}/{theirs}{how}"
        # where the calls are the same, a size both measured quotes the other example's point
        self.alias = {
            p.size: p.theirs
            for p in pairs(docs, declared)
            if (p.machine, p.example, p.variant) == (machine, slug, variant)
            and p.accelerator == where.split()[0]
            and not said.differs_because
        }


#: How a fact at one size says its point is flagged: the site never quotes one as one number.
FLAGGED = "its rounds' range: flagged"


def time_text(p: Any) -> str:
    """A point's time, or the range of its rounds where it is flagged."""
    if not flagged(p):
        return duration(p["median_s"])
    low, high = time_range(p)
    return f"{duration(low)} to {duration(high)} ({FLAGGED})"


def rate_text(doc: ResultsDoc, p: Any, unit: str, div: float) -> str:
    """A point's rate, or the range of its rounds where it is flagged."""
    if not flagged(p):
        return f"{number(rate_of(doc, p) / div)} {unit}"
    low, high = (r / div for r in rate_range(doc, p))
    return f"{number(low)} to {number(high)} {unit} ({FLAGGED})"
