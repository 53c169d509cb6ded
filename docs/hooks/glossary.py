"""MkDocs hook: glossary terms become Material hovercards, underlined at their first use only.

The terms and their definitions live once, in reference/glossary.md (each `## ` heading, with
an optional `{#id}` and a `<!-- also: a, b -->` line of other forms). Python-Markdown's `abbr`
extension marks every use (its `glossary` option, fed here) and Material's `content.tooltips`
draws the hovercard. What is left to this hook: keep only a term's first use on a teaching
page (the rest would underline a paragraph eight times), never inside a heading, link or
figure, and make that use focusable, so a tap on a phone opens it as a hover does.
"""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY = "reference/glossary.md"
HEADING = re.compile(r"^## (?P<term>.+?)(?:\s*\{#(?P<id>[\w-]+)\})?\s*$")
ALSO = re.compile(r"^<!--\s*also:\s*(?P<forms>.+?)\s*-->\s*$")
NEVER_IN = (
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "button", "label",
    "table", "code", "pre",
)  # fmt: skip
#: A notebook page's Markdown cells: rendered by nbconvert, not by Python-Markdown's `abbr`.
NOTEBOOK_MARKDOWN = "jp-RenderedMarkdown"
#: A formula in a notebook's Markdown cell, as nbconvert leaves it: $$...$$ or $...$.
MATHS = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def parse(text: str) -> list[dict]:
    """Each term: id, the forms that name it, and the first sentence of its definition."""
    terms: list[dict] = []
    paragraph: list[str] = []

    def close() -> None:
        if terms and paragraph and not terms[-1]["definition"]:
            plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(paragraph))
            plain = re.sub(r"[*_`]", "", plain)
            terms[-1]["definition"] = re.split(r"(?<=\.)\s", plain, maxsplit=1)[0]
        paragraph.clear()

    for line in text.splitlines():
        head = HEADING.match(line)
        also = ALSO.match(line)
        if head:
            close()
            term = head["term"].strip()
            terms.append({"id": head["id"] or slug(term), "forms": [term], "definition": ""})
        elif also and terms:
            terms[-1]["forms"] += [f.strip() for f in also["forms"].split(",") if f.strip()]
        elif not line.strip() or line.startswith("#"):
            close()
        elif terms:
            paragraph.append(line.strip())
    close()
    return terms


def abbreviations(terms: list[dict]) -> dict[str, str]:
    """The `abbr` glossary: every form, and a lowercase form capitalised as at a sentence's
    start; the hovercard names the term, then defines it."""
    out: dict[str, str] = {}
    for term in terms:
        card = f"{term['forms'][0]}: {term['definition']}"
        for form in term["forms"]:
            out.setdefault(form, card)
            if form == form.lower():
                out.setdefault(form[0].upper() + form[1:], card)
    return out


_cards: dict[str, str] = {}  # every form -> its card, for the notebook pages


def on_config(config):
    path = Path(config["docs_dir"]) / GLOSSARY
    terms = parse(path.read_text(encoding="utf-8")) if path.exists() else []
    _cards.clear()
    _cards.update(abbreviations(terms))
    if "abbr" not in config["markdown_extensions"]:
        config["markdown_extensions"].append("abbr")
    config["mdx_configs"].setdefault("abbr", {})["glossary"] = abbreviations(terms)
    return config


def teaches(src_uri: str) -> bool:
    """Every page carries cards but the glossary itself, whose terms are the definitions. No
    table cell carries a card (NEVER_IN): a hovercard on every cell would be noise."""
    return src_uri != "reference/glossary.md"


def on_page_content(content: str, page, config, files) -> str:
    if page.file.src_uri.endswith(".py"):  # a notebook: its Markdown never met `abbr`
        content = mark_notebook(content, _cards)
    return first_uses(content, keep=teaches(page.file.src_uri))


def mark_notebook(content: str, cards: dict[str, str]) -> str:
    """Wrap each term's first use in a notebook page's Markdown cells in `<abbr>`, as the
    `abbr` extension does on Markdown pages, longest form first ("CUDA core" before "CUDA")."""
    if NOTEBOOK_MARKDOWN not in content or not cards:
        return content
    import re

    from bs4 import BeautifulSoup, NavigableString

    forms = sorted(cards, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, forms)) + r")\b")
    soup = BeautifulSoup(content, "html.parser")
    seen: set[str] = set()
    for cell in soup.find_all(class_=NOTEBOOK_MARKDOWN):
        for text in list(cell.find_all(string=True)):
            if text.find_parent(NEVER_IN) or text.find_parent("abbr"):
                continue
            # nbconvert leaves the cells' maths as $...$ text for KaTeX: a tag inside would
            # split a formula in two, so no card goes there
            maths = [m.span() for m in MATHS.finditer(str(text))]
            parts, last = [], 0
            for m in pattern.finditer(str(text)):
                card = cards[m[1]]
                if card in seen or any(start < m.start() < end for start, end in maths):
                    continue
                seen.add(card)
                parts += [NavigableString(str(text)[last : m.start()])]
                abbr = soup.new_tag("abbr", title=card)
                abbr.string = m[1]
                parts.append(abbr)
                last = m.end()
            if parts:
                parts.append(NavigableString(str(text)[last:]))
                text.replace_with(*parts)
    return str(soup)


def first_uses(content: str, keep: bool = True) -> str:
    """Unwrap every `<abbr>` but the first use of each term in running text; the kept ones get
    `tabindex="0"`, since Material opens a hovercard on focus and a tap focuses."""
    if "<abbr" not in content:
        return content
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content, "html.parser")
    seen: set[str] = set()
    for abbr in soup.find_all("abbr"):
        title = abbr.get("title", "")
        if not keep or title in seen or abbr.find_parent(NEVER_IN):
            abbr.unwrap()
            continue
        seen.add(title)
        abbr["tabindex"] = "0"
    return str(soup)
