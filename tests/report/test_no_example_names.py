"""report/ holds no example's slug or variant name: what a line means is declared by its example
(whygpu.contract.meaning), never parsed out of a name, so a new example needs no edit here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from whygpu.contract import examples

REPORT = Path(__file__).parents[2] / "src" / "whygpu" / "report"
EXAMPLES = Path(__file__).parents[2] / "examples"
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*|-[A-Za-z0-9_.-]+")


#: Words of the sources the report transcribes that are also example names: cited rows give FP32
#: and bf16 figures (matmul's variants are named after them), and a cited tool is named "maximum
#: achievable matmul FLOPS". Only this module may use them, as its sources do (the datasheets
#: live in whygpu.contract.datasheet, outside report/).
PRECISIONS = {"fp32", "bf16"}
TRANSCRIBED = {"cited.py": {*PRECISIONS, "matmul"}}


def _names() -> tuple[set[str], set[str]]:
    """Every slug and variant name, and the affixes a name test would use ('-e2e', 'ddp-')."""
    names: set[str] = set()
    affixes: set[str] = set()
    for path in examples.paths(EXAMPLES):
        info = examples.read(path)
        names |= {info.slug, *info.variants}
        for variant in info.variants:
            head, _, tail = variant.rpartition("-")
            if head and not tail.isdigit():
                affixes.add(f"-{tail}")
            if head and any(c.isdigit() for c in head):  # 'ddp-', 'h2d-': no English word
                affixes.add(f"{head}-")
    return names, affixes


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes: prose may name an example as an illustration."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _words(path: Path) -> list[tuple[int, str]]:
    """(line, word) for the code's strings, names and attributes (docstrings and imports aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            out += [(node.lineno, w) for w in TOKEN.findall(node.value)]
        elif isinstance(node, ast.Name):
            out.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((node.lineno, node.attr))
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.arg)):
            name = node.arg if isinstance(node, ast.arg) else node.name
            out.append((node.lineno, name))
    return out


def _offences(root: Path, names: set[str], affixes: set[str]) -> list[str]:
    found = []
    for path in sorted(root.glob("*.py")):
        allowed = TRANSCRIBED.get(path.name, set())
        for line, word in sorted(_words(path)):
            if (word in names or word in affixes) and word not in allowed:
                found.append(f"{path.name}:{line}: {word!r}")
    return found


def test_report_names_no_example_or_variant() -> None:
    names, affixes = _names()
    assert _offences(REPORT, names, affixes) == []


def test_the_scan_finds_a_name_where_there_is_one(tmp_path: Path) -> None:
    """The scan is not blind: a variant tested by name, a suffix parsed, a slug compared."""
    (tmp_path / "leak.py").write_text(
        'def f(s, v):\n    return s == "matmul" or v.endswith("-e2e") or v.startswith("h2d-")\n'
    )
    (tmp_path / "clean.py").write_text('"""About matmul, in prose."""\nX = "GFLOP/s"\n')
    names, affixes = _names()
    got = _offences(tmp_path, names, affixes)
    assert sorted(g.split(": ")[1] for g in got) == ["'-e2e'", "'h2d-'", "'matmul'"]
