"""No concept page asks a reader to read more than `MAX_WORDS` words before it is done.

What counts is what a reader reads through on the built page: the words of the page's
`<article>`, as the browser shows them, with facts filled in and included snippets (figure
captions, generated tables) in place. Left out are the things a reader opens or looks up rather
than reads through:

- folded blocks (`<details>`: `??? note`, `??? question`, `??? example`), closed until asked for;
- code blocks (`<pre>`, and the highlight wrapper around them): every concept page must show a
  runnable snippet, and code is run, not read as prose;
- drawn pictures (inline `<svg>` diagrams, whose labels are part of the drawing), scripts and
  styles;
- the permalink marks beside headings and the page's edit buttons.

Tables in view count: a table a reader only looks things up in belongs in a folded block. A word
is a run of characters between spaces that holds at least one letter or digit, so a lone dash or
bracket is not one. The limit keeps the long pages long on evidence, not on reading: reference
material (experiment logs, derivations, full field lists) folds, and the argument stays in view.
"""

from __future__ import annotations

import re

import pytest

MAX_WORDS = 2500
#: What a reader does not read through; see the module's docstring.
NOT_READ = "details, pre, div.highlight, svg, script, style, a.headerlink, a.md-content__button"
WORD = re.compile(r"\w")


def counted_words(html: str) -> int:
    """The words a reader reads through in a built page's article, by the rule above."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    assert article is not None, "no <article> in the page"
    for element in article.select(NOT_READ):
        element.decompose()
    return sum(1 for token in article.get_text(" ").split() if WORD.search(token))


def test_the_rule_counts_prose_and_tables_but_not_folds_code_or_drawings():
    html = """<html><body><article class="md-content__inner md-typeset">
    <h1 id="t">A title<a class="headerlink" href="#t">¶</a></h1>
    <p>Four words of <code>prose</code> — here.</p>
    <table><tr><th>one</th><td>2</td></tr></table>
    <details class="note"><summary>Folded</summary><p>many hidden words here</p></details>
    <div class="highlight"><pre><code>print("not counted")</code></pre></div>
    <svg><text>label</text></svg>
    </article><p>outside the article</p></body></html>"""
    # "A title" 2, "Four words of prose here." 5, the table 2: the dash and the ¶ are no words
    assert counted_words(html) == 9


@pytest.fixture(scope="module")
def concept_pages(built_site):
    pages = sorted((built_site / "concepts").glob("*/index.html"))
    assert len(pages) >= 10, "the explainer has ten concept pages"
    return pages


def test_every_concept_page_reads_in_at_most_the_limit(concept_pages):
    counts = {p.parent.name: counted_words(p.read_text(encoding="utf-8")) for p in concept_pages}
    too_long = {page: words for page, words in counts.items() if words > MAX_WORDS}
    assert not too_long, (
        f"concept pages over {MAX_WORDS} counted words (fold reference material into "
        f"`??? note` blocks or tighten the prose): "
        + ", ".join(f"docs/concepts/{page}.md has {words}" for page, words in too_long.items())
    )
