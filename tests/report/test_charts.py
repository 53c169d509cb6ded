"""The example charts: light and dark, self-contained, and a model drawn as a model."""

from __future__ import annotations

import csv
import io
import re

from whygpu.contract import datasheet
from whygpu.report import build
from whygpu.store import files as results


def test_svgs_are_light_and_dark_and_self_contained(rendered):
    svgs = {name: text for name, text in rendered.items() if name.endswith(".svg")}
    assert any(n.endswith("-dark.svg") for n in svgs)
    for name, text in svgs.items():
        assert text.startswith("<?xml")
        assert not re.search(r'href="https?:|url\(https?:', text), f"{name} loads a URL"
        assert len(text.encode()) < 250_000, f"{name} is heavy"


def _without_gpu_runs(docs: list[dict]) -> list[dict]:
    """The results as they would be had no GPU run anything: every GPU run left out."""
    out = []
    for doc in docs:
        runs = [r for r in doc["runs"] if r["accelerator"] != "gpu"]
        if runs:
            out.append({**doc, "runs": runs})
    return out


def test_gpu_side_without_gpu_results_is_a_labelled_dashed_model(root, rendered, versions):
    docs = results.load_all(root / "results")
    cpu_only = _without_gpu_runs(docs)
    files = rendered if cpu_only == docs else build.render(cpu_only, versions)
    svg = files["matmul.svg"]
    assert "stroke-dasharray" in svg, "model lines must be dashed"
    rows = list(csv.DictReader(io.StringIO(files["matmul.csv"])))
    assert {r["accelerator"] for r in rows if r["kind"] == "measured"} == {"cpu"}
    models = [r for r in rows if r["kind"] == "model"]
    assert models and all(r["device_name"] == datasheet.MODEL_GPU.name for r in models)
    caption = files["matmul.caption.md"]
    assert datasheet.MODEL_GPU.name in caption.replace("\\", "")
    assert "model" in caption.lower() and "not a measurement" in caption


def test_a_bytes_axis_writes_its_sizes_as_bytes():
    from whygpu.report.ticks import short

    assert short(4 << 20, "B") == "4 MiB" and short(1536, "B") == "1.5 KiB"
    assert short(1000, "B") == "1 kB" and short(4 << 20) == "4Mi"
