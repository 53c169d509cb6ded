"""figure-machine.json: the machine each example's figure shows, its CPU and its CPU's rate at
every size, so that an example page executed on another machine (the one that builds the site, a
reader's laptop) can compare its own numbers with the figure's in one generated sentence
(whygpu.measure.beside) instead of leaving a reader to wonder why they differ.
"""

from __future__ import annotations

from typing import Any

from whygpu.contract.names import FIGURE_MACHINE_FILE
from whygpu.report.reference import reference_machine
from whygpu.report.series import flagged, group_series, rate_of, rate_unit
from whygpu.report.text import json_text
from whygpu.store.types import ResultsDoc

FILE = FIGURE_MACHINE_FILE


def render(docs: list[ResultsDoc]) -> dict[str, str]:
    out: dict[str, Any] = {}
    for slug, series in sorted(group_series(docs).items()):
        machine = reference_machine(docs, slug)
        cpu = [
            s for s in series if s["doc"]["machine"] == machine and s["run"]["accelerator"] == "cpu"
        ]
        if not cpu:
            continue
        doc, prov = cpu[0]["doc"], cpu[0]["run"]["provenance"]
        unit, div = rate_unit(doc)
        out[slug] = {
            "machine": machine,
            "cpu": {k: prov["cpu"].get(k) for k in ("model", "microarchitecture", "isa")},
            "threads": cpu[0]["run"]["settings"]["num_threads"],
            "unit": unit,
            "per_unit": div,
            "variants": {
                s["variant"]: {
                    "dtype": str(s["points"][0]["params"].get("dtype", "float32")),
                    "rate": {str(p["size"]): rate_of(doc, p) / div for p in s["points"]},
                    "flagged": [p["size"] for p in s["points"] if flagged(p)],
                }
                for s in cpu
            },
        }
    return {FILE: json_text(out)}
