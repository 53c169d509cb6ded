"""MkDocs hook: link the first use of every glossary term on a page to its definition.

Terms are the `## ` headings of reference/glossary.md (with an optional `{#id}`), plus the
forms listed in a `<!-- also: a, b -->` line under a heading. Linking happens on the rendered
HTML, in running text only (paragraphs, list items, table cells, admonitions): never inside a
heading, a link, code or a figure, and only on the concept pages and the home page. The
link's title is the definition's first sentence, so a reader can hover instead of leaving.
"""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY = "reference/glossary.md"
HEADING = re.compile(r"^## (?P<term>.+?)(?:\s*\{#(?P<id>[\w-]+)\})?\s*$")
ALSO = re.compile(r"^<!--\s*also:\s*(?P<forms>.+?)\s*-->\s*$")
SKIP = {
    "a",
    "code",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figure",
    "svg",
    "script",
    "style",
    "kbd",
    "button",
    "label",
    "nav",
    "header",
    "footer",
    "title",
}
TEXT = {"p", "li", "td", "dd"}


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def parse(text: str) -> list[dict]:
    """Each term: id, the forms that link to it, and the first sentence of its definition."""
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


_terms: list[dict] = []


def on_config(config):
    path = Path(config["docs_dir"]) / GLOSSARY
    _terms.clear()
    if path.exists():
        _terms.extend(parse(path.read_text(encoding="utf-8")))
    return config


def _pattern(form: str) -> re.Pattern:
    # An all-caps or mixed-case form (GPU, cuDNN) matches exactly; a lowercase one also
    # matches capitalised at the start of a sentence.
    if form == form.lower():
        first = re.escape(form[0])
        return re.compile(
            rf"(?<![\w-])(?:{first}|{re.escape(form[0].upper())})"
            rf"{re.escape(form[1:])}(?![\w-])"
        )
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")


def on_page_content(content: str, page, config, files) -> str:
    # concept pages and the home page teach; reference and results pages hold exact tables
    src = page.file.src_uri
    if not _terms or not (src.startswith("concepts/") or src == "index.md"):
        return content
    glossary = files.get_file_from_path(GLOSSARY)
    if glossary is None:
        return content
    return link_terms(content, _terms, glossary.url_relative_to(page.file))


def link_terms(content: str, terms: list[dict], href: str) -> str:
    """Link the first running-text use of each term in `content` (HTML) to `href#id`."""
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(content, "html.parser")
    # the running-text nodes, found once; a node a link splits is replaced by its two halves
    texts = [
        node
        for node in soup.find_all(string=True)
        if isinstance(node, NavigableString)
        and node.strip()
        and not SKIP & (names := {p.name for p in node.parents})
        and TEXT & names
    ]
    linked = False
    # longest forms first, so "CUDA core" is linked before "core" can claim its text
    for term in sorted(terms, key=lambda t: -max(len(f) for f in t["forms"])):
        patterns = [_pattern(f) for f in sorted(term["forms"], key=len, reverse=True)]
        for index, node in enumerate(texts):
            match = next((m for m in (p.search(str(node)) for p in patterns) if m), None)
            if not match:
                continue
            text = str(node)
            link = soup.new_tag(
                "a",
                href=f"{href}#{term['id']}",
                title=term["definition"],
                attrs={"class": "glossary-term"},
            )
            link.string = match.group(0)
            before, after = (
                NavigableString(text[: match.start()]),
                NavigableString(text[match.end() :]),
            )
            node.replace_with(before, link, after)
            texts[index : index + 1] = [before, after]
            linked = True
            break
    return str(soup) if linked else content
