"""The one build step: every generated file (figures, CSVs, captions, tables, facts, the results
schema) from the results files, written only where its text changed.

This is the only module that imports the renderers; each renderer turns grouped results into
files and knows nothing of the others, so `whygpu figures` and the freshness test share one
entry point and one order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whygpu.contract.examples import current_versions
from whygpu.contract.names import EXAMPLES_DIR, SCHEMA_FILE
from whygpu.report import captions, charts, data, facts, roofline, tables
from whygpu.report.models import model_lines
from whygpu.report.series import group_series
from whygpu.report.staleness import staleness
from whygpu.store import files as results
from whygpu.store.schema import json_schema


def render(docs: list[dict[str, Any]], versions: dict[str, int] | None = None) -> dict[str, str]:
    """Every generated file's name and text, from validated results documents.

    `versions` maps each example to its current BENCHMARK_VERSION, to mark older runs stale.
    """
    versions = versions or {}
    stale = staleness(docs, versions)
    out: dict[str, str] = {}
    for slug, series in sorted(group_series(docs).items()):
        models = model_lines(series)  # computed once, drawn, tabulated and captioned
        out.update(charts.render(slug, series, models))
        out.update(data.render(slug, series, models))
        out.update(captions.render(slug, series, models, stale))
    out.update(roofline.render(docs))
    out.update(tables.render(docs, versions))
    out.update(facts.render(docs))
    out[SCHEMA_FILE] = json_schema()
    return out


def draw_all(results_dir: Path, out_dir: Path, examples_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """Redraw every figure and generated table from the results under `results_dir`."""
    docs = results.load_all(results_dir)
    if not docs:
        raise results.ResultsError(results_dir, "(folder)", "holds no results files")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render(docs, current_versions(examples_dir)).items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            results.write_atomic(path, text)
        written.append(path)
    return written
