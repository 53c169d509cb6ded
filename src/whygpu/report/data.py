"""The CSV beside every example figure: each drawn point, measured or modelled, with its
median, quartiles, work per call and throughput, for readers who want the numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.series import quartiles


def render(slug: str, series: list[dict[str, Any]], models: list[dict[str, Any]]) -> dict[str, str]:
    """`<slug>.csv`."""
    return {f"{slug}.csv": _csv(_rows(series, models))}


def _rows(series: list[dict[str, Any]], models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for s in series + models:
        model = s.get("model", False)
        for p in s["points"]:
            q1, q3 = quartiles(p)
            rows.append(
                {
                    "kind": "model" if model else "measured",
                    "machine": "datasheet" if model else s["doc"]["machine"],
                    "accelerator": "gpu" if model else s["run"]["accelerator"],
                    "device_name": MODEL_GPU.name if model else s["run"]["device_name"],
                    "variant": s["variant"],
                    "size": p["size"],
                    "median_s": f"{p['median_s']:.6g}",
                    "q1_s": f"{q1:.6g}",
                    "q3_s": f"{q3:.6g}",
                    "samples": 0 if model else len(p["samples_s"]),
                    "flops": f"{p['flops']:.6g}",
                    "bytes_moved": f"{p['bytes_moved']:.6g}",
                    "items": f"{p['items']:.6g}",
                    "gflop_per_s": f"{p['flops'] / p['median_s'] / 1e9:.6g}",
                    "gbyte_per_s": f"{p['bytes_moved'] / p['median_s'] / 1e9:.6g}",
                    "items_per_s": f"{p['items'] / p['median_s']:.6g}",
                    "noisy": str(p["noisy"]).lower(),
                    "rounds": 0 if model else len(p["rounds_s"]),
                    "round_spread": f"{p['round_spread']:.4g}",
                    "rounds_disagree": str(p["rounds_disagree"]).lower(),
                }
            )
    return rows


def _csv(rows: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
