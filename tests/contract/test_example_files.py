"""Examples are found one way and read without importing them (no torch, no side effects)."""

from __future__ import annotations

import textwrap

import pytest

from whygpu.contract import examples
from whygpu.contract.examples import ExampleError

HEADER = """
import torch_that_is_not_installed  # reading must not import anything

KiB = 1 << 10
TITLE = "A probe"
SIZE_LABEL = "bytes"
BENCHMARK_VERSION = 2
METRIC = "items"
ITEM_UNIT = "samples"
SIZES = {"quick": [4 * KiB, 64 * KiB, 1 << 20], "full": [KiB, 4 * KiB, 16 * KiB, 2**20]}
VARIANTS, OTHER = ["a", "b-2"], object()
"""


def _write(folder, name, text):
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def test_metadata_is_read_from_the_source_without_importing(tmp_path):
    info = examples.read(_write(tmp_path, "probe.py", HEADER))
    assert info.slug == "probe" and info.title == "A probe" and info.benchmark_version == 2
    assert info.sizes("quick") == [4096, 65536, 1048576] and info.sizes("full")[0] == 1024
    assert info.variants == ["a", "b-2"] and info.item_unit == "samples"


def test_item_unit_is_null_unless_the_metric_counts_items(tmp_path):
    text = HEADER.replace('METRIC = "items"', 'METRIC = "flops"')
    assert examples.read(_write(tmp_path, "probe.py", text)).item_unit is None


@pytest.mark.parametrize(
    "change, named",
    [
        (('TITLE = "A probe"', "TITLE = make_title()"), "TITLE"),
        (("[4 * KiB, 64 * KiB, 1 << 20]", "[k for k in range(1, 4)]"), "SIZES"),
        (("BENCHMARK_VERSION = 2", "BENCHMARK_VERSION = True"), "BENCHMARK_VERSION"),
        (('METRIC = "items"', 'METRIC = "watts"'), "METRIC"),
        (('ITEM_UNIT = "samples"', ""), "ITEM_UNIT"),
        (('["a", "b-2"]', '["a", "a"]'), "VARIANTS"),
        (("[KiB, 4 * KiB", "[4 * KiB, KiB"), "SIZES"),
        (("TITLE =", "TITLE = = "), "line 5"),  # a syntax error: the line it is on
    ],
)
def test_a_broken_declaration_names_the_file_and_the_constant(tmp_path, change, named):
    text = HEADER.replace(*change)
    assert text != HEADER, "the mistake was not made: HEADER changed under this test"
    path = _write(tmp_path, "probe.py", text)
    with pytest.raises(ExampleError) as info:
        examples.read(path)
    assert str(path) in str(info.value) and named in str(info.value), info.value


def test_examples_are_found_one_way_helpers_left_out(tmp_path):
    for name in ("b.py", "a.py", "_helper.py", "notes.txt"):
        _write(tmp_path, name, HEADER)
    assert [p.name for p in examples.paths(tmp_path)] == ["a.py", "b.py"]
    assert [p.name for p in examples.select(tmp_path, ["b"])] == ["b.py"]
    with pytest.raises(ExampleError, match="no example named _helper"):
        examples.select(tmp_path, ["_helper"])


def test_every_committed_example_reads_the_same_as_it_imports(root, all_examples):
    for path in examples.paths(root / "examples"):
        info, module = examples.read(path), all_examples[path.stem].module
        assert info.title == module.TITLE and info.variants == list(module.VARIANTS)
        assert info.sizes_by_profile == module.SIZES
        assert info.benchmark_version == module.BENCHMARK_VERSION and info.metric == module.METRIC
    assert examples.current_versions(root / "examples") == {
        slug: e.benchmark_version for slug, e in all_examples.items()
    }


def test_the_example_header_carries_no_second_title(root):
    """The jupytext header's own title drifted from TITLE and was read by nothing: TITLE is the
    one title an example declares."""
    for path in examples.paths(root / "examples"):
        assert "whygpu:" not in path.read_text(encoding="utf-8").split("# ---", 2)[1], path


def test_tuples_and_annotated_constants_are_read(tmp_path):
    """`X = (1, 2)` and `Z: int = 5` are literals too: read, not silently dropped."""
    found = examples.constants("X = (1, 2)\nZ: int = 5\nA, B = 3, 4\n").values
    assert found == {"X": (1, 2), "Z": 5, "A": 3, "B": 4}


def test_a_constant_the_contract_needs_but_cannot_read_is_refused_by_line(tmp_path):
    text = HEADER + "\nSIZES = make_sizes()\n"
    with pytest.raises(ExampleError, match=r"probe\.py: line \d+: SIZES is not a literal"):
        examples.read(_write(tmp_path, "probe.py", text))


def test_a_declared_meaning_is_read_and_checked(tmp_path):
    text = HEADER + (
        '\nMEANING = {"b-2": {"end_to_end_of": "a"}, "a": {"ceiling": "compute"}}\n'
        'CITED_BESIDE = "launch"\nFINDS_CROSSOVER = True\n'
    )
    meaning = examples.read(_write(tmp_path, "probe.py", text)).meaning
    assert meaning.of("b-2").crosses_pcie and not meaning.of("a").crosses_pcie
    assert meaning.end_to_end("a") == ["b-2"] and meaning.of("a").ceiling == "compute"
    assert meaning.cited_beside == "launch" and meaning.finds_crossover


@pytest.mark.parametrize(
    ("meaning", "problem"),
    [
        ('{"c": {}}', r"MEANING\['c'\]: not one of VARIANTS"),
        ('{"a": {"end_to_end_of": "z"}}', r"'z' is not one of VARIANTS"),
        ('{"a": {"crosses": True}}', r"unknown key 'crosses'"),
        ('{"a": {"ceiling": "roof"}}', r"\['ceiling'\] must be one of"),
        ('{"a": {"processes": 0}}', r"\['processes'\] must be at least 1"),
        ('{"a": {"modelled_as": "link"}}', r"modelled_as 'link' needs copies"),
    ],
)
def test_a_wrong_meaning_names_the_file_and_the_variant(tmp_path, meaning, problem):
    path = _write(tmp_path, "probe.py", HEADER + f"\nMEANING = {meaning}\n")
    with pytest.raises(ExampleError, match=problem) as info:
        examples.read(path)
    assert str(path) in str(info.value)
