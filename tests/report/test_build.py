"""The build step: every generated file from results alone, deterministic, fresh, no torch."""

from __future__ import annotations

import csv
import io
import math
import sys
from typing import Any

import pytest

from whygpu.contract.names import FIGURES_DIR
from whygpu.report import build
from whygpu.store import files as results


def test_committed_figures_match_the_results(root, rendered):
    out = root / FIGURES_DIR
    stale = [
        name
        for name, text in rendered.items()
        if not (out / name).exists() or (out / name).read_text(encoding="utf-8") != text
    ]
    assert not stale, f"stale or missing figures (run `nox -s figures`): {stale}"
    extra = sorted({p.name for p in out.iterdir() if not p.name.startswith(".")} - set(rendered))
    assert not extra, f"figures no results file draws (delete them): {extra}"


def _nudged(value: Any) -> Any:
    """Every fraction one step (one unit in the last place) up: what another CPU's code path
    may give for a measurement. Whole numbers (FLOPs, bytes, zero) are counts, exact on every
    CPU."""
    if isinstance(value, float) and not value.is_integer():
        return math.nextafter(value, math.inf)
    if isinstance(value, dict):
        return {key: _nudged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nudged(item) for item in value]
    return value


def test_drawing_is_deterministic_to_the_last_bit(root, rendered, versions):
    """Drawn again from the results with every float's last bit changed, every file is the
    same: nothing written depends on a float's last bits (matplotlib's hashed SVG ids did)."""
    nudged = [_nudged(doc) for doc in results.load_all(root / "results")]
    timed = [_nudged(doc) for doc in build.timed_runs(root / "results")]
    again = build.render(nudged, versions, timed=timed)
    assert again.keys() == rendered.keys()
    changed = [name for name, text in again.items() if text != rendered[name]]
    assert not changed, f"a last-bit change in the data changed {changed}"


@pytest.mark.slow  # draws one example's figures in a fresh interpreter
def test_figures_need_no_torch(root, tmp_path):
    import shutil
    import subprocess

    one = sorted((root / "results").glob("*/conv2d.json"))[0]
    given = tmp_path / "results" / one.parent.name
    given.mkdir(parents=True)
    shutil.copy2(one, given / one.name)  # one file: the point is the imports, not every figure
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from whygpu.report import build; from pathlib import Path\n"
        "build.draw_all(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            *map(str, (given.parent, tmp_path / "out", root / "examples")),
        ],
        check=True,
        timeout=120,
    )
    assert (tmp_path / "out" / "conv2d.svg").exists()


def test_older_benchmark_version_is_marked_stale(root):
    docs = results.load_all(root / "results")
    slug = docs[0]["example"]
    files = build.render(docs, {slug: docs[0]["benchmark_version"] + 1}, draw=False)
    assert "**Stale**" in files[f"{slug}.caption.md"]
    assert "**stale**" in files["results-table.md"]
    assert "Stale" not in build.render(docs, {}, draw=False)[f"{slug}.caption.md"]


def test_measured_gpu_results_replace_the_model(root):
    import copy

    docs = results.load_all(root / "results")
    doc = next(d for d in docs if d["example"] == "matmul")
    gpu = copy.deepcopy(doc["runs"][0])
    gpu.update(accelerator="gpu", device="cuda:0", device_name="Some GPU")
    doc = {**doc, "runs": [doc["runs"][0], gpu]}
    files = build.render([doc], draw=False)
    rows = list(csv.DictReader(io.StringIO(files["matmul.csv"])))
    assert {r["accelerator"] for r in rows} == {"cpu", "gpu"}
    assert all(r["kind"] == "measured" for r in rows), "a measured GPU run still drew a model"
    assert "Some GPU" in files["matmul.caption.md"]
    assert "model" not in files["matmul.caption.md"].lower()


def test_the_quick_profiles_time_comes_from_the_runs_kept_for_it(root):
    """results/ holds full runs (a run replaces its accelerator's), so the quick profile's
    measured time comes from benchmarks/runtime; the fact sums its points' recorded seconds."""
    import json

    from whygpu.report.reference import reference_machine
    from whygpu.store import files

    docs = files.load_all(root / "results")
    timed = build.timed_runs(root / "results")
    ref = reference_machine(docs)
    mine = [d for d in timed if d["machine"] == ref]
    assert mine, "no quick run of the reference machine in benchmarks/runtime"
    seconds = sum(
        p["wall_s"]
        for d in mine
        for r in d["runs"]
        if r["profile"] == "quick" and r["accelerator"] == "cpu"
        for p in r["points"]
        if p["status"] == "ok"
    )
    facts = json.loads(build.render(docs, draw=False, timed=timed)["facts.json"])
    assert facts["runtime.quick"]["value"] == pytest.approx(seconds, rel=1e-5)
    assert "runtime.quick" not in json.loads(build.render(docs, draw=False)["facts.json"])
