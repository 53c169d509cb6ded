"""MkDocs hook: under an example page's figure, the caption generated from its results.

Notebook pages cannot include snippets, so the caption (machine, versions, date, commit, model
note) and the link to the figure's CSV are added here, from the same generated file the concept
pages include.
"""

from __future__ import annotations

from pathlib import Path

import markdown
from hook_common import figures_dir, is_example

from whygpu.contract.names import FIGURES_IN_DOCS


def on_page_content(html: str, page, config, files) -> str:
    if not is_example(page):
        return html
    slug = Path(page.file.src_uri).stem
    caption = figures_dir(config) / f"{slug}.caption.md"
    marker = f"{slug}-dark.svg#only-dark"
    if not caption.exists() or marker not in html:
        return html
    body = markdown.markdown(caption.read_text(encoding="utf-8"), extensions=["pymdownx.details"])
    block = (
        f'<div class="figure-caption">{body}'
        f'<p>Data: <a href="../../{FIGURES_IN_DOCS}/{slug}.csv">{slug}.csv</a>.</p></div>'
    )
    end = html.find(">", html.find(marker)) + 1
    close = html.find("</p>", end)  # the paragraph holding the images
    at = close + len("</p>") if close != -1 and close - end < 200 else end
    return html[:at] + block + html[at:]
