"""A model line is its own kind of line: its points hold a modelled time and the work of a call,
never samples, rounds or flags dressed up as a measurement, and the report tells it from a
measured series by its type."""

from __future__ import annotations

from whygpu.contract.meaning import PLAIN_EXAMPLE
from whygpu.report import data
from whygpu.report.lines import is_model, key_of
from whygpu.report.models import model_lines
from whygpu.report.series import best_point, group_series, time_range, trusted

MODEL_POINT_KEYS = {"size", "median_s", "flops", "bytes_moved", "items", "params"}


def _series(make):
    run = make.run()
    run["points"] = [make.point(size, t, "fp32") for size, t in ((64, 2e-5), (128, 1e-4))]
    return group_series([make.doc("matmul", runs=[run])])["matmul"]


def test_a_model_line_holds_model_points_only(make):
    series = _series(make)
    (line,) = model_lines(series, PLAIN_EXAMPLE)
    assert is_model(line) and not any(is_model(s) for s in series)
    assert [set(p) for p in line["points"]] == [MODEL_POINT_KEYS] * 2
    assert [p["size"] for p in line["points"]] == [64, 128]
    assert line["of"] == key_of(line) == "fp32" and key_of(series[0]) == "fp32"


def test_a_model_point_has_no_spread_and_is_never_flagged(make):
    (line,) = model_lines(_series(make), PLAIN_EXAMPLE)
    points = line["points"]
    assert [time_range(p) for p in points] == [(p["median_s"], p["median_s"]) for p in points]
    assert trusted(points) == points
    assert best_point(line["doc"], points) in points


def test_the_csv_writes_a_model_row_as_one_value_without_samples(make):
    series = _series(make)
    csv = data.render("matmul", series, model_lines(series, PLAIN_EXAMPLE))["matmul.csv"]
    header, *rows = [line.split(",") for line in csv.splitlines()]
    model = [dict(zip(header, row, strict=True)) for row in rows if row[0] == "model"]
    assert len(model) == 2
    for row in model:
        assert row["q1_s"] == row["q3_s"] == row["median_s"]
        assert (row["samples"], row["rounds"], row["noisy"]) == ("0", "0", "false")
