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


def _compared(make, slower: float):
    """fp32 and bf16 of one product; in the second run bf16 takes `slower` times as long."""
    from whygpu.contract.meaning import Declared, ExampleMeaning, VariantMeaning

    run = make.run()
    run["points"] = [
        make.point(size, t, variant)
        for size in (64, 128)
        for variant, t in (("fp32", 1e-3 * size / 64), ("bf16", 0.5e-3 * size / 64))
    ]
    for p in run["points"]:
        p["params"] = {"dtype": "bfloat16" if p["variant"] == "bf16" else "float32"}
    first = [make.doc("mm", runs=[run])]
    second = copy.deepcopy(first)
    for p in second[0]["runs"][0]["points"]:
        if p["variant"] == "bf16":
            p["median_s"] *= slower
            p["rounds_s"] = [x * slower for x in p["rounds_s"]]
    said = {"bf16": VariantMeaning(compare_with="fp32"), "fp32": VariantMeaning(ceiling="compute")}
    return first, second, Declared({"mm": ExampleMeaning(variants=said)})


def test_a_ratio_the_pages_state_is_compared_claim_by_claim(make):
    from whygpu.report import claims

    first, second, declared = _compared(make, 1.05)
    found = {c.key: c for c in claims.compare(first, second, declared)}
    ratio = found["mm.cpu.bf16.vs_fp32"]
    assert ratio.first == pytest.approx(2.0, rel=1e-3) and ratio.agrees
    assert "share_of_peak" in " ".join(found)  # the machine's peak against its best fp32
    first, second, declared = _compared(make, 1.5)
    ratio = next(c for c in claims.compare(first, second, declared) if c.key.endswith("vs_fp32"))
    assert not ratio.agrees and ratio.describe().startswith("DIFFERS: mm.cpu.bf16.vs_fp32")


def test_a_crossover_within_one_size_step_agrees():
    from whygpu.report.claims import Claim

    assert Claim("crossover.x.e2e", 64, 96, "n = 64", "n = 96", 1).agrees
    assert not Claim("crossover.x.e2e", 64, 128, "n = 64", "n = 128", 2).agrees
