"""Every concept page keeps the rules (snippet, alt text, navigation, run-it box, facts).

The rules live in whygpu.pagecheck; the tests below prove they catch each kind of mistake on a
made-up page before trusting them on the real ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whygpu.contract.names import FACT_MARKER, FIGURES_DIR
from whygpu.review import pagecheck
from whygpu.review.pagecheck import markdown_cells, typed_numbers

ALT = "The CPU levels off while the model climbs"
GOOD = """# A page

Prose with {{ fact:x }}.

## See it

```python
print(1)
```

![The CPU levels off while the model climbs](../assets/figures/a.svg#only-light)
![The CPU levels off while the model climbs](../assets/figures/a-dark.svg#only-dark)

## Run it yourself

!!! example "On your machine"

    ```console
    $ nox -s benchmarks
    ```
"""


@pytest.fixture
def docs(tmp_path) -> Path:
    (tmp_path / "concepts").mkdir()
    (tmp_path / "assets" / "diagrams").mkdir(parents=True)
    return tmp_path


def problems_of(docs: Path, text: str, nav=("concepts/page.md",), facts=None):
    page = docs / "concepts" / "page.md"
    page.write_text(text, encoding="utf-8")
    return pagecheck.page_problems(page, docs, set(nav), facts if facts is not None else {"x": {}})


def test_a_page_that_keeps_every_rule_passes(docs):
    assert problems_of(docs, GOOD) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace("```python", "```text"), "no ```python snippet"),
        (
            lambda t: t.replace("```python", "<!--pytest.mark.skip-->\n```python"),
            "no ```python snippet",
        ),
        (
            lambda t: t.replace(f"![{ALT}](../assets/figures/a.svg", "![](../assets/figures/a.svg"),
            "needs alt text",
        ),
        (
            lambda t: t.replace(
                f"![{ALT}](../assets/figures/a-dark", "![x](../assets/figures/b-dark"
            ),
            "no dark variant",
        ),
        (lambda t: t.replace("## Run it yourself", "## Try it"), "no '## Run it yourself'"),
        (lambda t: t.replace("## See it", "### See it"), "skips from level 1 to 3"),
        (lambda t: t + "\n# Second title\n", "exactly one '# ' title"),
        (lambda t: t.replace("{{ fact:x }}", "{{ fact:nope }}"), "unknown fact 'nope'"),
        (lambda t: t + '\n<img src="a.png" alt="">\n', "needs alt text"),
        (lambda t: t + '\n--8<-- "assets/diagrams/missing.svg"\n', "does not exist"),
        (lambda t: t + "\nThe CPU reaches 176 GFLOP/s.\n", "types a number a fact should give"),
        (lambda t: t + "\nA call takes 1.88 µs here.\n", "'1.88 µs'"),
        (lambda t: t + "\nThe GPU is about 100x faster.\n", "'100x'"),
        (lambda t: t + "\nThe GPU is about 100\u00d7 faster.\n", "'100\u00d7'"),
        (
            lambda t: t.replace(f"![{ALT}]", "![The model sits about a hundred times higher]", 1),
            "'a hundred times higher'",
        ),
    ],
)
def test_each_rule_catches_its_mistake(docs, change, expected):
    found = problems_of(docs, change(GOOD))
    assert any(expected in p for p in found), found
    assert all(p.startswith("docs/concepts/page.md: ") for p in found)


def test_a_page_missing_from_the_navigation_is_caught(docs):
    found = problems_of(docs, GOOD, nav=("concepts/other.md",))
    assert found == [
        "docs/concepts/page.md: not in the navigation: add it under Concepts in mkdocs.yml's "
        "nav as concepts/page.md"
    ]


def test_a_diagram_needs_a_title_and_no_blank_line(docs):
    (docs / "assets" / "diagrams" / "d.svg").write_text(
        '<svg viewBox="0 0 1 1">\n\n<rect/></svg>\n', encoding="utf-8"
    )
    found = problems_of(docs, GOOD + '\n--8<-- "assets/diagrams/d.svg"\n')
    assert any('role="img"' in p for p in found)
    assert any("blank line" in p for p in found)


def test_a_hash_comment_in_a_snippet_is_not_a_heading(docs):
    text = GOOD.replace("print(1)", "# a comment, not a title\nprint(1)")
    assert problems_of(docs, text) == []


def test_every_concept_page_keeps_the_rules(root):
    pages = sorted((root / "docs" / "concepts").glob("*.md"))
    assert len(pages) >= 10, "the explainer has ten concept pages"
    assert pagecheck.check_concepts(root) == []


def test_every_concept_page_is_in_the_built_navigation(root, built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for page in sorted((root / "docs" / "concepts").glob("*.md")):
        assert f'href="concepts/{page.stem}/"' in home, f"{page.name} missing from the nav"


def test_quoted_facts_are_substituted_and_come_from_results(root, built_site):
    facts = json.loads((root / "docs" / "assets" / "figures" / "facts.json").read_text())
    for page in sorted((built_site / "concepts").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        assert "{{" not in html and "fact:" not in html, f"{page.parent.name}: fact left raw"
    html = (built_site / "concepts" / "convolution" / "index.html").read_text(encoding="utf-8")
    assert facts["conv2d.cpu.forward-cl.best"]["text"] in html
    assert facts["conv2d.cpu.forward-cl.best"]["source"].startswith("results/")


def test_example_pages_quote_facts_too(root, built_site):
    """Notebook pages skip the Markdown stage, so their facts are replaced in the HTML."""
    facts = json.loads((root / "docs" / "assets" / "figures" / "facts.json").read_text())
    for page in sorted((built_site / "examples").glob("*/index.html")):
        assert "fact:" not in page.read_text(encoding="utf-8"), f"{page.parent.name}: raw fact"
    html = (built_site / "examples" / "matmul" / "index.html").read_text(encoding="utf-8")
    for key in ("machine.peak", "matmul.cpu.fp32.share_of_peak", "matmul.cpu.bf16.vs_fp32"):
        assert facts[key]["text"] in html, key


def test_reading_the_benchmarks_quotes_the_harness_settings_in_force(root):
    """The page states the profiles, the noise threshold and the staleness age in prose; a
    change to any of them in the code must show up there too."""
    from whygpu.contract.thresholds import NOISY_IQR_FRACTION, ROUNDS
    from whygpu.measure.runner import PLANS
    from whygpu.report.staleness import STALE_AFTER_DAYS

    page = (root / "docs" / "concepts" / "reading-benchmarks.md").read_text(encoding="utf-8")
    facts = json.loads((root / FIGURES_DIR / "facts.json").read_text(encoding="utf-8"))
    page = FACT_MARKER.sub(lambda m: facts[m.group(1)]["text"], page)  # as the site shows it
    prose = " ".join(page.split())
    quick, full = PLANS["quick"], PLANS["full"]
    for quoted in (
        f"quick profile times each point in {ROUNDS['quick']} rounds, each round for at least "
        f"{quick.min_run_time:g} s and at least {quick.min_blocks} samples, after "
        f"{quick.warmup_calls} warm-up call",
        f"full profile in {ROUNDS['full']} rounds, each for at least {full.min_run_time:g} s "
        f"and {full.min_blocks} samples, after {full.warmup_calls} warm-up calls",
        f"more than {NOISY_IQR_FRACTION:.0%} of its median",
        f"more than {round(STALE_AFTER_DAYS / 365 * 12)} months before",
    ):
        assert quoted in prose, f"reading-benchmarks.md no longer says: {quoted}"


def test_no_page_types_a_number_a_fact_should_give(root):
    """Every page and every example's Markdown: measured and cited numbers are facts; a size
    ratio ("3 x 3", "ten times the elements") and code are not measurements, and pass."""
    pages = [p for p in (root / "docs").rglob("*.md") if "assets" not in p.parts]
    found = [f"{p}: {t}" for p in pages for t in typed_numbers(p.read_text(encoding="utf-8"))]
    for example in (root / "examples").glob("*.py"):
        cells = markdown_cells(example.read_text(encoding="utf-8"))
        found += [f"{example}: {t}" for t in typed_numbers(cells)]
    assert len(pages) > 10 and found == []


def test_size_arithmetic_and_code_are_not_typed_numbers():
    text = "A 3 x 3 filter, `0.5 s` in code, {{ fact:a.b }} and ten times the elements.\n"
    assert typed_numbers(text) == []
    assert typed_numbers("It takes 2.5 ms.") == ["'2.5 ms' in '...It takes 2.5 ms....'"]


def test_executed_example_pages_set_their_run_beside_the_figures_machine(root, built_site):
    """The page's own output names the figure's machine and compares the two runs in words."""
    record = json.loads((root / FIGURES_DIR / "figure-machine.json").read_text(encoding="utf-8"))
    for slug in ("matmul", "conv2d", "elementwise"):
        html = (built_site / "examples" / slug / "index.html").read_text(encoding="utf-8")
        assert "Beside the figure" in html, slug
        assert record[slug]["machine"] in html, slug


def test_no_page_ends_a_paragraph_on_a_colon_or_starts_a_sentence_in_lower_case(built_site):
    """Read in the built HTML, where facts, snippets and notebook cells are put together."""
    from whygpu.review.prose import problems

    found = [
        f"{page.relative_to(built_site).parent}: {p}"
        for page in sorted(built_site.rglob("index.html"))
        for p in problems(page.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_prose_check_catches_each_slip():
    from whygpu.review.prose import problems

    assert problems("<p>The costs are:</p>\n<h2>Next</h2>")[0].startswith("a paragraph ends on")
    assert problems("<p>The costs are:</p>\n<ul><li>a</li></ul>") == []
    assert problems("<p>It is fast. the model is slow.</p>")[0].startswith("a sentence starts")
    assert problems("<p>Use e.g. this, or <code>x. y</code>.</p>") == []
