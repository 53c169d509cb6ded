"""Under each example figure, a concept page shows the exact code that figure timed: a block of
the example file included by pymdownx.snippets, so it cannot drift from what the benchmark runs."""

from __future__ import annotations

import ast
import html
import re

import pytest

FIGURE = re.compile(r"assets/figures/(\w+)\.svg#only-light")
SECTION = re.compile(
    r"^# --8<-- \[start:workload\][^\n]*\n(?P<code>.*?)^# --8<-- \[end:workload\]", re.S | re.M
)


def example_figures(root) -> list[tuple[str, str]]:
    examples = {p.stem for p in (root / "examples").glob("*.py")}
    return [
        (page.stem, slug)
        for page in sorted((root / "docs" / "concepts").glob("*.md"))
        for slug in dict.fromkeys(FIGURE.findall(page.read_text(encoding="utf-8")))
        if slug in examples
    ]


def workload_block(root, slug: str) -> str:
    text = (root / "examples" / f"{slug}.py").read_text(encoding="utf-8")
    match = SECTION.search(text)
    assert match, f"examples/{slug}.py has no '# --8<-- [start:workload]' ... [end:workload] block"
    return match["code"]


def test_every_example_figure_on_a_concept_page_includes_its_workload(root):
    pairs = example_figures(root)
    assert len(pairs) >= 6, "the concept pages draw the examples' figures"
    for page, slug in pairs:
        text = (root / "docs" / "concepts" / f"{page}.md").read_text(encoding="utf-8")
        assert f'--8<-- "examples/{slug}.py:workload"' in text, (
            f"docs/concepts/{page}.md shows the {slug} figure without the code it timed"
        )


@pytest.mark.parametrize(
    "slug", ["conv2d", "crossover", "elementwise", "matmul", "train_cnn", "transfer"]
)
def test_the_block_holds_the_functions_the_harness_calls(root, slug):
    source = (root / "examples" / f"{slug}.py").read_text(encoding="utf-8")
    block = workload_block(root, slug)
    tree = ast.parse(source)
    for name in ("work", "workload"):
        node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
        assert ast.get_source_segment(source, node) in block, (
            f"examples/{slug}.py: {name}() lies outside the included workload block"
        )


@pytest.mark.slow
def test_the_built_pages_show_the_block_verbatim(root, built_site):
    for page, slug in example_figures(root):
        built = (built_site / "concepts" / page / "index.html").read_text(encoding="utf-8")
        shown = re.search(
            rf"The code this figure timed, from <code>examples/{slug}\.py</code></summary>"
            r".*?<code>(?P<code>.*?)</code></pre>",
            built,
            re.S,
        )
        assert shown, f"{page}: no code block under the {slug} figure"
        text = html.unescape(re.sub(r"<[^>]+>", "", shown["code"]))
        assert text.strip() == workload_block(root, slug).strip(), (
            f"{page}: the code under the {slug} figure differs from examples/{slug}.py"
        )


def test_the_includes_are_left_alone_by_the_formatter(root):
    """ruff formats Markdown's Python fences and would rewrite an include line as Python
    (`--8 < --"..."`), which snippets then cannot resolve: each include sits in fmt: off."""
    for page, slug in example_figures(root):
        text = (root / "docs" / "concepts" / f"{page}.md").read_text(encoding="utf-8")
        include = f'--8<-- "examples/{slug}.py:workload"'
        before = text[: text.index(include)]
        assert before.rstrip().rsplit("\n", 2)[-2].strip() == "<!-- fmt: off -->", (
            f"docs/concepts/{page}.md: the {slug} include is not inside <!-- fmt: off -->"
        )
