"""A fact quoted on an example's page that the build would not know is refused before review,
by `check-examples` and by the strict build alike, naming the key, why it is unknown and what
to do: measure the example, compute the facts again, or use the nearest known key."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from whygpu.review.examplecheck import unknown_facts
from whygpu.review.scaffold import new_example

SLUG = "relu_probe"
KNOWN = {f"{SLUG}.cpu.relu.best": {"text": "9.5 GB/s"}, "matmul.cpu.fp32.best": {"text": "x"}}


@pytest.fixture
def checkout(tmp_path) -> Path:
    """A scaffolded example in a checkout's layout, with facts and no results yet."""
    new_example(SLUG, tmp_path / "examples")
    figures = tmp_path / "docs" / "assets" / "figures"
    figures.mkdir(parents=True)
    (figures / "facts.json").write_text(json.dumps(KNOWN))
    return tmp_path


def _quoting(checkout: Path, key: str) -> tuple[Path, str]:
    path = checkout / "examples" / f"{SLUG}.py"
    text = path.read_text().replace(
        "# ## What the benchmark shows\n",
        f"# ## What the benchmark shows\n#\n# It reaches {{{{ fact:{key} }}}} at best.\n",
    )
    path.write_text(text)
    return path, text


def test_a_known_fact_passes(checkout):
    assert unknown_facts(*_quoting(checkout, f"{SLUG}.cpu.relu.best")) == []


def test_a_fact_of_an_example_not_measured_yet_says_to_measure_it(checkout):
    (checkout / "docs/assets/figures/facts.json").write_text(json.dumps({"machine": {}}))
    (found,) = unknown_facts(*_quoting(checkout, f"{SLUG}.cpu.relu.best"))
    assert f"unknown fact '{SLUG}.cpu.relu.best'" in found
    assert "not been measured on any machine yet" in found
    assert f"nox -s benchmarks -- --only {SLUG}" in found


def test_a_fact_of_a_measured_example_missing_from_old_facts_says_to_compute_them(checkout):
    (checkout / "docs/assets/figures/facts.json").write_text(json.dumps({"machine": {}}))
    (checkout / "results" / "my-box-4c").mkdir(parents=True)
    (checkout / "results" / "my-box-4c" / f"{SLUG}.json").write_text("{}")
    (found,) = unknown_facts(*_quoting(checkout, f"{SLUG}.cpu.relu.best"))
    assert f"results/my-box-4c/{SLUG}.json exist" in found and "nox -s figures" in found


def test_a_misspelt_fact_names_the_nearest_known_key(checkout):
    (found,) = unknown_facts(*_quoting(checkout, f"{SLUG}.cpu.relu.bset"))
    assert f"unknown fact '{SLUG}.cpu.relu.bset'" in found
    assert f"nearest known: {SLUG}.cpu.relu.best" in found


def test_facts_quoted_without_facts_json_say_how_to_compute_them(checkout):
    (checkout / "docs/assets/figures/facts.json").unlink()
    (found,) = unknown_facts(*_quoting(checkout, f"{SLUG}.cpu.relu.best"))
    assert "facts.json is missing" in found and "nox -s figures" in found


def test_check_examples_refuses_an_unknown_fact_naming_it(checkout):
    path, _ = _quoting(checkout, f"{SLUG}.cpu.relu.bset")
    proc = subprocess.run(
        [sys.executable, "-m", "whygpu", "check-examples", "--no-run", str(path)],
        capture_output=True,
        text=True,
        cwd=checkout,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")},
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"FIX     {path}: quotes an unknown fact '{SLUG}.cpu.relu.bset'" in proc.stderr
    assert f"nearest known: {SLUG}.cpu.relu.best" in proc.stderr


def test_the_strict_build_says_why_a_fact_is_unknown(root, checkout):
    spec = importlib.util.spec_from_file_location("facts_hook", root / "docs/hooks/facts.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    hook.on_config(
        {"docs_dir": str(checkout / "docs"), "config_file_path": str(checkout / "mkdocs.yml")}
    )
    page = SimpleNamespace(file=SimpleNamespace(src_uri=f"examples/{SLUG}.py"))
    assert hook._replace(f"{{{{ fact:{SLUG}.cpu.relu.best }}}}", page, str) == "9.5 GB/s"
    with pytest.raises(Exception, match="unknown fact") as info:
        hook._replace(f"at {{{{ fact:{SLUG}.cpu.relu.bset }}}}", page, str)
    said = str(info.value)
    assert f"examples/{SLUG}.py: unknown fact '{SLUG}.cpu.relu.bset'" in said
    assert f"nearest known: {SLUG}.cpu.relu.best" in said
