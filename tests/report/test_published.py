"""measure.json holds what the Measure page shows beside a reader's run, as Python computed it:
the results format's name, each machine's published line with its points, and the crossings
with their text. The page restates none of it (tests/js and tests/site check the page)."""

from __future__ import annotations

import json

import pytest

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared, ExampleMeaning, VariantMeaning
from whygpu.contract.names import BROWSER_FORMAT, FIGURES_DIR
from whygpu.report import published
from whygpu.report.crossover import crossing_text, crossovers
from whygpu.report.series import time_range
from whygpu.store import files

# a fixture example, freely named: what its variants mean is declared, never read from a name
SLUG, OP, E2E = "sizes", "product", "upload-then-product"
DECLARED = Declared(
    {
        SLUG: ExampleMeaning(
            variants={E2E: VariantMeaning(end_to_end_of=OP)}, finds_crossover=True
        ),
        "other": ExampleMeaning(variants={}),
    }
)
SIZES = (64, 256, 1024)


def _run(make, accelerator: str, name: str, times, e2e_times=None) -> dict:
    points = [make.point(n, t, OP) for n, t in zip(SIZES, times, strict=True)]
    if e2e_times is None:
        points += [
            {"variant": E2E, "size": n, "status": "skipped", "reason": "no GPU"} for n in SIZES
        ]
    else:
        points += [make.point(n, t, E2E) for n, t in zip(SIZES, e2e_times, strict=True)]
    return {**make.run(accelerator, name), "points": points}


def _render(docs) -> tuple[dict, list[dict]]:
    crossings = crossovers(docs, DECLARED)
    out = published.render(docs, crossings, DECLARED)
    assert list(out) == ["measure.json"]
    return json.loads(out["measure.json"]), crossings


@pytest.fixture
def two_cpus(make):
    """Two machines, CPU only: the GPU side is the datasheet model."""
    return [
        make.doc(SLUG, "alpha-cpu", [_run(make, "cpu", "Alpha CPU", (1e-5, 1e-3, 1e-1))]),
        make.doc(SLUG, "beta-cpu", [_run(make, "cpu", "Beta CPU", (2e-5, 2e-3, 2e-1))]),
        make.doc("other", "alpha-cpu"),  # no crossings declared: not on the page
    ]


def test_every_machines_cpu_line_and_the_model_beside_them(two_cpus):
    page, _ = _render(two_cpus)
    assert page["format"] == BROWSER_FORMAT
    (workload,) = page["workloads"]
    assert (workload["example"], workload["op"]) == (SLUG, OP)
    lines = {line["name"]: line for line in workload["lines"]}
    assert sorted(lines) == [
        f"{MODEL_GPU.name} (end to end, model, not measured)",
        f"{MODEL_GPU.name} (model, not measured)",
        "alpha-cpu CPU (measured by this site)",
        "beta-cpu CPU (measured by this site)",
    ]
    beta = lines["beta-cpu CPU (measured by this site)"]
    assert (beta["kind"], beta["machine"], beta["device"]) == ("measured", "beta-cpu", "Beta CPU")
    source = {p["size"]: p for p in two_cpus[1]["runs"][0]["points"] if p["status"] == "ok"}
    assert [p["size"] for p in beta["points"]] == list(SIZES)
    for p in beta["points"]:
        mine = source[p["size"]]
        assert p["median_s"] == pytest.approx(mine["median_s"], rel=1e-5)
        assert p["time_range"] == pytest.approx(list(time_range(mine)), rel=1e-5)
        assert p["time_range"][0] < p["median_s"] < p["time_range"][1]  # three rounds' range
        assert p["flops"] == mine["flops"]
        assert p["gflop_per_s"] == pytest.approx(mine["flops"] / mine["median_s"] / 1e9, 1e-5)
    model = lines[f"{MODEL_GPU.name} (model, not measured)"]
    assert (model["kind"], model["machine"], model["device"]) == (
        "model",
        "datasheet",
        MODEL_GPU.name,
    )
    assert all(p["time_range"][0] == p["time_range"][1] == p["median_s"] for p in model["points"])


def test_the_crossings_are_pythons_rows_with_their_text(two_cpus):
    page, crossings = _render(two_cpus)
    (workload,) = page["workloads"]
    rows = [r for r in crossings if r["example"] == SLUG]
    assert len(workload["crossings"]) == len(rows) == 2  # one per machine, against the model
    for row, shown in zip(rows, workload["crossings"], strict=True):
        for column in ("compute", "e2e"):
            assert shown[column] == row[column]
            assert shown[f"{column}_sure"] == row[f"{column}_sure"]
            assert shown[f"{column}_text"] == crossing_text(row, column)
            assert f"from {crossing_text(row, column)}" in shown["sentence"]
        assert shown["sentence"].startswith(f"On {row['machine']} ({row['cpu']}), the {row['gpu']}")


def test_a_measured_gpu_replaces_the_model_and_says_end_to_end(make):
    runs = [
        _run(make, "cpu", "Alpha CPU", (1e-5, 1e-3, 1e-1)),
        _run(make, "gpu", "Some GPU", (1e-4, 1e-4, 1e-3), e2e_times=(1e-3, 1e-3, 1e-2)),
    ]
    page, crossings = _render([make.doc(SLUG, "alpha-cpu", runs)])
    (workload,) = page["workloads"]
    assert len(workload["crossings"]) == len(crossings)  # the model's row stays, named a model
    assert [(line["name"], line["kind"]) for line in workload["lines"]] == [
        ("alpha-cpu CPU (measured by this site)", "measured"),
        ("Some GPU on alpha-cpu (measured by this site)", "measured"),
        ("Some GPU on alpha-cpu, end to end (measured by this site)", "measured"),
    ]
    (shown,) = [row for row in workload["crossings"] if row["kind"] == "measured"]
    assert shown["gpu"] == "Some GPU"
    assert (shown["compute"], shown["e2e"]) == (256, 1024)
    assert "n = 256" in shown["sentence"] and "n = 1,024" in shown["sentence"]


def test_a_gpu_that_never_wins_is_said_so(make):
    runs = [
        _run(make, "cpu", "Alpha CPU", (1e-5, 1e-3, 1e-1)),
        _run(make, "gpu", "Slow GPU", (1.0, 1.0, 1.0), e2e_times=(1.0, 1.0, 1.0)),
    ]
    page, _ = _render([make.doc(SLUG, "alpha-cpu", runs)])
    (shown,) = [row for row in page["workloads"][0]["crossings"] if row["kind"] == "measured"]
    assert shown["compute"] is None and shown["compute_text"] == "no size measured"
    assert "at no size measured with the data already on the GPU" in shown["sentence"]


def test_the_text_is_stable_json_with_sorted_keys(two_cpus):
    crossings = crossovers(two_cpus, DECLARED)
    text = published.render(two_cpus, crossings, DECLARED)["measure.json"]
    assert text == published.render(list(reversed(two_cpus)), crossings, DECLARED)["measure.json"]
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True) + "\n"


def test_the_committed_file_is_what_the_results_render(root):
    """docs/assets/figures/measure.json is generated; regenerate it when results change."""
    docs = files.load_all(root / "results")
    expected = published.render(docs, crossovers(docs))["measure.json"]
    committed = (root / FIGURES_DIR / "measure.json").read_text(encoding="utf-8")
    assert committed == expected, "measure.json is stale: regenerate the figures"
