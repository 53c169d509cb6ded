"""Example pages read in order: intro, figure, its finding, reading the figure, and only then the
code (long cells folded) and its output. A screenful of workload code between the figure and its
reading buried the reading (issue 25)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from whygpu.contract import examples

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = list(examples.paths(ROOT / "examples"))
FIGURE = re.compile(r"^# !\[.*assets/figures/")
TEMPLATE = ROOT / "src" / "whygpu" / "review" / "templates" / "example.py.txt"


def _cells(text: str) -> list[tuple[str, list[str]]]:
    """(kind, lines) per jupytext cell: "markdown" or "code"."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            cells.append(("markdown" if "[markdown]" in line else "code", []))
        elif cells:
            cells[-1][1].append(line)
    return cells


def order_problems(text: str) -> list[str]:
    """What breaks the reading order in one example's source, in words."""
    cells = _cells(text)
    figure = next((i for i, (_, c) in enumerate(cells) if any(FIGURE.match(x) for x in c)), None)
    reading = next((i for i, (_, c) in enumerate(cells) if "# ## Reading the figure" in c), None)
    code = next((i for i, (kind, _) in enumerate(cells) if kind == "code"), None)
    if figure is None:
        return ["no figure"]
    if reading is None:
        return ["no '## Reading the figure' section"]
    found = []
    if reading != figure + 1:
        found.append("'Reading the figure' does not follow the figure's cell")
    if code is not None and code < reading:
        found.append("code comes before 'Reading the figure'")
    return found


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_an_example_reads_figure_then_its_reading_then_code(path):
    assert order_problems(path.read_text()) == [], path.name


def test_the_scaffold_writes_an_example_in_reading_order():
    text = TEMPLATE.read_text().replace("{slug}", "relu").replace("{title}", "ReLU")
    assert order_problems(text) == []


def test_the_check_sees_code_before_the_reading():
    text = (
        "# %% [markdown]\n# ![a](../../assets/figures/x.svg#only-light)\n"
        "# %%\nimport torch\n# %% [markdown]\n# ## Reading the figure\n"
    )
    assert order_problems(text) == [
        "'Reading the figure' does not follow the figure's cell",
        "code comes before 'Reading the figure'",
    ]


def test_built_example_pages_fold_long_code_after_the_reading(built_site):
    import sys

    sys.path.insert(0, str(ROOT / "docs" / "hooks"))  # the hook's folder, as MkDocs has it
    from code_fold import LONG_CELL

    for path in EXAMPLES:
        soup = BeautifulSoup(
            (built_site / "examples" / path.stem / "index.html").read_text(), "html.parser"
        )
        article = soup.select_one("article")
        seen: list[str] = []
        for node in article.find_all(["img", "h2", "div"]):
            classes = node.get("class") or []
            if node.name == "img" and "figures/" in (node.get("src") or ""):
                seen.append("figure")
            elif node.name == "h2" and node.get_text(strip=True).startswith("Reading the figure"):
                seen.append("reading")
            elif node.name == "div" and "jp-CodeCell" in classes and node.get("id"):
                seen.append("code")
                code = node.select_one("div.jp-Cell-inputWrapper")
                lines = code.get_text().strip().count("\n") + 1 if code else 0
                if lines > LONG_CELL:
                    assert code.find_parent("details") is not None, (
                        f"{path.stem}: a {lines}-line code cell is not folded"
                    )
        assert "figure" in seen and "reading" in seen, (path.stem, seen[:5])
        assert seen.index("figure") < seen.index("reading"), path.stem
        if "code" in seen:
            assert seen.index("reading") < seen.index("code"), f"{path.stem}: code before reading"
