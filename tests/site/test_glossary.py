"""Glossary hovercards: Python-Markdown's abbr marks the terms, Material draws the card, and
the hook keeps only each term's first use in running text."""

from __future__ import annotations

import importlib.util
import re

import pytest


@pytest.fixture(scope="module")
def hook(root):
    spec = importlib.util.spec_from_file_location("glossary_hook", root / "docs/hooks/glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GLOSSARY = """# Glossary

## Kernel {#kernel}
<!-- also: kernels -->
A function that runs on the GPU, once per thread.
It is launched from the CPU.

## warp
A group of 32 threads.
"""


def test_terms_ids_forms_and_first_sentence(hook):
    terms = hook.parse(GLOSSARY)
    assert [t["id"] for t in terms] == ["kernel", "warp"]
    assert terms[0]["forms"] == ["Kernel", "kernels"]
    assert terms[0]["definition"] == "A function that runs on the GPU, once per thread."


def test_every_form_gets_the_terms_card_and_lowercase_forms_a_capitalised_twin(hook):
    cards = hook.abbreviations(hook.parse(GLOSSARY))
    assert (
        cards["kernels"]
        == cards["Kernel"]
        == ("Kernel: A function that runs on the GPU, once per thread.")
    )
    assert cards["Warp"] == cards["warp"] == "warp: A group of 32 threads."
    assert "Kernels" in cards  # "kernels" capitalised at a sentence's start


def test_only_the_first_use_in_running_text_stays_and_is_focusable(hook):
    html = (
        '<h2>Many <abbr title="k">kernels</abbr></h2>'
        '<p>A <a href="x"><abbr title="k">kernel</abbr></a> link. '
        'Each <abbr title="k">kernel</abbr> is small; so is this <abbr title="k">kernel</abbr>.</p>'
        '<p>A <abbr title="w">warp</abbr>.</p>'
    )
    out = hook.first_uses(html)
    kept = re.findall(r'<abbr tabindex="0" title="([kw])">(\w+)</abbr>', out)
    assert kept == [("k", "kernel"), ("w", "warp")]
    assert "<h2>Many kernels</h2>" in out and '<a href="x">kernel</a>' in out
    assert out.count("<abbr") == 2


def test_every_page_but_the_glossary_carries_cards(hook):
    for page in ("examples/matmul.py", "results.md", "measure/index.md", "reference/sources.md"):
        assert hook.teaches(page), page
    assert not hook.teaches("reference/glossary.md")
    assert "<abbr" not in hook.first_uses('<td><abbr title="g">GPU</abbr></td>', keep=False)


def test_concept_pages_carry_each_glossary_term_at_most_once(root, built_site):
    cards = set(re.sub(r"\s+", " ", v) for v in hook_cards(root).values())
    assert len(cards) >= 100, "the glossary defines the terms the pages use"
    for page in sorted((built_site / "concepts").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        titles = [
            t.replace("&amp;", "&") for t in re.findall(r'<abbr tabindex="0" title="([^"]+)"', html)
        ]
        assert titles, f"{page.parent.name}: no glossary hovercard"
        assert set(titles) <= cards, f"{page.parent.name}: a card for no glossary term"
        assert len(titles) == len(set(titles)), f"{page.parent.name}: a term underlined twice"
        assert "<abbr" not in re.sub(r"<abbr tabindex", "", html), (
            f"{page.parent.name}: a repeat kept"
        )
    results = (built_site / "results" / "index.html").read_text(encoding="utf-8")
    tables = "".join(re.findall(r"<table\b.*?</table>", results, flags=re.S))
    assert "<abbr" in results, "the Results page's prose carries hovercards"
    assert "<abbr" not in tables, "the Results tables carry no hovercards"


def test_example_pages_carry_hovercards_in_their_prose_only(root, built_site):
    """Notebook pages never meet Python-Markdown's `abbr`: the hook marks their Markdown cells."""
    cards = set(re.sub(r"\s+", " ", v) for v in hook_cards(root).values())
    for page in sorted((built_site / "examples").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        titles = [
            t.replace("&amp;", "&") for t in re.findall(r'<abbr tabindex="0" title="([^"]+)"', html)
        ]
        assert titles and set(titles) <= cards, f"{page.parent.name}: {titles[:3]}"
        assert len(titles) == len(set(titles)), f"{page.parent.name}: a term underlined twice"
        code = "".join(re.findall(r"<(?:pre|code)\b.*?</(?:pre|code)>", html, flags=re.S))
        assert "<abbr" not in code, f"{page.parent.name}: a card in code"


def test_a_notebooks_markdown_cells_get_each_terms_first_use(hook):
    html = (
        '<div class="jp-RenderedMarkdown"><p>A kernel runs on a GPU, and a kernel is small.</p>'
        "<pre>kernel</pre></div><div>kernel outside a Markdown cell</div>"
    )
    out = hook.mark_notebook(html, {"kernel": "kernel: a GPU program", "GPU": "GPU: a chip"})
    assert out.count('<abbr title="kernel: a GPU program">kernel</abbr>') == 1
    assert '<abbr title="GPU: a chip">GPU</abbr>' in out
    assert "<pre>kernel</pre>" in out and "<div>kernel outside" in out


def hook_cards(root) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("glossary_hook2", root / "docs/hooks/glossary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (root / "docs" / module.GLOSSARY).read_text(encoding="utf-8")
    return module.abbreviations(module.parse(text))


def test_every_page_but_the_glossary_has_a_hovercard(root, built_site):
    """Glossary cards were on concept, example and results pages only; a reader meets terms on
    the Measure, Contribute and Sources pages too (issue 25)."""
    from whygpu.review.pagecheck import nav_paths

    for src in sorted(nav_paths(root / "mkdocs.yml")):
        if src == "reference/glossary.md":
            continue
        page = src.removesuffix(".md").removesuffix("index").removesuffix(".py").strip("/")
        html = (built_site / page / "index.html").read_text() if page else ""
        html = html or (built_site / "index.html").read_text()
        assert '<abbr tabindex="0"' in html, f"{src}: no glossary card"
