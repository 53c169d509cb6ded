"""The rules every concept page keeps, as a function that lists what to fix.

A concept page teaches one idea to a reader who knows Python but not hardware, so it must have
something to run (a Python snippet pytest-codeblocks executes), images a screen reader can
describe, a "Run it yourself" box, numbers quoted from the results (never typed), and a place
in the navigation. `whygpu check-pages` and the tests call this; each problem names the file.

Code blocks are found by the parsers that run them: pytest-codeblocks says which snippets it
will execute, markdown-it-py where fenced code starts and ends.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from pathlib import Path

from whygpu.contract.names import DOCS_DIR, FACT_MARKER, FIGURES_DIR

IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SNIPPET = re.compile(r'^--8<--\s+"(?P<path>[^"]+)"', re.MULTILINE)
MIN_ALT = 15  # "figure" or "diagram" is not a description
#: A number typed with a unit of time or rate, or as a factor ("100x"): the numbers a page
#: states about hardware come from facts, computed from results files or cited sources.
TYPED = re.compile(
    r"(?<![\w.,/-])\d[\d,]*(?:\.\d+)?"
    r"(?:[ \u00a0](?:[GMKTP]?FLOP/s|[GMKT]B/s|GHz|MHz|µs|us|ms|ns|s|samples/s)|x|\u00d7)"
    r"(?![\w/]|\s*\d)"
)
#: A comparison typed as words or digits: "about a hundred times higher", "4 times faster".
COMPARED = re.compile(
    r"\b(?:\d[\d,.]*|a|one|two|three|ten|tens|a few|several|hundreds|a hundred|a thousand|"
    r"thousands|dozens)\s+(?:of\s+)?times\s+(?:higher|faster|slower|lower|above|below|more|less)\b",
    re.IGNORECASE,
)


def _prose(text: str) -> str:
    """The page without fenced code, so a '#' comment in a snippet is not taken as a heading."""
    from markdown_it import MarkdownIt

    lines = text.splitlines()
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "fence" and token.map:
            start, end = token.map
            lines[start:end] = [""] * (end - start)
    return "\n".join(lines)


def typed_numbers(text: str) -> list[str]:
    """Numbers with a unit, and comparisons, typed into a page's prose or alt text (code, fact
    markers, link targets and HTML comments aside), each with a little of its line."""
    prose = re.sub(r"<!--.*?-->", "", _prose(text), flags=re.DOTALL)
    prose = FACT_MARKER.sub("FACT", prose)
    prose = re.sub(r"`[^`\n]*`", "CODE", prose)
    prose = re.sub(r"\]\([^)\s]*\)", "]", prose)
    found = []
    for line in prose.splitlines():
        for m in [*TYPED.finditer(line), *COMPARED.finditer(line)]:
            found.append(f"'{m[0]}' in '...{line[max(0, m.start() - 30) : m.end() + 10]}...'")
    return found


def markdown_cells(source: str) -> str:
    """The Markdown cells of a jupytext percent-format example, as Markdown."""
    cells, keep = [], False
    for line in source.splitlines():
        if line.startswith("# %%"):
            keep = "[markdown]" in line
            continue
        if keep:
            cells.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
    return "\n".join(cells)


def python_snippets(text: str) -> int:
    """How many ```python blocks pytest-codeblocks will run (blocks marked skip do not count)."""
    from pytest_codeblocks import extract_from_buffer

    return sum(
        block.syntax == "python" and "pytest.mark.skip" not in block.marks
        for block in extract_from_buffer(io.StringIO(text))
    )


def nav_paths(mkdocs_yml: Path) -> set[str]:
    """Every page path in the navigation of mkdocs.yml."""
    import yaml

    config = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8"))
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config.get("nav", []))
    return found


def page_problems(
    path: Path, docs_dir: Path, nav: set[str], facts: dict[str, dict] | None = None
) -> list[str]:
    """Everything `path` (a concept page) lacks; an empty list when it keeps every rule."""
    rel = path.relative_to(docs_dir).as_posix()
    text = path.read_text(encoding="utf-8")
    prose = _prose(text)
    problems = []

    def problem(what: str) -> None:
        problems.append(f"docs/{rel}: {what}")

    if rel not in nav:
        problem(f"not in the navigation: add it under Concepts in mkdocs.yml's nav as {rel}")
    headings = [
        (len(m.group(1)), m.group(2))
        for m in re.finditer(r"^(#{1,6})\s+(.+)$", prose, re.MULTILINE)
    ]
    if sum(level == 1 for level, _ in headings) != 1:
        problem("needs exactly one '# ' title")
    for (before, _), (level, title) in itertools.pairwise(headings):
        if level > before + 1:
            problem(f"heading '{title}' skips from level {before} to {level}")
    if python_snippets(text) == 0:
        problem(
            "has no ```python snippet for pytest-codeblocks to run; add one that runs on "
            "a CPU in seconds"
        )
    if not re.search(r"^## Run it yourself\s*$", prose, re.MULTILINE):
        problem("has no '## Run it yourself' section")
    for m in IMAGE.finditer(prose):
        alt = FACT_MARKER.sub("0", m["alt"]).strip()
        if len(alt) < MIN_ALT:
            problem(f"image {m['src']} needs alt text that states what it shows")
        if m["src"].endswith(".svg#only-light"):
            dark = m["src"].replace(".svg#only-light", "-dark.svg#only-dark")
            if dark not in prose:
                problem(f"image {m['src']} has no dark variant ({dark})")
    for tag in HTML_IMG.findall(prose):
        if not re.search(rf'\balt="[^"]{{{MIN_ALT},}}"', tag):
            problem(f"{tag[:60]} needs alt text that states what it shows")
    for m in SNIPPET.finditer(prose):
        # pymdownx.snippets looks in docs/, then in the repository's root (mkdocs.yml)
        included = docs_dir / m["path"]
        if not included.exists():
            included = docs_dir.parent / m["path"]
        if not included.exists():
            problem(f"includes {m['path']}, which does not exist")
        elif included.suffix == ".svg":
            svg = included.read_text(encoding="utf-8")
            if 'role="img"' not in svg or not re.search(rf"<title[^>]*>[^<]{{{MIN_ALT},}}<", svg):
                problem(
                    f'diagram {m["path"]} needs role="img" and a <title> that states what it shows'
                )
            if re.search(r"^\s*$", svg.strip(), re.MULTILINE):
                problem(f"diagram {m['path']} has a blank line, which ends the HTML block")
    for typed in typed_numbers(text):
        problem(f"types a number a fact should give: {typed}")
    if facts is not None:
        for key in FACT_MARKER.findall(text):
            if key not in facts:
                problem(f"quotes unknown fact '{key}' (see {FIGURES_DIR}/facts.json)")
    return problems


def check_concepts(root: Path) -> list[str]:
    """Problems of every page in docs/concepts/, in file order."""
    docs = root / DOCS_DIR
    nav = nav_paths(root / "mkdocs.yml")
    facts_file = root / FIGURES_DIR / "facts.json"
    facts = json.loads(facts_file.read_text(encoding="utf-8")) if facts_file.exists() else None
    problems = []
    for page in sorted((docs / "concepts").glob("*.md")):
        problems += page_problems(page, docs, nav, facts)
    return problems
