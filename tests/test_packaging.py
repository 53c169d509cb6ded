"""pyproject.toml declares what the code imports, each requirement once, and the tools pinned.

A module the code imports but no dependency list names works on the machine that happens to have
it and fails on a fresh one (grimp once was such a module); a requirement written in two groups
with two different bounds installs whichever a session happened to list; an unpinned linter
changes what passes when it upgrades.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: pytest's own TOML reader
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: Where the code that runs lives, and the folders whose own modules it may import by name.
CODE = ("src", "tests", "examples", "docs/hooks")
#: Imported where present, never installed by this project, each with its reason.
UNDECLARED = {
    "pynvml": "NVIDIA's NVML bindings come with a GPU's driver stack; nvidia-smi is the fallback",
    "tomli": "Python 3.10's TOML reader (3.11 has tomllib), which pytest itself requires there",
}


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
    assert found, f"not a requirement: {requirement!r}"
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def _requirements(config: dict) -> list[tuple[str, str]]:
    """(where, requirement) for every requirement string in pyproject.toml."""
    project = config["project"]
    found = [("dependencies", r) for r in project["dependencies"]]
    for extra, reqs in project.get("optional-dependencies", {}).items():
        found += [(f"extra {extra}", r) for r in reqs]
    for group, reqs in config.get("dependency-groups", {}).items():
        found += [(f"group {group}", r) for r in reqs if isinstance(r, str)]
    return found


def _runtime_nodes(node: ast.AST):
    """Every node under `node`, except inside `if TYPE_CHECKING:` (imports for the type checker)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and ast.unparse(child.test).endswith("TYPE_CHECKING"):
            yield from (n for orelse in child.orelse for n in [orelse, *_runtime_nodes(orelse)])
            continue
        yield child
        yield from _runtime_nodes(child)


def _imported(folder: Path) -> set[str]:
    """Top-level names of the absolute imports made at run time by the Python under `folder`."""
    names = set()
    for path in folder.rglob("*.py"):
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _local_names() -> set[str]:
    """This repository's own modules and packages: whygpu, test helpers, hooks, examples."""
    names = set()
    for base in CODE:
        for path in (ROOT / base).rglob("*"):
            if path.suffix == ".py" or path.is_dir():
                names.add(path.stem)
    return names


def test_every_imported_library_is_declared():
    declared = {_name(r) for _, r in _requirements(_config())}
    provides = importlib.metadata.packages_distributions()
    local = _local_names()
    missing = []
    for folder in CODE:
        for module in sorted(_imported(ROOT / folder)):
            if module in sys.stdlib_module_names or module == "__future__" or module in local:
                continue
            if module in UNDECLARED:
                continue
            dists = {_name(d) for d in provides.get(module, [])}
            if not dists & declared:
                found = ", ".join(sorted(dists)) or "not installed"
                missing.append(f"{folder}: {module} ({found})")
    assert not missing, f"imported but declared nowhere in pyproject.toml: {missing}"


def test_a_requirement_written_twice_says_the_same_both_times():
    seen: dict[str, dict[str, str]] = {}
    for where, requirement in _requirements(_config()):
        text = re.sub(r"\s+", "", requirement.split("#")[0])
        seen.setdefault(_name(requirement), {})[where] = text
    differ = {name: places for name, places in seen.items() if len(set(places.values())) > 1}
    assert not differ, f"one requirement, different bounds: {differ}"


def test_the_checkers_are_pinned_in_one_place():
    found = [(where, r) for where, r in _requirements(_config()) if _name(r) in ("ruff", "mypy")]
    assert sorted(_name(r) for _, r in found) == ["mypy", "ruff"], found
    assert all(where == "group lint" and "==" in r for where, r in found), found


def test_ci_installs_the_nox_floor_the_noxfile_needs():
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    floor = re.search(r'^nox\.needs_version = "(>=[\d.]+)"$', noxfile, re.M)
    assert floor, "noxfile.py sets no nox.needs_version"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.findall(r'"nox(>=[\d.]+)"', ci) == [floor.group(1)], "CI installs another nox"
