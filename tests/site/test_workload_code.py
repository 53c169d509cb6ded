"""Under each example figure, a concept page shows the exact code that figure timed: a block of
the example file included by pymdownx.snippets, so it cannot drift from what the benchmark runs."""

from __future__ import annotations

import html
import inspect
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
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


@pytest.mark.parametrize("slug", sorted({slug for _, slug in example_figures(ROOT)}))
def test_the_block_holds_the_functions_the_harness_calls(root, all_examples, slug):
    block = workload_block(root, slug)
    module = all_examples[slug].module
    for name in ("work", "workload"):
        assert inspect.getsource(getattr(module, name)) in block, (
            f"examples/{slug}.py: the {name}() the harness calls lies outside the workload block"
        )


# Pygments may open a block with an empty span before its <code>
CODE_BLOCK = re.compile(
    r"<pre[^>]*>(?:\s|<span[^>]*></span>)*<code[^>]*>(?P<code>.*?)</code>\s*</pre>", re.S
)


def shown_code(page_html: str) -> list[str]:
    """Every code block of a built page, as the reader sees its text."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", m["code"])).strip()
        for m in CODE_BLOCK.finditer(page_html)
    ]


def test_code_blocks_are_read_as_their_text():
    page = (
        '<pre class="x"><span></span><code><span class="k">def</span> f():\n  a &lt; b</code></pre>'
        "<p>prose</p><pre><code>x = 1\n</code></pre>"
    )
    assert shown_code(page) == ["def f():\n  a < b", "x = 1"]


@pytest.mark.slow
def test_the_built_pages_show_the_block_verbatim(root, built_site):
    for page, slug in example_figures(root):
        built = (built_site / "concepts" / page / "index.html").read_text(encoding="utf-8")
        assert workload_block(root, slug).strip() in shown_code(built), (
            f"{page}: no code block shows examples/{slug}.py's workload block as it is"
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
