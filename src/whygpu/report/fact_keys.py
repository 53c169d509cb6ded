"""Why a quoted fact is unknown, and what to do about it, in one sentence.

A page quotes `{{ fact:KEY }}`; the build fills it from `facts.json`, which the figures step
computes from the results. A key can be missing for three reasons, each with its own fix: the
example has not been measured on any machine yet (measure it), it has been measured but the facts
were computed before (redraw the figures), or the key is misspelt (here are the nearest ones).
The example checks (whygpu.review.examplecheck) and the site's facts hook both say it this way.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from pathlib import Path

from whygpu.contract import examples
from whygpu.contract.names import EXAMPLES_DIR, FIGURES_DIR, RESULTS_DIR

FACTS_FILE = FIGURES_DIR / "facts.json"
#: Where the key patterns are explained for contributors.
PATTERNS = "CONTRIBUTING.md, 'Quote your numbers'"


def why_unknown(key: str, known: Collection[str], root: Path) -> str:
    """Why `key` is not among the `known` facts of the checkout at `root`, and the fix."""
    slug = key.split(".", 1)[0]
    is_example = slug in {p.stem for p in examples.paths(root / EXAMPLES_DIR)}
    measured = sorted((root / RESULTS_DIR).glob(f"*/{slug}.json"))
    has_facts = any(k.startswith(f"{slug}.") for k in known)
    if is_example and not has_facts and not measured:
        return (
            f"{slug} has not been measured on any machine yet, so it has no facts: run "
            f"`nox -s benchmarks -- --only {slug}` (it measures the example and computes its "
            "facts), then build again"
        )
    if is_example and not has_facts:
        where = ", ".join(p.relative_to(root).as_posix() for p in measured)
        return (
            f"{where} exist but {FACTS_FILE} has no {slug} facts, so it is older than them: "
            "run `nox -s figures` to compute the facts again"
        )
    # the same example's keys first: a misspelt variant or end is the usual mistake
    mine = [k for k in known if k.startswith(f"{slug}.")]
    near = difflib.get_close_matches(key, mine, n=3, cutoff=0.5) or difflib.get_close_matches(
        key, list(known), n=3, cutoff=0.6
    )
    if near:
        return "no fact has this name; the nearest known: " + ", ".join(near)
    return (
        f"no fact has this name, nor one close to it; the known ones are the keys of "
        f"{FACTS_FILE} (their patterns: {PATTERNS})"
    )
