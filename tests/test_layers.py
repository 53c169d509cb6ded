"""The package reads as its pipeline: contract -> measure | store -> report, review beside.

The import contract in pyproject.toml (import-linter, also run by `nox -s lint`) must hold and
must be able to fail; no module imports another that imports it back, counting imports inside
functions; and every module is short and says what it is for.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "whygpu"
LAYERS = ("contract", "measure", "store", "report", "review")
MAX_LINES = 300


def _lint_imports(root: Path, src: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(tool), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(src)},
    )


def test_the_import_contract_holds(root):
    proc = _lint_imports(root, root / "src")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "broken" in proc.stdout and "0 broken" in proc.stdout


@pytest.mark.parametrize(
    "module, line, broken",
    [
        ("report/series.py", "import torch", "Results are checked and drawn without torch"),
        ("store/files.py", "import whygpu.measure.timing", "Layers"),
        ("report/models.py", "import whygpu.report.facts", "Only the build step"),
    ],
)
def test_the_import_contract_fails_when_a_layer_reaches_up(root, tmp_path, module, line, broken):
    copy = tmp_path / "src" / "whygpu"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / module
    path.write_text(f"{path.read_text(encoding='utf-8')}\n{line}  # a layer reaching up\n")
    shutil.copy(root / "pyproject.toml", tmp_path / "pyproject.toml")
    proc = _lint_imports(tmp_path, tmp_path / "src")
    assert proc.returncode != 0, proc.stdout
    assert f"{broken}" in proc.stdout and "BROKEN" in proc.stdout, proc.stdout


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every import circle among the package's modules (depth-first search, colours)."""
    modules = sorted(m for m in graph.modules if m.startswith("whygpu"))
    state: dict[str, int] = {}
    found: list[list[str]] = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.find_modules_directly_imported_by(module)):
            if not target.startswith("whygpu"):
                continue
            if state.get(target) == 1:
                found.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in modules:
        if module not in state:
            visit(module, [module])
    return found


def test_there_are_no_import_circles_counting_imports_inside_functions(root, monkeypatch):
    monkeypatch.syspath_prepend(str(root / "src"))
    graph = grimp.build_graph("whygpu", cache_dir=None)
    # grimp reads every import statement, nested ones included; check that it does here
    assert "whygpu.report.build" in graph.find_modules_directly_imported_by("whygpu.cli")
    assert _cycles(graph) == []


def test_the_circle_check_finds_a_circle():
    graph = grimp.ImportGraph()
    for a, b in (("whygpu.a", "whygpu.b"), ("whygpu.b", "whygpu.c"), ("whygpu.c", "whygpu.a")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["whygpu.a", "whygpu.b", "whygpu.c", "whygpu.a"]]


def test_the_folders_read_as_the_pipeline():
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert folders == sorted(LAYERS)
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "cli.py"], "a module outside the layers"


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_every_module_is_short_and_says_what_it_is_for(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path} is over {MAX_LINES} lines: split it"
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and len(docstring) > 20, f"{path} has no docstring saying what it is for"
