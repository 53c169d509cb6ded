"""Which machine a page shows: one rule, written once, for the prose and for every figure.

The reference machine is the newest machine with a measured GPU run; where no machine has one,
the machine whose CPU measured the most examples (then the newest, then by name). An example's
figure shows the site's reference machine when it measured that example, else the same rule
applied to the machines that did. Every other machine is compared on the Results page.
"""

from __future__ import annotations

from collections.abc import Sequence

from whygpu.contract.names import Accelerator
from whygpu.store.types import ResultsDoc

RULE = (
    "the newest machine with a measured GPU run, else the machine whose CPU measured the most "
    "examples"
)


def _newest(docs: Sequence[ResultsDoc], machine: str, accelerator: Accelerator) -> str:
    return max(
        (
            r["provenance"]["date_utc"]
            for d in docs
            if d["machine"] == machine
            for r in d["runs"]
            if r["accelerator"] == accelerator
        ),
        default="",
    )


def reference_machine(docs: Sequence[ResultsDoc], example: str | None = None) -> str | None:
    """The site's reference machine, or with `example` the one that example's figure shows."""
    if example is not None:
        site = reference_machine(docs)
        mine = [d for d in docs if d["example"] == example]
        if any(d["machine"] == site for d in mine):
            return site
        docs = mine
    machines = sorted({d["machine"] for d in docs})
    with_gpu = [m for m in machines if _newest(docs, m, "gpu")]
    if with_gpu:
        newest: str = max(with_gpu, key=lambda m: (_newest(docs, m, "gpu"), m))
        return newest
    if not machines:
        return None
    examples = {m: sum(d["machine"] == m for d in docs) for m in machines}
    # most examples first, then the newest CPU run, then by name (stable sorts, last key first)
    machines.sort(key=lambda m: _newest(docs, m, "cpu"), reverse=True)
    machines.sort(key=lambda m: examples[m], reverse=True)
    most: str = machines[0]
    return most
