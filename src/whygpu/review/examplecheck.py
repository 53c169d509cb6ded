"""Checks an example must pass before review, each failure saying what to fix.

An example is a page, a benchmark and a script at once, so it is rejected when it has no prose
to read, no size sweep to plot, no work per call to turn time into throughput, no figure on its
page, a quoted fact the build would not know, no test file of its own, a standalone run that
fails, or heavy work at import (the runner, the tests and the site all import every example, so
that cost would be paid everywhere).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from whygpu.contract.names import FACT_MARKER, FIGURES_IN_DOCS
from whygpu.report.fact_keys import FACTS_FILE, why_unknown
from whygpu.review.scaffold import example_tests

MIN_PROSE_WORDS = 60
MIN_SIZES = 3
#: Importing may build a few small constants; more than this is work that belongs in
#: workload() or main().
MAX_IMPORT_OPS = 100
MAX_IMPORT_ELEMENTS = 1_000_000


def prose_words(text: str) -> int:
    """Words in the markdown cells (read by jupytext, as the site reads them), headings and
    images left out."""
    import jupytext

    notebook = jupytext.reads(text, fmt="py:percent")
    words = 0
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if line.startswith(("#", "![")):
                continue
            words += len(re.findall(r"[A-Za-z]{2,}", line))
    return words


def problems(path: Path, run: bool = True, timeout: float = 300) -> list[str]:
    """What `path` must fix before review; empty when it passes every check."""
    path = Path(path)
    slug = path.stem
    text = path.read_text(encoding="utf-8")
    found: list[str] = []

    def problem(what: str) -> None:
        found.append(f"{path}: {what}")

    words = prose_words(text)
    if words < MIN_PROSE_WORDS:
        problem(
            f"has no prose ({words} words in markdown cells): add a '# %% [markdown]' cell that "
            f"says what is measured and why it matters, at least {MIN_PROSE_WORDS} words"
        )
    for variant in (f"{slug}.svg#only-light", f"{slug}-dark.svg#only-dark"):
        if f"{FIGURES_IN_DOCS}/{variant}" not in text:
            problem(
                f"its page shows no figure: add '![what the figure shows]"
                f"(../../{FIGURES_IN_DOCS}/{variant})' to a markdown cell"
            )
        elif -1 < text.find("\n# %%\n") < text.find(f"{FIGURES_IN_DOCS}/{variant}"):
            problem(
                "its figure comes after the code: readers see the finding first, so move the "
                "markdown cell with the figure above the first code cell ('# %%')"
            )
    for what in unknown_facts(path, text):
        problem(what)
    tests = example_tests(path.resolve().parent.parent, slug)
    if not tests.exists():
        problem(
            f"has no test file of its own: write {tests} (what its workload computes, what "
            "work() counts, what main() prints); `nox -s new_example` writes one with each new "
            "example"
        )

    probe = subprocess.run(
        [sys.executable, "-m", "whygpu.review.import_probe", str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    try:
        report = json.loads(probe.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        problem(f"cannot be imported: {_tail(probe.stderr)}")
        return found
    if "error" in report:
        problem(f"breaks the example contract: {report['error']}")
        return found
    if report["ops"] > MAX_IMPORT_OPS or report["elements"] > MAX_IMPORT_ELEMENTS:
        problem(
            f"does heavy work at import ({report['ops']} tensor operations making "
            f"{report['elements']:,} elements): move it into workload() or main(), which only "
            "run when asked"
        )
    for profile, sizes in report["sizes"].items():
        if len(sizes) < MIN_SIZES:
            problem(
                f"has no size sweep: SIZES[{profile!r}] holds {len(sizes)} size(s); a figure "
                f"needs at least {MIN_SIZES} sizes to show a trend"
            )
    if report["zero_work"]:
        problem(
            f"has no work per call for METRIC {report['metric']!r} ("
            + "; ".join(report["zero_work"])
            + "): work() must count what one call does, so time becomes throughput"
        )
    if run:
        standalone = subprocess.run(
            [sys.executable, str(path.resolve())],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=path.parent,
        )
        if standalone.returncode != 0:
            problem(
                f"fails when run on its own (python {path.name} exited "
                f"{standalone.returncode}): {_tail(standalone.stderr)}"
            )
    return found


def unknown_facts(path: Path, text: str) -> list[str]:
    """Each `{{ fact:KEY }}` the site's build would refuse, with why and what to do."""
    keys = list(dict.fromkeys(m.group(1) for m in FACT_MARKER.finditer(text)))
    if not keys:
        return []
    root = path.resolve().parent.parent
    facts = root / FACTS_FILE
    if not facts.exists():
        return [f"quotes facts but {facts} is missing: run `nox -s figures` to compute them"]
    known = json.loads(facts.read_text(encoding="utf-8"))
    return [
        f"quotes an unknown fact '{key}': {why_unknown(key, known, root)}"
        for key in keys
        if key not in known
    ]


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no output)"
