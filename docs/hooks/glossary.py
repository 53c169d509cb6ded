"""MkDocs hook: link the first use of every glossary term on a page to its definition.

Terms are the `## ` headings of reference/glossary.md (with an optional `{#id}`), plus the
forms listed in a `<!-- also: a, b -->` line under a heading. Linking happens on the rendered
HTML, in running text only (paragraphs, list items, table cells, admonitions): never inside a
heading, a link, code, a figure or the glossary itself. The link's title is the definition's
first sentence, so a reader can hover instead of leaving the page.
"""

from __future__ import annotations

import re
from pathlib import Path

GLOSSARY = "reference/glossary.md"
HEADING = re.compile(r"^## (?P<term>.+?)(?:\s*\{#(?P<id>[\w-]+)\})?\s*$")
ALSO = re.compile(r"^<!--\s*also:\s*(?P<forms>.+?)\s*-->\s*$")
SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "svg", "script",
        "style", "kbd", "button", "label", "nav", "header", "footer", "title"}
TEXT = {"p", "li", "td", "dd"}


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def parse(text: str) -> list[dict]:
    """Each term: id, the forms that link to it (longest first), and its first sentence."""
    terms: list[dict] = []
    for line in text.splitlines():
        head = HEADING.match(line)
        if head:
            term = head["term"].strip()
            terms.append({"id": head["id"] or slug(term), "forms": [term], "definition": ""})
            continue
        if not terms:
            continue
        also = ALSO.match(line)
        if also:
            terms[-1]["forms"] += [f.strip() for f in also["forms"].split(",") if f.strip()]
        elif line.strip() and not terms[-1]["definition"] and not line.startswith("<!--"):
            plain = re.sub(r"[*_`]|\[([^\]]*)\]\([^)]*\)", r"\1", line.strip())
            terms[-1]["definition"] = re.split(r"(?<=\.)\s", plain, maxsplit=1)[0]
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
        return re.compile(rf"(?<![\w-])(?:{first}|{re.escape(form[0].upper())})"
                          rf"{re.escape(form[1:])}(?![\w-])")
    return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")


def on_page_content(content: str, page, config, files) -> str:
    if not _terms or page.file.src_uri == GLOSSARY or not page.file.src_uri.endswith(".md"):
        return content
    from bs4 import BeautifulSoup, NavigableString

    soup = BeautifulSoup(content, "html.parser")
    href = page.file.url_relative_to_file(files.get_file_from_path(GLOSSARY).url) \
        if files.get_file_from_path(GLOSSARY) else None
    if href is None:
        return content
    linked = 0
    for term in _terms:
        patterns = [_pattern(f) for f in sorted(term["forms"], key=len, reverse=True)]
        done = False
        for node in soup.find_all(string=True):
            if done:
                break
            if not isinstance(node, NavigableString) or not node.strip():
                continue
            parents = [p.name for p in node.parents]
            if SKIP.intersection(parents) or not TEXT.intersection(parents):
                continue
            if any("glossary-term" in (p.get("class") or []) for p in node.parents
                   if hasattr(p, "get")):
                continue
            for pattern in patterns:
                match = pattern.search(str(node))
                if not match:
                    continue
                text = str(node)
                link = soup.new_tag(
                    "a", href=f"{href}#{term['id']}", title=term["definition"],
                    attrs={"class": "glossary-term"},
                )
                link.string = match.group(0)
                node.replace_with(NavigableString(text[: match.start()]), link,
                                  NavigableString(text[match.end():]))
                linked += 1
                done = True
                break
    return str(soup) if linked else content
