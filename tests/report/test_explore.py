"""The interactive figures' data (whygpu.report.explore): every published machine, a model line
for every GPU a reader may pick with its calibration applied and its kind of evidence named, and
the same palettes as the static figures."""

from __future__ import annotations

import json
import re

import pytest
from fixtures import machines

from whygpu.contract.datasheet import REFERENCE_GPUS
from whygpu.report import cited, explore
from whygpu.report.models import short_gpu
from whygpu.report.reference import reference_machine
from whygpu.report.style import THEMES


@pytest.fixture(scope="module")
def published(root):
    docs = machines.committed(root)
    return docs, {k: json.loads(v) for k, v in explore.render(docs).items()}


def test_every_machine_that_measured_an_example_is_offered(published):
    docs, files = published
    for doc in docs:
        body = files[f"{doc['example']}{explore.SUFFIX}"]
        if any(p["status"] == "ok" for run in doc["runs"] for p in run["points"]):
            assert doc["machine"] in body["machines"], (doc["example"], doc["machine"])
        assert body["machine"] == reference_machine(docs, doc["example"])


def test_each_gpus_model_is_its_datasheet_with_its_calibration(published):
    _, files = published
    body = files["matmul.explore.json"]
    machine = body["machines"][body["machine"]]
    assert set(machine["models"]) == set(explore.EXPLORE_GPUS)

    def line(gpu: str, variant: str) -> dict:
        return next(m for m in machine["models"][gpu] if m["variant"] == variant)

    # fp32 at the largest size is compute-bound: the times go as the FP32 peaks
    a100, h200 = line("a100-sxm-80gb", "fp32"), line("h200-sxm", "fp32")
    ratio = a100["points"][-1]["t"] / h200["points"][-1]["t"]
    peaks = REFERENCE_GPUS["h200-sxm"].fp32_tflops / REFERENCE_GPUS["a100-sxm-80gb"].fp32_tflops
    assert ratio == pytest.approx(peaks, rel=0.02)
    # bf16: a GPU with a cited share is a calibrated model, and says so; one without is not
    for gpu in explore.EXPLORE_GPUS:
        bf16 = line(gpu, "bf16")
        has_share = cited.calibration(gpu, "matmul_bf16") is not None
        assert bf16["calibrated"] == has_share, gpu
        assert ("calibrated model" in bf16["name"]) == has_share, bf16["name"]
        assert bf16["name"].startswith(short_gpu(REFERENCE_GPUS[gpu].name).split()[0])


def test_a_machine_with_a_measured_gpu_has_no_model(root):
    docs = machines.committed(root) + machines.cuda(root)
    files = {k: json.loads(v) for k, v in explore.render(docs).items()}
    gpu_machine = docs[-1]["machine"]
    body = files["matmul.explore.json"]
    mine = body["machines"][gpu_machine]
    assert mine["models"] == {}
    assert {line["accelerator"] for line in mine["lines"]} == {"cpu", "gpu"}
    for line in mine["lines"]:
        for p in line["points"]:
            assert p["lo"] <= p["t"] <= p["hi"] and p["rounds"] >= 1


def test_the_script_draws_in_the_static_figures_colours(root):
    script = (root / "docs" / "javascripts" / "explore.js").read_text()
    for name, theme in THEMES.items():
        block = re.search(rf"{name}: \{{(.*?)\}},", script, re.S)
        assert block, f"explore.js has no {name} theme"
        for key in ("fg", "grid", "model", "flag"):
            assert f'{key}: "{theme[key]}"' in block.group(1), (name, key)
        assert json.dumps(theme["colors"]) in block.group(1), name


def test_the_facts_answer_how_much_faster_each_gpu_model_would_be(root, published):
    """ "How much faster would an H100 be here?": a fact per GPU a reader may pick, from the
    same model lines the interactive figure draws, named as a model."""
    from whygpu.report import facts

    docs, files = published
    found = facts.compute(docs)
    body = files["matmul.explore.json"]
    machine = body["machines"][body["machine"]]
    cpu = next(line for line in machine["lines"] if line["variant"] == "bf16")
    for gpu in explore.EXPLORE_GPUS:
        key = f"matmul.model.{gpu}.bf16"
        model = next(m for m in machine["models"][gpu] if m["variant"] == "bf16")
        size = found[f"{key}.largest_size"]["value"]
        cpu_t = next(p["t"] for p in cpu["points"] if p["n"] == size)
        model_t = next(p["t"] for p in model["points"] if p["n"] == size)
        assert found[f"{key}.largest"]["value"] == pytest.approx(cpu_t / model_t, rel=1e-3)
        assert "model" in found[f"{key}.kind"]["text"], key
