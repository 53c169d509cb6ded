"""The example charts: light and dark, self-contained, and a model drawn as a model."""

from __future__ import annotations

import csv
import io
import re

from whygpu.report import datasheet
from whygpu.store import files as results


def test_svgs_are_light_and_dark_and_self_contained(rendered):
    svgs = {name: text for name, text in rendered.items() if name.endswith(".svg")}
    assert any(n.endswith("-dark.svg") for n in svgs)
    for name, text in svgs.items():
        assert text.startswith("<?xml")
        assert not re.search(r'href="https?:|url\(https?:', text), f"{name} loads a URL"
        assert len(text.encode()) < 250_000, f"{name} is heavy"


def test_gpu_side_without_gpu_results_is_a_labelled_dashed_model(root, rendered):
    docs = results.load_all(root / "results")
    assert not any(r["accelerator"] == "gpu" for d in docs for r in d["runs"])
    svg = rendered["matmul.svg"]
    assert "stroke-dasharray" in svg, "model lines must be dashed"
    rows = list(csv.DictReader(io.StringIO(rendered["matmul.csv"])))
    models = [r for r in rows if r["kind"] == "model"]
    assert models and all(r["device_name"] == datasheet.MODEL_GPU.name for r in models)
    assert "model" in rendered["matmul.caption.md"].lower()
    assert "not a measurement" in rendered["matmul.caption.md"]
