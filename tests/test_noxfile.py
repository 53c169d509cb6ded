"""noxfile.py: the tests `nox -s example -- SLUG` names exist, and every session installs
through the one helper that skips an install nothing has changed since."""

from __future__ import annotations

import ast
import re

import pytest


@pytest.fixture(scope="module")
def noxfile(root) -> str:
    return (root / "noxfile.py").read_text(encoding="utf-8")


def test_the_example_sessions_tests_exist(root, noxfile):
    named = [
        s.value
        for s in ast.walk(ast.parse(noxfile))
        if isinstance(s, ast.Constant) and isinstance(s.value, str) and s.value.startswith("tests/")
    ]
    named += re.findall(r'f"(tests/examples/test_example_)\{slug\}\.py"', noxfile)
    assert len(named) >= 5, named
    for entry in named:
        path, _, test = entry.partition("::")
        if path.endswith("test_example_"):
            assert (root / "tests" / "examples").is_dir()
            continue
        assert (root / path).is_file(), f"noxfile.py names {path}, which does not exist"
        if test:
            source = (root / path).read_text(encoding="utf-8")
            assert re.search(rf"^def {test}\(", source, re.M), f"{path} has no {test}"


def test_every_session_installs_through_the_helper(noxfile):
    tree = ast.parse(noxfile)
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or node.name == "_install":
            continue
        calls = {ast.unparse(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)}
        assert "session.install" not in calls, f"{node.name} installs without _install"
