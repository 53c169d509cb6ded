"""Rounds and the CPU's limits as the site shows them: red bars, captions, tables, facts."""

from __future__ import annotations

import copy

import pytest

from whygpu.report import captions, charts, facts, tables
from whygpu.report.series import bar_ends, group_series
from whygpu.report.text import number


def _matmul(make, disagree: bool):
    doc = make.doc("matmul")
    for p in doc["runs"][0]["points"]:
        p["variant"] = "fp32"
    point = doc["runs"][0]["points"][1]
    if disagree:  # rounds 0.9 m, m, 1.3 m: 40% apart
        m = point["median_s"]
        point.update(rounds_s=[0.9 * m, m, 1.3 * m], round_spread=0.4, rounds_disagree=True)
    return doc


def test_a_point_whose_rounds_disagree_gets_a_red_bar_in_the_figure(make):
    def svg(disagree):
        series = group_series([_matmul(make, disagree)])["matmul"]
        return charts.render("matmul", series, [])["matmul.svg"]

    assert "red bar: rounds more than 10% apart" in svg(True)
    assert "red bar" not in svg(False)


def test_bars_span_the_rounds(make):
    point = _matmul(make, True)["runs"][0]["points"][1]
    low, high = bar_ends(point)
    assert (low, high) == (min(point["rounds_s"]), max(point["rounds_s"]))


def test_the_caption_carries_the_round_spread(make):
    series = group_series([_matmul(make, True)])["matmul"]
    text = captions.render("matmul", series, [], {})["matmul.caption.md"]
    assert "median of 3 rounds" in text
    assert "1 of 2 points have rounds more than 10% apart (drawn with red bars)" in text
    assert "the widest 40% (fp32 at size 16)" in text


def test_the_results_page_derives_each_machines_peak(make):
    docs = [_matmul(make, False), make.doc("elementwise")]
    page = tables.results_page(docs, {})
    assert "**1,540 GFLOP/s** = 8 cores x 64 FLOPs/cycle x 3.00 GHz" in page
    assert "measured: dependent multiplies" in page
    assert "| memory bandwidth | 50 GB/s | measured: triad |" in page
    assert "Machine quiet: other processes used at most 0.02 CPUs" in page


def test_facts_quote_the_peak_and_the_share_matmul_reached(make):
    doc = _matmul(make, False)
    found = facts.compute([doc, make.doc("elementwise")])
    assert found["machine.peak"]["text"] == "1,540 GFLOP/s"
    assert found["machine.peak.clock"]["text"] == "3.00 GHz"
    best = max(p["flops"] / p["median_s"] for p in doc["runs"][0]["points"] if "flops" in p)
    assert found["matmul.cpu.fp32.share_of_peak"]["value"] == pytest.approx(best / 1536e9)
    assert found["noise.rounds"]["value"] == 3


def test_a_machine_without_recorded_limits_says_so(make):
    doc = copy.deepcopy(_matmul(make, False))
    doc["runs"][0]["cpu_limits"] = None
    assert "No CPU peak was recorded" in tables.results_page([doc], {})
    assert "machine.peak" not in facts.compute([doc])


def _flag_every_point(doc: dict) -> None:
    for p in doc["runs"][0]["points"]:
        if p["status"] == "ok":
            m = p["median_s"]  # rounds 0.8 m, m, 1.25 m: 45% apart
            p.update(rounds_s=[0.8 * m, m, 1.25 * m], round_spread=0.45, rounds_disagree=True)


def test_a_best_that_is_one_clean_point_is_quoted_as_one_number(make):
    doc = _matmul(make, True)  # size 16 flagged, size 8 clean: the clean one is the headline
    found = facts.compute([doc])
    clean = doc["runs"][0]["points"][0]
    assert (
        found["matmul.cpu.fp32.best"]["text"]
        == f"{number(clean['flops'] / clean['median_s'] / 1e9)} GFLOP/s"
    )
    assert found["matmul.cpu.fp32.best_size"]["value"] == clean["size"]


def test_where_every_point_is_flagged_the_headline_says_so_and_quotes_the_range(make):
    doc = _matmul(make, False)
    _flag_every_point(doc)
    found = facts.compute([doc])
    best = found["matmul.cpu.fp32.best"]
    p = next(
        p
        for p in doc["runs"][0]["points"]
        if p["size"] == found["matmul.cpu.fp32.best_size"]["value"]
    )
    low, high = p["flops"] / (1.25 * p["median_s"]) / 1e9, p["flops"] / (0.8 * p["median_s"]) / 1e9
    assert (
        best["text"]
        == f"{number(low)} to {number(high)} GFLOP/s (every size is flagged: its rounds' range)"
    )
