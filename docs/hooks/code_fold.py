"""MkDocs hook: on example pages, the runner code folds under a one-line summary.

An example is a page and a benchmark at once; the code that only drives the benchmark is tagged
`# %% tags=["fold"]` in the example, and its cell folds under "Show the code: <what it
defines>". Its output stays in view, and the story and the workload stay open.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from hook_common import is_example

FOLD_TAG = "celltag_fold"  # the class mkdocs-jupyter gives a cell tagged `fold`


def on_page_content(html: str, page, config, files) -> str:
    if not is_example(page) or FOLD_TAG not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for cell in soup.select(f"div.{FOLD_TAG}[id]"):  # mkdocs-jupyter nests a twin without id
        code = cell.select_one("div.jp-Cell-inputWrapper")
        if code is None:
            continue
        names = dict.fromkeys(re.findall(r"^(?:def|class) (\w+)", code.get_text(), re.M))
        summary = soup.new_tag("summary")
        summary.string = "Show the code" + (f": {', '.join(names)}" if names else "")
        fold = soup.new_tag("details", attrs={"class": "code-fold"})
        code.wrap(fold)
        fold.insert(0, summary)
    return str(soup)
