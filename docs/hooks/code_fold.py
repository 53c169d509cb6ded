"""MkDocs hook: on example pages, code folds under a one-line summary.

An example is a page and a benchmark at once, read in order: intro, figure, finding, reading
the figure, then the code and its output. A code cell folds under "Show the code: <what it
defines>" where it is tagged `# %% tags=["fold"]` (the code that only drives the benchmark) or
runs past LONG_CELL lines, so no screenful of code stands between two paragraphs. Its output
stays in view, and a short cell (one output computed on its own) stays open.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from hook_common import is_example

FOLD_TAG = "celltag_fold"  # the class mkdocs-jupyter gives a cell tagged `fold`
LONG_CELL = 15  # lines: a longer code cell folds, tagged or not


def on_page_content(html: str, page, config, files) -> str:
    if not is_example(page):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for cell in soup.select("div.jp-CodeCell[id]"):  # mkdocs-jupyter nests a twin without id
        code = cell.select_one("div.jp-Cell-inputWrapper")
        if code is None or code.find_parent("details") is not None:
            continue
        lines = code.get_text().strip().count("\n") + 1
        if FOLD_TAG not in cell.get("class", []) and lines <= LONG_CELL:
            continue
        names = dict.fromkeys(re.findall(r"^(?:def|class) (\w+)", code.get_text(), re.M))
        summary = soup.new_tag("summary")
        summary.string = "Show the code" + (f": {', '.join(names)}" if names else "")
        fold = soup.new_tag("details", attrs={"class": "code-fold"})
        code.wrap(fold)
        fold.insert(0, summary)
    return str(soup)
