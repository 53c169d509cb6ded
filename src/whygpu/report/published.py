"""measure.json: what the Measure page shows beside the reader's own run, computed here so the
page restates no rule and parses no CSV.

For every workload whose crossings the report found (an example that declares FINDS_CROSSOVER,
one entry per compute variant): each machine's CPU line, the GPU side the figure draws on its
reference machine (measured, or the datasheet model), every point with its median, the range a
rerun may land in, its FLOPs and GFLOP/s, and the crossings with their text. Also the name of
the browser-results format, which the page writes into its export.
"""

from __future__ import annotations

from typing import Any

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.contract.names import BROWSER_FORMAT, BROWSER_VERSION, CPU
from whygpu.report import evidence
from whygpu.report.crossover import crossing_text
from whygpu.report.declared import or_default
from whygpu.report.lines import Line, Series, is_model
from whygpu.report.series import group_series, rate_of, time_range
from whygpu.report.text import json_text
from whygpu.store.types import ResultsDoc

FILE = "measure.json"
#: How a sentence says each column of a crossing row (whygpu.report.crossover).
COLUMNS = {"compute": "with the data already on the GPU", "e2e": "end to end, copies included"}


def render(
    docs: list[ResultsDoc],
    crossings: list[dict[str, Any]],
    declared: Declared | None = None,
) -> dict[str, str]:
    """`measure.json`; `crossings` is what whygpu.report.crossover.crossovers(docs) returns."""
    declared = or_default(declared)
    series = group_series(docs)
    sides = evidence.sides(docs, declared)
    workloads = sorted({(row["example"], row["op"]) for row in crossings})
    page = {
        "format": BROWSER_FORMAT,
        "version": BROWSER_VERSION,
        "workloads": [
            {
                "example": slug,
                "op": op,
                "lines": _lines(series[slug], sides[slug], op, declared.of(slug)),
                "crossings": [
                    _crossing(row)
                    for row in crossings
                    if row["example"] == slug and row["op"] == op
                ],
            }
            for slug, op in workloads
        ],
    }
    return {FILE: json_text(page)}


def _lines(
    series: list[Series], side: evidence.Side, op: str, meaning: ExampleMeaning
) -> list[dict[str, Any]]:
    """Each machine's CPU line of `op`, then the GPU side of the reference machine's figure."""
    cpu = [s for s in series if s["run"]["accelerator"] == CPU and s["variant"] == op]
    lines = [_line(s, f"{s['doc']['machine']} CPU (measured by this site)") for s in cpu]
    for s in side.gpu:
        if is_model(s):
            if s["of"] != op:
                continue
            how = "end to end, model" if s["crosses_pcie"] else "model"
            lines.append(_line(s, f"{MODEL_GPU.name} ({how}, not measured)"))
            continue
        said = meaning.of(s["variant"])
        if (said.end_to_end_of or s["variant"]) != op:
            continue
        how = ", end to end" if said.crosses_pcie else ""
        name = f"{s['run']['device_name']} on {s['doc']['machine']}{how} (measured by this site)"
        lines.append(_line(s, name))
    return lines


def _line(s: Line, name: str) -> dict[str, Any]:
    model = is_model(s)
    return {
        "name": name,
        "kind": "model" if model else "measured",
        "machine": "datasheet" if model else s["doc"]["machine"],
        "device": MODEL_GPU.name if is_model(s) else s["run"]["device_name"],
        "points": [
            {
                "size": p["size"],
                "median_s": _round(p["median_s"]),
                "time_range": [_round(t) for t in time_range(p)],
                "flops": p["flops"],
                "gflop_per_s": _round(rate_of(s["doc"], p) / 1e9),
            }
            for p in s["points"]
        ],
    }


def _crossing(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in ("machine", "cpu", "gpu", "kind")}
    said = []
    for column, how in COLUMNS.items():
        if column not in row:
            continue
        out[column] = row[column]
        out[f"{column}_sure"] = row.get(f"{column}_sure")
        out[f"{column}_text"] = crossing_text(row, column)
        where = (
            f"from {out[f'{column}_text']}" if row[column] is not None else "at no size measured"
        )
        said.append(f"{where} {how}")
    out["sentence"] = (
        f"On {row['machine']} ({row['cpu']}), the {row['gpu']}, {row['kind']}, beats the CPU "
        + " and ".join(said)
        + "."
    )
    return out


def _round(x: float) -> float:
    """Six significant digits, as the CSVs print them: enough for a plot, stable in a diff."""
    return float(f"{x:.6g}")
