"""Measurements published elsewhere: enough of them, each linked, none above its peak, and a
row that claims more than its datasheet peak (TF32 counted as FP32) is refused by name."""

from __future__ import annotations

import dataclasses

import pytest

from whygpu.contract.examples import declared
from whygpu.report import cited


def test_there_are_enough_cited_measurements_of_each_kind():
    rows = cited.CITED
    assert len(rows) >= 8
    assert len({r.gpu for r in rows}) >= 3
    assert {"matmul_bf16", "h2d_pinned", "launch"} <= {r.quantity for r in rows}
    for row in rows:
        assert row.url.startswith("https://") and row.tool and row.date and row.stack


def test_the_committed_rows_pass_the_check():
    assert cited.problems() == []


def test_a_row_above_its_datasheet_peak_is_refused_naming_it():
    tf32 = dataclasses.replace(cited.CITED[0], value=400.0)  # more than the A100's 312 bf16
    found = cited.problems((*cited.CITED, tf32))
    assert any("same GPU and quantity" in p for p in found)  # and a duplicate of the real row
    assert any("NVIDIA A100 SXM" in p and "exceeds its datasheet peak of 312" in p for p in found)
    with pytest.raises(ValueError, match="exceeds its datasheet peak"):
        cited.check((tf32,))


def test_a_link_faster_than_its_pcie_generation_is_refused():
    row = dataclasses.replace(cited.of("h2d_pinned")[0], value=40.0)  # Gen4 x16 is 31.5 GB/s
    assert cited.problems((row,)) and "31.5" in cited.problems((row,))[0]


def test_cited_marks_are_drawn_and_captioned_as_their_own_kind(root, rendered):
    beside = {s: m.cited_beside for s, m in declared(root / "examples").examples.items()}
    assert any(beside.values()), "no example declares CITED_BESIDE"
    for slug, quantity in beside.items():
        caption = rendered[f"{slug}.caption.md"]
        assert ("published elsewhere" in caption) == bool(quantity), slug
    assert (
        "[link](https://github.com/NVIDIA/nvbandwidth/issues/15)"
        in rendered["cited-measurements.md"]
    )
