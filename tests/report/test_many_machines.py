"""Figures built for many machines and three kinds of evidence, on synthetic fixture machines:
a measured GPU run replaces the model and is named everywhere, a second CPU is a machine (never
a model), and nothing is drawn twice.

One fixture draws every figure with a measured GPU; the other tests read only the text files
(captions, CSVs, tables, facts), so they render without drawing (`draw=False`)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fixtures import machines

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.names import FACT_MARKER
from whygpu.report import build, evidence
from whygpu.report.reference import reference_machine


def _rows(files: dict, slug: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(files[f"{slug}.csv"])))


@pytest.fixture(scope="module")
def with_cuda(root):
    """Every file, figures too, with a measured CUDA GPU beside the committed machines."""
    docs = machines.committed(root) + machines.cuda(root)
    return docs, build.render(docs, timed=build.timed_runs(root / "results"))


@pytest.mark.parametrize("kind", ["cuda", "mps"])
def test_a_measured_gpu_run_replaces_the_model(root, kind):
    docs = machines.committed(root) + getattr(machines, kind)(root)
    files = build.render(docs, draw=False)
    gpu_machine = docs[-1]["machine"]
    assert reference_machine(docs) == gpu_machine, "the newest machine with a GPU run leads"
    for slug in ("matmul", "conv2d", "elementwise", "crossover", "transfer"):
        rows = _rows(files, slug)
        assert {r["kind"] for r in rows} == {"measured"}, f"{slug} still draws a model"
        assert {r["machine"] for r in rows} == {gpu_machine}, f"{slug} mixes machines"
        assert {r["accelerator"] for r in rows} == {"cpu", "gpu"}
        caption = files[f"{slug}.caption.md"].replace("\\", "")
        assert docs[-1]["runs"][1]["device_name"] in caption
        assert "model" not in caption.lower().replace("calibrated", "")


@pytest.mark.slow  # draws every figure
def test_captions_facts_and_crossover_name_the_measured_gpu(with_cuda):
    docs, files = with_cuda
    facts = json.loads(files["facts.json"])
    name = "NVIDIA H100 80GB HBM3"
    assert facts["matmul.gpu.name"]["text"] == name
    assert facts["matmul.gpu.kind"]["text"] == "measured"
    assert facts["matmul.gpu.evidence"]["text"] == f"the measured {name}"
    gpu = next(d for d in docs if d["example"] == "matmul" and len(d["runs"]) == 2)["runs"][1]
    best = max(p["flops"] / p["median_s"] for p in gpu["points"] if p["variant"] == "fp32")
    assert facts["matmul.gpu.fp32.best"]["value"] == pytest.approx(best / 1e9)
    assert facts["crossover.matmul.gpu"]["text"] == f"{name}, measured"
    assert f"{name}, measured" in files["crossover-table.md"]
    drawn = files["matmul.svg"]  # matplotlib keeps each label as a comment beside its paths
    short = name.removeprefix("NVIDIA ").split(" ")[0]  # "H100": the line's name at its end
    assert f"<!-- {short} fp32 -->" in drawn and "model, not measured" not in drawn


@pytest.mark.slow  # draws every figure
def test_the_pages_quote_the_same_keys_whatever_the_gpu_side_is(root, with_cuda):
    """The strict build failed on 'unknown fact conv2d.model.forward.best' once a GPU ran."""
    _, files = with_cuda
    measured = json.loads(files["facts.json"])
    timed = build.timed_runs(root / "results")
    modelled = json.loads(
        build.render(machines.committed(root), draw=False, timed=timed)["facts.json"]
    )
    gpu_keys = {k for k in modelled if ".gpu." in k}
    assert gpu_keys and gpu_keys <= set(measured), sorted(gpu_keys - set(measured))[:5]
    pages = (root / "docs" / "concepts").glob("*.md")
    quoted = {k for p in pages for k in FACT_MARKER.findall(p.read_text(encoding="utf-8"))}
    assert quoted <= set(measured), sorted(quoted - set(measured))


def test_a_second_cpu_machine_is_a_machine_never_a_model(root):
    docs = machines.committed(root) + machines.cpu_only(root)
    files = build.render(docs, draw=False)
    assert "intel-xeon-test-16c" in files["comparison-table.md"]
    assert "intel-xeon-test-16c" in files["roofline.caption.md"]
    assert "intel-xeon-test-16c" in files["results-table.md"]
    for slug, side in evidence.sides(docs).items():
        assert all(not s.get("model") for s in side.measured), slug
        assert all(s["doc"]["machine"] == side.machine for s in side.measured + side.models)
        rows = _rows(files, slug)
        models = [r for r in rows if r["kind"] == "model"]
        assert all(r["device_name"] == MODEL_GPU.name for r in models)
        measured_machines = {r["machine"] for r in rows if r["kind"] == "measured"}
        assert measured_machines == {side.machine}


def test_nothing_is_drawn_twice(root):
    docs = machines.committed(root) + machines.cpu_only(root)
    files = build.render(docs, draw=False)
    for name in [n for n in files if n.endswith(".csv") and n != "roofline.csv"]:
        rows = _rows(files, name.removesuffix(".csv"))
        keys = [(r["kind"], r["machine"], r["accelerator"], r["variant"], r["size"]) for r in rows]
        assert len(keys) == len(set(keys)), f"{name} draws a point twice"
    rows = _rows(files, "matmul")
    model_variants = [r["variant"] for r in rows if r["kind"] == "model" and r["size"] == "64"]
    assert sorted(model_variants) == ["bf16", "fp32"], model_variants
