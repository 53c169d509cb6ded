"""The one build step: every generated file (figures, CSVs, captions, tables, facts, the results
schema) from the results files, written only where its text changed.

This is the only module that imports the renderers; each renderer turns grouped results into
files and knows nothing of the others, so `whygpu figures` and the freshness test share one
entry point and one order.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whygpu.contract.examples import current_versions
from whygpu.contract.examples import declared as read_declared
from whygpu.contract.meaning import Declared
from whygpu.contract.names import EXAMPLES_DIR, RUNTIME_DIR, SCHEMA_FILE
from whygpu.report import (
    beside,
    captions,
    charts,
    cited,
    data,
    differences,
    evidence,
    explore,
    facts,
    published,
    quantities,
    roofline,
    sources,
    tables,
)
from whygpu.report.crossover import crossovers
from whygpu.report.declared import or_default
from whygpu.report.reference import reference_machine
from whygpu.report.staleness import staleness
from whygpu.store import browser
from whygpu.store import files as results
from whygpu.store.schema import json_schema
from whygpu.store.types import ResultsDoc


def render(
    docs: list[ResultsDoc],
    versions: dict[str, int] | None = None,
    declared: Declared | None = None,
    *,
    draw: bool = True,
    timed: Sequence[ResultsDoc] = (),
) -> dict[str, str]:
    """Every generated file's name and text, from validated results documents.

    `versions` maps each example to its current BENCHMARK_VERSION, to mark older runs stale;
    `declared`, what each example says its variants mean (read from examples/ where not given).
    `draw=False` leaves out the SVG figures, nine tenths of the time, for a caller that reads
    only the text files (captions, CSVs, tables, facts). `timed`: runs kept for their run
    time only (timed_runs), which the facts quote and nothing draws.
    """
    cited.check()  # a cited row above its datasheet peak stops the build, named
    declared = or_default(declared)
    quantities.check(docs, declared)  # one quantity, two measurements apart: stop, named
    versions = versions or {}
    stale = staleness(docs, versions)
    out: dict[str, str] = {}
    sides = evidence.sides(docs, declared)  # each example on its reference machine, once
    site = reference_machine(docs)
    crossings = crossovers(docs, declared)
    for slug, side in sides.items():
        meaning = declared.of(slug)
        marks = crossing_marks(crossings, slug, side.machine) if meaning.finds_crossover else []
        sizes = sorted({p["size"] for s in side.measured for p in s["points"]})
        elsewhere = cited.marks(meaning.cited_beside, sizes)
        if draw:
            out.update(charts.render(slug, side.measured, side.models, marks, elsewhere))
        out.update(data.render(slug, side.measured, side.models))
        out.update(
            captions.render(slug, side.measured, side.models, stale, elsewhere, meaning, site)
        )
    out.update(explore.render(docs, declared))
    out.update(roofline.render(docs, declared, draw=draw))
    out.update(tables.render(docs, versions, crossings, declared))
    out.update(sources.render(docs, declared))
    out.update(differences.render(docs))
    out.update(beside.render(docs))
    out.update(facts.render(docs, sides, crossings, declared, timed))
    out.update(published.render(docs, crossings, declared))
    out[SCHEMA_FILE] = json_schema()
    out[browser.SCHEMA_FILE] = browser.json_schema()
    return out


def crossing_marks(
    crossings: list[dict[str, Any]], slug: str, machine: str
) -> list[tuple[int, str]]:
    """(size, workload) where the GPU side starts to win end to end on `machine`, measured GPUs
    before the model, for the figure of the example `slug` that finds them."""
    rows = sorted(
        (r for r in crossings if r["example"] == slug and r["machine"] == machine and r.get("e2e")),
        key=lambda r: (r["op"], r["kind"] != "measured"),
    )
    first: dict[str, dict[str, Any]] = {}
    for row in rows:
        first.setdefault(row["op"], row)
    return [(r["e2e"], r["op"]) for r in first.values()]


def timed_runs(results_dir: Path) -> list[ResultsDoc]:
    """The runs kept beside the results for how long a profile takes (RUNTIME_DIR, next to
    `results_dir`): a quick run there would replace the published full one in results/."""
    folder = results_dir.parent / RUNTIME_DIR
    return results.load_all(folder) if folder.is_dir() else []


def draw_all(results_dir: Path, out_dir: Path, examples_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """Redraw every figure and generated table from the results under `results_dir`."""
    docs = results.load_all(results_dir)
    if not docs:
        raise results.ResultsError(results_dir, "(folder)", "holds no results files")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    versions, meaning = current_versions(examples_dir), read_declared(examples_dir)
    for name, text in render(docs, versions, meaning, timed=timed_runs(results_dir)).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            results.write_atomic(path, text)
        written.append(path)
    return written
