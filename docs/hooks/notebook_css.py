"""MkDocs hook: serve mkdocs-jupyter's large inline stylesheet (about 0.6 MB) as one cached file.

Inlined, every example page carried it again; as a file, a reader downloads it once. The file is
named by a hash of its text, so a changed stylesheet is a new file and no cache serves a stale one.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from hook_common import is_example
from mkdocs.utils import get_relative_url

NOTEBOOK_STYLE = re.compile(
    r'<style type="text/css">(?P<css>(?:(?!</style>).){100000,})</style>', re.S
)
_shared_css: dict[str, str] = {}  # site path -> CSS that every notebook page used to inline


def on_config(config):
    _shared_css.clear()  # `mkdocs serve` rebuilds in the same process
    return config


def on_page_content(html: str, page, config, files) -> str:
    if not is_example(page):
        return html
    match = NOTEBOOK_STYLE.search(html)
    if not match:
        return html
    css = match.group("css")
    path = f"assets/stylesheets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:10]}.css"
    _shared_css[path] = css
    link = f'<link rel="stylesheet" href="{get_relative_url(path, page.url)}">'
    return html[: match.start()] + link + html[match.end() :]


def on_post_build(config) -> None:
    for path, css in _shared_css.items():
        out = Path(config["site_dir"]) / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(css, encoding="utf-8")
