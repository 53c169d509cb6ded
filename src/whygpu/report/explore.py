"""The data behind an example's interactive figure, `<slug>.explore.json`: every published
machine's measured lines, and for each GPU a reader may pick, the datasheet model of it on that
machine's sizes, calibrated where a cited share exists. The page's script
(docs/javascripts/explore.js) draws from it; the static SVG stays the figure without JavaScript.

Nothing here is computed in the browser that the report could compute: times, rates, rounds'
ranges, flags and each line's kind of evidence are all written out, so the interactive figure
cannot say anything the static one and its caption do not."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from whygpu.contract.datasheet import MODEL_GPU, REFERENCE_GPUS
from whygpu.contract.meaning import Declared
from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report import cited
from whygpu.report.declared import or_default
from whygpu.report.gpu_choices import PICKABLE
from whygpu.report.lines import ModelLine, Series
from whygpu.report.models import (
    borrowed,
    borrowed_text,
    launch_row,
    line_uses,
    model_lines,
    model_name,
    short_gpu,
)
from whygpu.report.reference import reference_machine
from whygpu.report.series import bar_ends, group_series, rate_unit, variant_order, work_of
from whygpu.store.types import ResultsDoc

EXPLORE_GPUS = PICKABLE  # the GPUs a reader may switch the model lines to
SUFFIX = ".explore.json"


def render(docs: Sequence[ResultsDoc], declared: Declared | None = None) -> dict[str, str]:
    """One JSON file per example with measured lines."""
    declared = or_default(declared)
    launch = launch_row(docs, declared)
    out = {}
    for slug, series in sorted(group_series(docs).items()):
        meaning = declared.of(slug)
        doc = series[0]["doc"]
        unit, div = rate_unit(doc)
        machines = {}
        for machine in sorted({s["doc"]["machine"] for s in series}):
            mine = [s for s in series if s["doc"]["machine"] == machine]
            cpu = [s for s in mine if s["run"]["accelerator"] == "cpu"]
            gpu = [s for s in mine if s["run"]["accelerator"] == "gpu"]
            models: dict[str, list[dict[str, Any]]] = {}
            for key in () if gpu else EXPLORE_GPUS:
                drawn = model_lines(cpu, meaning, launch, REFERENCE_GPUS[key])
                if drawn:
                    models[key] = [_model(m, div) for m in drawn]
            sizes = sorted({p["size"] for s in mine for p in s["points"]})
            order = variant_order(mine)
            machines[machine] = {
                "device": _cpu_name((cpu or mine)[0]),
                # coloured as the static figure colours them: by the variant's order
                "lines": [
                    {**_measured(s, div), "colour": order.index(s["variant"])} for s in cpu + gpu
                ],
                "models": models,
                "cited": _cited(meaning.cited_beside, sizes),
            }
        body = {
            "example": slug,
            "size_label": doc["size_label"],
            "rate_unit": unit,
            "machine": reference_machine(docs, slug),
            "gpu": MODEL_GPU.key,
            "gpus": {key: short_gpu(REFERENCE_GPUS[key].name) for key in EXPLORE_GPUS},
            "flag_fraction": ROUND_DISAGREE_FRACTION,
            "machines": machines,
        }
        out[f"{slug}{SUFFIX}"] = json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n"
    return out


def _cpu_name(s: Series) -> str:
    """The machine as its menu entry names it: the CPU and, where recorded, its
    microarchitecture, which tells apart machines of one brand name ("AMD EPYC, Zen 4")."""
    run = s["run"]
    arch = run["provenance"]["cpu"].get("microarchitecture")
    return f"{run['device_name']}, {arch}" if arch else run["device_name"]


def _g(x: float) -> float:
    """Six significant digits: what a reader can see, and stable across CPUs' last bits."""
    return float(f"{x:.6g}")


def _measured(s: Series, div: float) -> dict[str, Any]:
    run = s["run"]
    device = run["device_name"]
    if run["accelerator"] == "cpu":
        device += f", {run['settings']['num_threads']} threads"
    points = []
    for p in s["points"]:
        low, high = bar_ends(p)
        work = work_of(s["doc"], p) / div
        points.append(
            {
                "n": p["size"],
                "t": _g(p["median_s"]),
                "lo": _g(low),
                "hi": _g(high),
                "r": _g(work / p["median_s"]),
                "rlo": _g(work / high),
                "rhi": _g(work / low),
                "rounds": len(p["rounds_s"]),
                "flag": bool(p["rounds_disagree"]),
            }
        )
    return {
        "name": f"{run['accelerator'].upper()} {s['variant']}",
        "accelerator": run["accelerator"],
        "variant": s["variant"],
        "device": device,
        "evidence": "measured here",
        "points": points,
    }


def _model(m: ModelLine, div: float) -> dict[str, Any]:
    kind = "calibrated model" if m["calibrated"] else "model"
    lent = borrowed_text(borrowed(m["gpu"], line_uses(m), m["launch"]))
    return {
        "name": model_name(m),
        "variant": m["key"],
        "of": m["of"],
        "device": m["gpu"].name,
        "evidence": f"{kind} (datasheet{', cited share of peak' if m['calibrated'] else ''})",
        "e2e": m["crosses_pcie"],
        "calibrated": m["calibrated"],
        "borrowed": lent,
        "points": [
            {
                "n": p["size"],
                "t": _g(p["median_s"]),
                "r": _g(work_of(m["doc"], p) / div / p["median_s"]),
            }
            for p in m["points"]
        ],
    }


def _cited(quantity: str | None, sizes: list[int]) -> list[dict[str, Any]]:
    """The cited marks as the static figure draws them, with times in seconds."""
    out = []
    for mark in cited.marks(quantity, sizes):
        value = float(mark["value"])  # type: ignore[arg-type]
        time = mark["panel"] == "time"
        out.append(
            {
                "panel": mark["panel"],
                "n": mark["size"],
                "v": _g(value / 1e3 if time else value),  # the time panel draws ms
                "name": mark["tag"],
                "label": mark["label"],
            }
        )
    return out
