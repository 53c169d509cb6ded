"""Which runs are stale: measured with an older version of their example's workload, or long
before the newest results, so the figures and the results page can say so."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from whygpu.store.types import ResultsDoc, Run

STALE_AFTER_DAYS = 365


def staleness(
    docs: Sequence[ResultsDoc], versions: dict[str, int]
) -> dict[tuple[str, str, str], str]:
    """Why a run is stale, keyed by (machine, example, accelerator); absent when it is current.

    Age is judged against the newest run on the site, not the clock, so the same results
    always draw the same pages.
    """
    dates = [_date(r) for d in docs for r in d["runs"]]
    newest = max(dates) if dates else None
    stale: dict[tuple[str, str, str], str] = {}
    for doc in docs:
        for run in doc["runs"]:
            key = (doc["machine"], doc["example"], run["accelerator"])
            current = versions.get(doc["example"])
            if current is not None and doc["benchmark_version"] < current:
                stale[key] = (
                    f"benchmark version {doc['benchmark_version']}, the example is now at "
                    f"version {current}"
                )
            elif newest and (newest - _date(run)).days > STALE_AFTER_DAYS:
                stale[key] = "measured more than 12 months before the newest results here"
    return stale


def _date(run: Run) -> dt.date:
    return dt.date.fromisoformat(run["provenance"]["date_utc"][:10])
