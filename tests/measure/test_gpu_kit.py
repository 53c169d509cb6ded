"""The documented command for a machine that already has a GPU environment, rehearsed on the
CPU: from a clean checkout where whygpu is not installed, with no pydantic, psutil, py-cpuinfo or
llvmlite importable (a bare torch + Lightning environment), it measures every example and writes
results that then pass the full schema.

The rehearsal proves the command, not the sweep: the checkout's copy of each example is cut to
its smallest size, so every example is still measured, written and checked, in a fraction of the
time of the quick sweep.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ImportError:  # Python 3.10: pytest's own TOML reader
    import tomli as tomllib

from whygpu.contract import examples
from whygpu.contract.names import PROFILES

#: What a GPU environment with torch, Lightning, scikit-learn, matplotlib, tqdm and numpy lacks:
#: the modules of the optional dependencies (pyproject.toml's `full` extra), each with a fallback.
HIDDEN = ("cpuinfo", "llvmlite", "psutil", "pydantic")
BARE = f"""
import importlib.abc, sys

class _Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {HIDDEN!r}:
            raise ImportError(f"{{name}} is not installed here (rehearsing a bare GPU machine)")
        return None

sys.meta_path.insert(0, _Absent())
"""


def _distribution(requirement: str) -> str:
    name = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_rehearsal_hides_exactly_the_optional_dependencies(root):
    """Each optional dependency's fallback is what the rehearsal runs on, and README names it."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    optional = {_distribution(r) for r in config["project"]["optional-dependencies"]["full"]}
    required = {_distribution(r) for r in config["project"]["dependencies"]}
    provides = importlib.metadata.packages_distributions()
    hidden = {_distribution(d) for module in HIDDEN for d in provides.get(module, [])}
    assert hidden == optional, "the rehearsal hides other modules than the optional ones"
    assert not optional & required, "a dependency is both required and optional"
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## With a GPU environment you already have", 1)[1].split("\n## ")[0]
    for name in sorted(optional):
        assert name in section, f"README's GPU section does not say {name} is optional"


def _documented_command(root: Path) -> list[str]:
    """The command as README's GPU section writes it."""
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## With a GPU environment you already have", 1)[1]
    line = re.search(r"^\$ (PYTHONPATH=src python -m whygpu run [^#\n]*)", section, re.M)
    assert line, "README's GPU section lost its command"
    return line.group(1).split()


def _one_size_each(folder: Path) -> dict[str, int]:
    """Rewrite each example's SIZES in `folder` (a scratch copy) to its smallest size."""
    kept = {}
    for path in examples.paths(folder):
        smallest = {p: examples.read(path).sizes(p)[0] for p in PROFILES}
        text = path.read_text(encoding="utf-8")
        node = next(
            n
            for n in ast.parse(text).body
            if isinstance(n, ast.Assign) and [ast.unparse(t) for t in n.targets] == ["SIZES"]
        )
        lines = text.splitlines(keepends=True)
        lines[node.lineno - 1 : node.end_lineno] = [
            f"SIZES = { ({p: [size] for p, size in smallest.items()})!r}\n"
        ]
        path.write_text("".join(lines), encoding="utf-8")
        kept[path.stem] = smallest[PROFILES[0]]
    return kept


@pytest.mark.slow
def test_the_documented_gpu_command_runs_from_a_bare_checkout(root, tmp_path):
    from whygpu.measure.devices import gpu_device
    from whygpu.store import files

    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    copy = tmp_path / "checkout"
    for name in filter(None, listed):
        if name.startswith("results/") or not (root / name).is_file():
            continue
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, copy / name)
    (copy / "src" / "sitecustomize.py").write_text(BARE)  # only this rehearsal's copy has it
    kept = _one_size_each(copy / "examples")
    env_assign, *argv = _documented_command(root)
    key, value = env_assign.split("=", 1)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CI")}
    argv[0] = sys.executable  # "python": the interpreter of this test run
    proc = subprocess.run(
        argv,
        cwd=copy,
        env={**env, key: value},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    if gpu_device() is None:
        assert "no CUDA or MPS device visible to torch" in proc.stderr
    assert "checked only in part" in proc.stderr, "the missing schema library went unmentioned"
    written = sorted((copy / "results").glob("*/*.json"))
    slugs = sorted(p.stem for p in (copy / "examples").glob("[!_]*.py"))
    assert sorted(p.stem for p in written) == slugs
    for path in written:  # here pydantic is installed: the full schema
        doc = files.load(path)
        assert doc["runs"][0]["accelerator"] == "cpu"
        assert doc["runs"][0]["provenance"]["cpu"]["model"] not in ("", "x86_64")
        sizes = {p["size"] for p in doc["runs"][0]["points"]}
        assert sizes == {kept[path.stem]}, f"{path.name}: measured {sorted(sizes)}"
