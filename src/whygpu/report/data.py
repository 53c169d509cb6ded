"""The CSV beside every example figure: each drawn point, measured or modelled, with its
median, quartiles, work per call and throughput, for readers who want the numbers."""

from __future__ import annotations

import csv
import io
from typing import NamedTuple

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.report.lines import AnyPoint, ModelLine, Series
from whygpu.report.series import quartiles

Row = dict[str, str | int]


class _Spread(NamedTuple):
    """The columns only a measurement fills: its quartiles, samples and rounds."""

    q1_s: str
    q3_s: str
    samples: int
    noisy: str
    rounds: int
    round_spread: str
    rounds_disagree: str


def render(slug: str, series: list[Series], models: list[ModelLine]) -> dict[str, str]:
    """`<slug>.csv`."""
    return {f"{slug}.csv": _csv(_rows(series, models))}


def _rows(series: list[Series], models: list[ModelLine]) -> list[Row]:
    rows = []
    for s in series:
        run = s["run"]
        where = ("measured", s["doc"]["machine"], run["accelerator"], run["device_name"])
        for p in s["points"]:
            q1, q3 = quartiles(p)
            spread = _Spread(
                f"{q1:.6g}",
                f"{q3:.6g}",
                len(p["samples_s"]),
                str(p["noisy"]).lower(),
                len(p["rounds_s"]),
                f"{p['round_spread']:.4g}",
                str(p["rounds_disagree"]).lower(),
            )
            rows.append(_row(where, s["variant"], p, spread))
    for m in models:
        where = ("model", "datasheet", "gpu", MODEL_GPU.name)
        for mp in m["points"]:
            # one value per size: no samples, no rounds, no spread, never noisy
            t = f"{mp['median_s']:.6g}"
            spread = _Spread(t, t, 0, "false", 0, "0", "false")
            rows.append(_row(where, m["variant"], mp, spread))
    return rows


def _row(where: tuple[str, str, str, str], variant: str, p: AnyPoint, spread: _Spread) -> Row:
    """One CSV row, its columns in their published order."""
    kind, machine, accelerator, device_name = where
    return {
        "kind": kind,
        "machine": machine,
        "accelerator": accelerator,
        "device_name": device_name,
        "variant": variant,
        "size": p["size"],
        "median_s": f"{p['median_s']:.6g}",
        "q1_s": spread.q1_s,
        "q3_s": spread.q3_s,
        "samples": spread.samples,
        "flops": f"{p['flops']:.6g}",
        "bytes_moved": f"{p['bytes_moved']:.6g}",
        "items": f"{p['items']:.6g}",
        "gflop_per_s": f"{p['flops'] / p['median_s'] / 1e9:.6g}",
        "gbyte_per_s": f"{p['bytes_moved'] / p['median_s'] / 1e9:.6g}",
        "items_per_s": f"{p['items'] / p['median_s']:.6g}",
        "noisy": spread.noisy,
        "rounds": spread.rounds,
        "round_spread": spread.round_spread,
        "rounds_disagree": spread.rounds_disagree,
    }


def _csv(rows: list[Row]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
