"""Two slips a reader trips on, found in a built page's HTML: a paragraph that ends on a colon with
nothing after it to introduce, and a sentence that starts in lower case (a fact or a variant
name pasted where a sentence begins).

Read from the built HTML, not the sources, because facts, snippets and notebook cells are only
put together there. Code, maths and preformatted output are left out.
"""

from __future__ import annotations

import re
from html import unescape

PARAGRAPH = re.compile(r"<p>(?P<body>.*?)</p>\s*(?P<next>.{0,300})", re.S)
#: What a colon may introduce: a list, code, a table, maths, a figure, a folded block, a diagram.
#: A notebook's displayed formula is $$...$$ text in a paragraph of its own (KaTeX sets it).
INTRODUCES = re.compile(
    r"<(ul|ol|pre|table|figure|picture|details|img|svg|blockquote|dl)\b"
    r"|<div[^>]*class=\"[^\"]*(highlight|arithmatex|admonition|figure|diagram|jp-|table|md-typeset__)"
    r"|\$\$"
)
#: A full stop that does not end a sentence: "e.g.", "i.e.", "vs.", an abbreviation of one letter.
NOT_AN_END = re.compile(r"(\be\.g|\bi\.e|\bvs|\betc|\bcf|\b[A-Za-z])\.$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[a-z])")


def _text(html: str) -> str:
    """The paragraph's words: tags, code and maths (arithmatex's, or a notebook's $...$) taken
    out."""
    html = re.sub(
        r"<code\b.*?</code>|<span class=\"arithmatex\".*?</span>|\$\$.+?\$\$|\$[^$]+\$",
        " CODE ",
        html,
        flags=re.S,
    )
    return unescape(re.sub(r"<[^>]+>", "", html))


def problems(html: str) -> list[str]:
    """Each slip on one page, with the words around it."""
    found = []
    for m in PARAGRAPH.finditer(html):
        text = _text(m["body"]).strip()
        following = re.sub(r"^<p>\s*(<a\b[^>]*>\s*)?", "", m["next"])  # an image in a paragraph
        if text.endswith(":") and not INTRODUCES.match(following):
            found.append(f"a paragraph ends on a colon with nothing after it: '...{text[-70:]}'")
        for start in SENTENCE.finditer(text):
            before = text[: start.start()]
            if NOT_AN_END.search(before):
                continue
            near = text[max(0, start.start() - 40) : start.end() + 30]
            found.append(f"a sentence starts in lower case: '...{near}...'")
    return found
