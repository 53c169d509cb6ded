"""Each example honours the contract and produces real output on the CPU: its main names the
machine first, prints and returns finite numbers, and importing it runs none of that."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from whygpu.contract import Work
from whygpu.contract import examples as contract
from whygpu.contract.names import PROFILES
from whygpu.review.examplecheck import MAX_IMPORT_ELEMENTS, MAX_IMPORT_OPS
from whygpu.review.scaffold import new_example

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SLUGS = [p.stem for p in contract.paths(EXAMPLES)]

#: The cheapest call of each example's main that still does its real work (smallest sizes,
#: one epoch, one block). An example not listed runs its main as `python EXAMPLE.py` would.
CHEAPEST: dict[str, dict] = {
    "conv2d": {"size": 8},
    "crossover": {"sizes": (16,)},
    "elementwise": {"small": 100, "large": 1_000},
    "matmul": {"size": 64},
    "transfer": {"size": 4096},
    "ddp": {"size": 16, "blocks": 1, "variants": ("ddp-1",)},
    "train_cnn": {"size": 16, "epochs": 1},
}
#: Whole runs that take more than a few seconds on two cores (training, process groups).
SLOW = {"ddp", "train_cnn"}

NOT_A_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
A_NUMBER = re.compile(r"\d")


def test_every_example_gives_work_for_every_size(all_examples):
    for example in all_examples.values():
        for profile in PROFILES:
            for size in example.sizes(profile):
                for variant in example.variants:
                    cost = example.work(size, variant)
                    assert isinstance(cost, Work)
                    assert cost.amount(example.metric) > 0


def _numbers(value) -> list[float]:
    """Every number in what main returned, however nested (dicts, lists, tuples)."""
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _numbers(v)]
    return []


def test_numbers_are_found_however_main_nests_them():
    assert _numbers({"a": [1, {"b": 2.5}], "c": "x", "d": True, "e": (3,)}) == [1.0, 2.5, 3.0]
    assert _numbers("text") == []


@pytest.mark.parametrize(
    "slug", [pytest.param(s, marks=[pytest.mark.slow] if s in SLOW else []) for s in SLUGS]
)
def test_main_names_the_machine_then_prints_and_returns_finite_numbers(all_examples, slug, capsys):
    from whygpu.measure.provenance import this_run

    example = all_examples[slug]
    returned = example.module.main(**CHEAPEST.get(slug, {}))
    lines = capsys.readouterr().out.splitlines()

    assert lines and lines[0] == this_run(), "the first line must name the machine"
    results = lines[1:]
    assert any(A_NUMBER.search(line) for line in results), f"no number printed: {lines}"
    broken = [line for line in results if NOT_A_NUMBER.search(line)]
    assert not broken, f"printed a number that is not finite: {broken}"

    numbers = _numbers(returned)
    assert numbers, f"main returned no numbers: {returned!r}"
    assert all(math.isfinite(n) for n in numbers), returned
    assert any(n > 0 for n in numbers), returned


@pytest.fixture
def import_counted(capsys):
    """Import an example file again, as `examples.load` does; return what importing printed and
    the tensor work it did. Modules it replaces in sys.modules are put back afterwards."""
    from whygpu.review.import_probe import CountOps

    saved = dict(sys.modules)

    def load(path: Path) -> dict:
        capsys.readouterr()
        before = dict(CountOps.totals)
        with CountOps():
            contract.load(path)
        work = {k: CountOps.totals[k] - before[k] for k in before}
        return {"printed": capsys.readouterr().out, **work}

    yield load
    for name, module in saved.items():
        if sys.modules.get(name) is not module:
            sys.modules[name] = module


def test_importing_an_example_runs_nothing_heavy_and_prints_nothing(tmp_path, import_counted):
    # a scratch example that does its work at import shows the check can fail
    heavy = new_example("heavy_at_import", tmp_path / "examples")
    heavy.write_text(
        heavy.read_text() + "\nprint('ran at import')\n_T = torch.ones(2_000_000).add(1).sum()\n"
    )
    seen = import_counted(heavy)
    assert seen["printed"] and seen["elements"] > MAX_IMPORT_ELEMENTS, seen
    for path in contract.paths(EXAMPLES):
        seen = import_counted(path)
        assert seen["printed"] == "", f"importing {path.name} printed: its main block ran"
        assert seen["ops"] <= MAX_IMPORT_OPS, f"{path.name}: {seen['ops']} tensor ops at import"
        assert seen["elements"] <= MAX_IMPORT_ELEMENTS, f"{path.name}: {seen['elements']:,}"
