"""Figures come from results alone, deterministically; a committed figure that is stale fails."""

from __future__ import annotations

import csv
import io
import re
import sys

import pytest

from whygpu import figures, gpu_peaks, results, roofline, summaries


@pytest.fixture(scope="module")
def versions(root):
    return summaries.current_versions(root / "examples")


@pytest.fixture(scope="module")
def rendered(root, versions):
    return figures.render(results.load_all(root / "results"), versions)


def test_committed_figures_match_the_results(root, rendered):
    out = root / "docs" / "assets" / "figures"
    stale = [
        name
        for name, text in rendered.items()
        if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale or missing figures (run `nox -s figures`): {stale}"
    extra = sorted({p.name for p in out.iterdir() if not p.name.startswith(".")} - set(rendered))
    assert not extra, f"figures no results file draws (delete them): {extra}"


def test_drawing_is_deterministic(root, rendered, versions):
    again = figures.render(results.load_all(root / "results"), versions)
    assert again == rendered


def test_csv_holds_the_plotted_medians(root, rendered):
    docs = results.load_all(root / "results")
    for doc in docs:
        rows = list(csv.DictReader(io.StringIO(rendered[f"{doc['example']}.csv"])))
        rows = [r for r in rows if r["kind"] == "measured"]
        for run in doc["runs"]:
            ok = [p for p in run["points"] if p["status"] == "ok"]
            mine = [
                r
                for r in rows
                if r["machine"] == doc["machine"] and r["accelerator"] == run["accelerator"]
            ]
            plotted = {(r["variant"], int(r["size"])): float(r["median_s"]) for r in mine}
            measured = {(p["variant"], p["size"]): p["median_s"] for p in ok}
            assert plotted.keys() == measured.keys()
            for key, median in measured.items():
                assert plotted[key] == pytest.approx(median, rel=1e-5), key


def test_svgs_are_light_and_dark_and_self_contained(rendered):
    svgs = {name: text for name, text in rendered.items() if name.endswith(".svg")}
    assert any(n.endswith("-dark.svg") for n in svgs)
    for name, text in svgs.items():
        assert text.startswith("<?xml")
        assert not re.search(r'href="https?:|url\(https?:', text), f"{name} loads a URL"
        assert len(text.encode()) < 250_000, f"{name} is heavy"


def test_caption_names_machine_and_versions(root, rendered):
    docs = results.load_all(root / "results")
    for doc in docs:
        caption = rendered[f"{doc['example']}.caption.md"]
        assert doc["machine"] in caption.replace("\\", "")
        for run in doc["runs"]:
            assert run["provenance"]["torch"] in caption.replace("\\", "")


def test_untrusted_strings_are_escaped_in_captions(root):
    docs = results.load_all(root / "results")
    docs[0]["runs"][0]["device_name"] = "Evil *GPU* [link](x) `code`"
    caption = figures.render(docs)[f"{docs[0]['example']}.caption.md"]
    assert "[link](x)" not in caption and "*GPU*" not in caption


def test_figures_need_no_torch(root, tmp_path):
    import subprocess

    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from whygpu import figures; from pathlib import Path\n"
        "figures.draw_all(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(root / "results"), str(tmp_path), str(root / "examples")],
        check=True,
        timeout=120,
    )
    assert (tmp_path / "conv2d.svg").exists()


def test_gpu_side_without_gpu_results_is_a_labelled_dashed_model(root, rendered):
    docs = results.load_all(root / "results")
    assert not any(r["accelerator"] == "gpu" for d in docs for r in d["runs"])
    svg = rendered["matmul.svg"]
    assert "stroke-dasharray" in svg, "model lines must be dashed"
    rows = list(csv.DictReader(io.StringIO(rendered["matmul.csv"])))
    models = [r for r in rows if r["kind"] == "model"]
    assert models and all(r["device_name"] == gpu_peaks.MODEL_GPU.name for r in models)
    assert "model" in rendered["matmul.caption.md"].lower()
    assert "not a measurement" in rendered["matmul.caption.md"]


def test_model_time_is_the_roofline_plus_launch_and_pcie():
    gpu = gpu_peaks.REFERENCE_GPUS["a100-sxm-80gb"]
    compute_bound = gpu.model_time(19.5e12, 1.0)  # one second of FP32 work
    assert compute_bound == pytest.approx(1.0 + gpu_peaks.LAUNCH_OVERHEAD_S)
    memory_bound = gpu.model_time(1.0, 2039e9)  # one second of memory traffic
    assert memory_bound == pytest.approx(1.0 + gpu_peaks.LAUNCH_OVERHEAD_S)
    assert gpu.model_time(312e12, 1.0, "bfloat16") == pytest.approx(1.0, rel=1e-4)
    e2e = gpu.model_time(1.0, 1.0, transferred=31.5e9)  # one second across PCIe Gen4
    assert e2e == pytest.approx(1.0 + gpu_peaks.SYNC_CALL_OVERHEAD_S)


def test_every_peak_has_a_source():
    for gpu in gpu_peaks.REFERENCE_GPUS.values():
        assert gpu.source and gpu.fp32_tflops > 0 and gpu.memory_gbps > 0
        assert gpu.source in gpu_peaks.sources_markdown()


def test_older_benchmark_version_is_marked_stale(root):
    docs = results.load_all(root / "results")
    slug = docs[0]["example"]
    files = figures.render(docs, {slug: docs[0]["benchmark_version"] + 1})
    assert "**Stale**" in files[f"{slug}.caption.md"]
    assert "**stale**" in files["results-table.md"]
    assert "Stale" not in figures.render(docs, {})[f"{slug}.caption.md"]


def test_crossover_table_finds_the_first_faster_size():
    def run(acc, times, name):
        return {
            "accelerator": acc,
            "device": acc,
            "device_name": name,
            "profile": "quick",
            "provenance": {"date_utc": "2026-01-01T00:00:00+00:00", "torch": "2"},
            "settings": {"num_threads": 1},
            "points": [
                {
                    "variant": "matmul",
                    "size": n,
                    "status": "ok",
                    "flops": 2.0 * n**3,
                    "bytes_moved": 12.0 * n * n,
                    "items": 0.0,
                    "median_s": t,
                    "iqr_s": 0.0,
                    "samples_s": [t],
                    "calls_per_sample": 1,
                    "noisy": False,
                    "params": {},
                }
                for n, t in zip((16, 64, 256), times, strict=True)
            ],
        }

    doc = {
        "schema_version": 1,
        "example": "crossover",
        "machine": "m",
        "benchmark_version": 1,
        "title": "t",
        "size_label": "n",
        "metric": "flops",
        "item_unit": "",
        "runs": [run("cpu", [1e-5, 1e-4, 1e-2], "CPU"), run("gpu", [1e-4, 1e-4, 1e-3], "GPU")],
    }
    table = summaries.crossover_table([doc])
    assert "| matmul | m (CPU) | GPU, measured | n = 256 |" in table
    slow = {**doc, "runs": [doc["runs"][0], run("gpu", [1.0, 1.0, 1.0], "GPU")]}
    assert "not reached" in summaries.crossover_table([slow])


def test_roofline_ceilings_come_from_measurements(root):
    docs = results.load_all(root / "results")
    ceilings = roofline.cpu_ceilings(docs)
    assert ceilings, "no machine has matmul and elementwise results"
    for c in ceilings.values():
        assert c["gflops"] > 0 and c["gbps"] > 0


def test_measured_gpu_results_replace_the_model(root):
    import copy

    docs = results.load_all(root / "results")
    doc = next(d for d in docs if d["example"] == "matmul")
    gpu = copy.deepcopy(doc["runs"][0])
    gpu.update(accelerator="gpu", device="cuda:0", device_name="Some GPU")
    doc = {**doc, "runs": [doc["runs"][0], gpu]}
    files = figures.render([doc])
    rows = list(csv.DictReader(io.StringIO(files["matmul.csv"])))
    assert {r["accelerator"] for r in rows} == {"cpu", "gpu"}
    assert all(r["kind"] == "measured" for r in rows), "a measured GPU run still drew a model"
    assert "Some GPU" in files["matmul.caption.md"]
    assert "model" not in files["matmul.caption.md"].lower()
