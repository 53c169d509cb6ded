"""MkDocs hook: replace `{{ fact:KEY }}` in a page with the number computed from the results.

The concept pages quote measured numbers this way, never typed by hand; the facts are written
by `nox -s figures` to facts.json beside the figures. An unknown key fails the build with the
page, the key, why it is unknown and what to do (whygpu.report.fact_keys: not measured yet,
facts older than the results, or misspelt), so a renamed or vanished result cannot leave a stale
number behind.
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError

from whygpu.contract.names import FACT_MARKER, FIGURES_IN_DOCS
from whygpu.report.fact_keys import why_unknown

_facts: dict[str, dict] = {}
_root: list[Path] = [Path.cwd()]  # the checkout: where the examples and results are


def on_config(config):
    path = Path(config["docs_dir"]) / FIGURES_IN_DOCS / "facts.json"
    if not path.exists():
        raise PluginError(f"{path} is missing: run `nox -s figures` to compute the facts")
    _facts.clear()
    _facts.update(json.loads(path.read_text(encoding="utf-8")))
    _root[:] = [Path(config["config_file_path"]).parent]
    return config


#: What ends a sentence before a fact: the fact then starts one, and starts with a capital.
SENTENCE_END = re.compile(r"(?:^|[.!?]|\n\s*\n|<(?:p|li)>)\s*$")


def _replace(text: str, page, escape) -> str:
    def one(match: re.Match) -> str:
        key = match.group(1)
        if key not in _facts:
            why = why_unknown(key, _facts, _root[0])
            raise PluginError(f"{page.file.src_uri}: unknown fact '{key}': {why}")
        said = _facts[key]["text"]
        if said and SENTENCE_END.search(text[max(0, match.start() - 8) : match.start()]):
            said = said[0].upper() + said[1:]  # "the dashed model of ..." starting a sentence
        return escape(said)

    return FACT_MARKER.sub(one, text)


def on_page_markdown(markdown: str, page, config, files) -> str:
    return _replace(markdown, page, lambda text: text)


def on_page_content(html: str, page, config, files) -> str:
    """Example pages are notebooks, rendered to HTML without passing through Markdown: their
    facts are replaced in the HTML (escaped, though every fact is plain text). Markdown pages
    were filled already, and may show the marker itself in code (the Contribute page does)."""
    if not page.file.src_uri.endswith(".py"):
        return html
    return _replace(html, page, _as_html)


def _as_html(text: str) -> str:
    """A fact as the notebook's HTML shows it: escaped, its `code` spans as <code>, as the
    Markdown pages render them (a fact may name code: "`a @ b` allocates its output")."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text, quote=False))
