"""A model line is one GPU product: its datasheet, calibrated by measurements of that product,
and any number borrowed from another GPU named as borrowed on the line, in the caption and on
the Sources page. The diagrams beside it draw the same GPU."""

from __future__ import annotations

import dataclasses
import re

import pytest

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.report import models, sources


def test_a_row_of_another_gpu_is_borrowed_and_one_of_the_model_gpu_is_not():
    found = models.parameters(MODEL_GPU)
    for p in found.values():
        assert p.borrowed == (p.row.datasheet != MODEL_GPU.key), p.what
    launch = found["launch"]
    own = dataclasses.replace(launch, row=dataclasses.replace(launch.row, datasheet=MODEL_GPU.key))
    assert not own.borrowed and launch.borrowed  # the cited launch was measured on a laptop GPU
    assert models.borrowed_text([own]) == ""
    assert launch.lender in models.borrowed_text([launch])


def test_model_captions_and_labels_name_each_borrowed_number(rendered):
    lent = models.borrowed(MODEL_GPU)
    assert lent, "the cited launch cost comes from another GPU: this test must see it"
    for slug in ("crossover", "matmul", "transfer"):
        caption = rendered[f"{slug}.caption.md"]
        assert MODEL_GPU.name in caption, slug
        names = {p.row.gpu for p in lent if p.what in caption}
        assert names and all(f"measured on the {n}" in caption for n in names), slug
        assert "Borrowed from other GPUs" in caption, slug
        # the figure's words: each model line named by its GPU at its end, and the legend's
        # model entry (a wrapped label joined again) naming every borrowed number's GPU
        svg = " ".join(re.findall(r"<!-- (.*?) -->", rendered[f"{slug}.svg"]))
        short = MODEL_GPU.name.removeprefix("NVIDIA ").split(" ")[0]
        assert f"{short} model" in svg or f"{short} calibrated model" in svg, slug
        legend = re.search(r"model, not measured: .*?(?=measured elsewhere|red bar|$)", svg)
        assert legend, slug
        for p in lent:
            if p.what == "launch cost":  # every model line pays one launch
                assert f"launch cost ({p.lender})" in legend.group(0), legend.group(0)


def test_the_sources_page_lists_where_each_model_number_comes_from():
    text = sources.model_parameters_table()
    assert MODEL_GPU.name in text
    for p in models.parameters(MODEL_GPU).values():
        row = next(line for line in text.splitlines() if line.startswith(f"| {p.what} |"))
        assert p.row.gpu in row and p.row.url in row
        assert ("**borrowed**" in row) == p.borrowed


def test_the_memory_diagram_draws_the_model_gpu(root):
    svg = (root / "docs/assets/diagrams/gpu-memory.svg").read_text(encoding="utf-8")
    title = re.search(r"<title[^>]*>([^<]*)<", svg)[1]
    assert MODEL_GPU.name in title
    assert f">{MODEL_GPU.memory_gbps:,g} GB/s<" in svg
    assert str(MODEL_GPU.sms) in svg


def _gpu_launch(make, device_name: str, seconds: float):
    """A GPU run of an example whose variant declares that it measures one launch."""
    from whygpu.contract.meaning import Declared, ExampleMeaning, VariantMeaning

    run = make.run("gpu", device_name)
    run["points"] = [make.point(1, seconds, "dispatch"), make.point(64, 2 * seconds, "dispatch")]
    declared = Declared(
        {"calls": ExampleMeaning(variants={"dispatch": VariantMeaning(measures="launch")})}
    )
    return make.doc("calls", runs=[run]), declared


def test_a_measured_launch_replaces_the_cited_one_in_the_model(make):
    doc, declared = _gpu_launch(make, "NVIDIA H200", 4e-6)
    row = models.launch_row([doc], declared)
    assert row.value == pytest.approx(4.0) and row.gpu == "NVIDIA H200"
    assert row.datasheet == "h200-sxm"  # another product than the model's: still borrowed
    lent = models.borrowed(MODEL_GPU, ["launch"], row)
    assert [p.lender for p in lent] == ["H200"]
    cpu = make.run()
    cpu["points"] = [make.point(8, 1e-6, "mm")]
    from whygpu.contract.meaning import PLAIN_EXAMPLE
    from whygpu.report.series import group_series

    series = group_series([make.doc("mm", runs=[cpu])])["mm"]
    (cited_line,) = models.model_lines(series, PLAIN_EXAMPLE)
    (measured_line,) = models.model_lines(series, PLAIN_EXAMPLE, row)
    gap = measured_line["points"][0]["median_s"] - cited_line["points"][0]["median_s"]
    assert gap == pytest.approx(4e-6 - models.LAUNCH_S)
    assert measured_line["launch"] is row


def test_a_launch_measured_on_the_model_gpu_is_its_own(make):
    doc, declared = _gpu_launch(make, "NVIDIA A100-SXM4-80GB", 5e-6)
    row = models.launch_row([doc], declared)
    assert row.datasheet == MODEL_GPU.key
    assert models.borrowed(MODEL_GPU, ["launch"], row) == []
    assert models.launch_row([doc]) is models.LAUNCH_ROW  # nothing declared: the cited row
