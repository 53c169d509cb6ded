"""Two runs compared point by point: what `whygpu compare` reports."""

from __future__ import annotations

import copy
import json

import pytest

from whygpu import cli
from whygpu.report.agreement import compare


def test_identical_runs_agree_exactly(make):
    docs = [make.doc("matmul")]
    rows = compare(docs, copy.deepcopy(docs), min_seconds=0)
    assert [r.size for r in sorted(rows, key=lambda r: r.size)] == [8, 16]
    assert all(r.relative == 0 for r in rows)


def test_the_largest_difference_comes_first(make):
    first = make.doc("matmul")
    second = copy.deepcopy(first)
    second["runs"][0]["points"][1]["median_s"] *= 1.25  # size 16, 25% slower
    rows = compare([first], [second], min_seconds=0)
    assert (rows[0].size, rows[0].variant) == (16, "default")
    assert rows[0].relative == pytest.approx(0.25)
    assert "+25.0%" in rows[0].describe()


def test_calls_shorter_than_the_threshold_are_left_out(make):
    docs = [make.doc("matmul")]  # sizes 8 and 16 take 2 ms and 4 ms
    assert [r.size for r in compare(docs, docs, min_seconds=0.003)] == [16]


def _write(folder, doc):
    path = folder / doc["machine"] / f"{doc['example']}.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(doc))


def test_compare_command_exits_1_when_a_point_differs_too_much(tmp_path, make, capsys):
    first = make.doc("matmul")
    second = copy.deepcopy(first)
    point = second["runs"][0]["points"][0]
    point["median_s"] *= 1.04
    point["rounds_s"][1] *= 1.04
    point["round_spread"] = (max(point["rounds_s"]) - min(point["rounds_s"])) / point["median_s"]
    _write(tmp_path / "a", first)
    _write(tmp_path / "b", second)
    assert cli.main(["compare", str(tmp_path / "a"), str(tmp_path / "b")]) == 0
    assert "largest difference 4.0%; 0 over 10%" in capsys.readouterr().out
    args = ["compare", str(tmp_path / "a"), str(tmp_path / "b"), "--within", "0.03"]
    assert cli.main(args) == 1
    assert "1 over 3%" in capsys.readouterr().out
