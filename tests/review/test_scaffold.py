"""The scaffold writes an example and its test file, says what comes next in one aligned
column, and the example checks ask for the test file it wrote."""

from __future__ import annotations

import pytest

from whygpu.review import examplecheck
from whygpu.review.scaffold import ScaffoldError, example_tests, new_example, next_steps

SLUG = "relu_probe"


def test_an_example_comes_with_its_test_file(tmp_path):
    path = new_example(SLUG, tmp_path / "examples")
    tests = example_tests(tmp_path, SLUG)
    assert tests == tmp_path / "tests" / "examples" / f"test_example_{SLUG}.py"
    text = tests.read_text()
    assert f'all_examples["{SLUG}"]' in text and "def test_" in text
    compile(text, str(tests), "exec")  # the template's braces were filled, not left
    path.unlink()
    with pytest.raises(ScaffoldError, match=r"test_example_relu_probe\.py already exists"):
        new_example(SLUG, tmp_path / "examples")
    assert not path.exists(), "the example was written though its test file was taken"


def test_next_steps_put_every_comment_in_one_column(tmp_path):
    path = new_example(SLUG, tmp_path / "examples")
    said = next_steps(path, SLUG).splitlines()
    commands = said[said.index("next:") + 1 :]
    assert len(commands) >= 4
    assert len({line.index("   # ") for line in commands}) == 1, "\n".join(commands)
    assert any(f"nox -s example -- {SLUG}" in line for line in commands)
    assert any(line.strip().startswith("PYTHONPATH=src python ") for line in commands)


def test_the_checks_ask_for_the_examples_test_file(tmp_path):
    path = new_example(SLUG, tmp_path / "examples")
    example_tests(tmp_path, SLUG).unlink()
    found = examplecheck.problems(path, run=False)
    assert any(
        "has no test file of its own" in p and f"test_example_{SLUG}.py" in p for p in found
    ), found
