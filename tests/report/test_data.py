"""The CSV beside each figure holds every plotted point, measured or modelled, truthfully."""

from __future__ import annotations

import csv
import io

import pytest

from whygpu.report import build
from whygpu.report.reference import reference_machine
from whygpu.store import files as results


def test_csv_holds_the_plotted_medians(root, rendered):
    """Every point of the machine each figure shows (the Results page compares the others)."""
    docs = results.load_all(root / "results")
    for doc in docs:
        if doc["machine"] != reference_machine(docs, doc["example"]):
            continue
        rows = list(csv.DictReader(io.StringIO(rendered[f"{doc['example']}.csv"])))
        rows = [r for r in rows if r["kind"] == "measured"]
        for run in doc["runs"]:
            ok = [p for p in run["points"] if p["status"] == "ok"]
            mine = [
                r
                for r in rows
                if r["machine"] == doc["machine"] and r["accelerator"] == run["accelerator"]
            ]
            plotted = {(r["variant"], int(r["size"])): float(r["median_s"]) for r in mine}
            measured = {(p["variant"], p["size"]): p["median_s"] for p in ok}
            assert plotted.keys() == measured.keys()
            for key, median in measured.items():
                assert plotted[key] == pytest.approx(median, rel=1e-5), key


def test_model_rows_are_never_noisy(root):
    """A model has one value per size and no samples: the bug copied `noisy` from the CPU."""
    docs = results.load_all(root / "results")
    doc = next(d for d in docs if d["example"] == "matmul")
    for point in doc["runs"][0]["points"]:
        if point["status"] == "ok":
            point["noisy"] = True  # every measured point noisy: no model row may inherit it
    rows = list(csv.DictReader(io.StringIO(build.render([doc], draw=False)["matmul.csv"])))
    models = [r for r in rows if r["kind"] == "model"]
    assert models and {r["noisy"] for r in models} == {"false"}
    assert {r["samples"] for r in models} == {"0"} and all(
        r["q1_s"] == r["median_s"] for r in models
    )
    assert {r["noisy"] for r in rows if r["kind"] == "measured"} == {"true"}
