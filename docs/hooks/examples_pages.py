"""MkDocs hook: publish `examples/*.py` as pages and `results/*/*.json` as raw files.

The examples live outside `docs/` because they are also the benchmarks and runnable scripts;
this hook adds them to the site's files before mkdocs-jupyter (a plugin, so it runs later at the
same event) turns each into a notebook page at `examples/<slug>/`. The results files are copied
as they are, so the results page can link every number to the file it came from.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from whygpu.contract import examples
from whygpu.contract.names import EXAMPLES_DIR, FIGURES_IN_DOCS, RESULTS_DIR

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_STYLE = re.compile(
    r'<style type="text/css">(?P<css>(?:(?!</style>).){100000,})</style>', re.S
)
_shared_css: dict[str, str] = {}  # site path -> CSS that every notebook page used to inline


def on_config(config):
    """Add every example missing from the nav's Examples section, titled by its TITLE.

    So a new example needs no edit to mkdocs.yml: the file alone puts its page on the site.
    """
    _shared_css.clear()  # `mkdocs serve` rebuilds in the same process
    listed = set()
    section = None
    for item in config["nav"] or []:
        if isinstance(item, dict) and "Examples" in item:
            section = item["Examples"]
    if section is None:
        return config
    for entry in section:
        listed.update(entry.values() if isinstance(entry, dict) else [entry])
    for path in examples.paths(ROOT / EXAMPLES_DIR):
        uri = f"{EXAMPLES_DIR.as_posix()}/{path.name}"
        if uri not in listed:
            section.append({examples.read(path).title: uri})
    return config


@event_priority(100)  # before mkdocs-jupyter's on_files, which wraps matching files as notebooks
def on_files(files: Files, config) -> Files:
    for path in examples.paths(ROOT / EXAMPLES_DIR):
        files.append(
            File(
                path.relative_to(ROOT).as_posix(),
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    for path in sorted((ROOT / RESULTS_DIR).glob("*/*.json")):
        files.append(
            File(
                path.relative_to(ROOT).as_posix(),
                src_dir=str(ROOT),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    return files


_FIGURES = re.escape(FIGURES_IN_DOCS)
FIGURE = re.compile(
    rf'<img [^>]*?src="(?P<base>[^"]*?{_FIGURES}/(?P<name>[\w-]+?))(?P<dark>-dark)?'
    r'\.svg#only-(?:light|dark)"[^>]*>'
)
PHONE_WIDTH = 600  # px: below this, figures with a stacked variant show it


def _phone_variants(html: str, config) -> str:
    """Wrap each figure that has a `-phone` variant in a <picture>, so a phone gets the stacked
    layout, legible at 390 px, and a desktop the wide one; light and dark alike."""
    figures = Path(config["docs_dir"]) / FIGURES_IN_DOCS

    def wrap(m: re.Match) -> str:
        phone = f"{m['name']}-phone{m['dark'] or ''}.svg"
        if not (figures / phone).exists():
            return m.group(0)
        source = f"{m['base'].rsplit('/', 1)[0]}/{phone}"
        return (
            f'<picture><source media="(max-width: {PHONE_WIDTH}px)" srcset="{source}">'
            f"{m.group(0)}</picture>"
        )

    return FIGURE.sub(wrap, html)


def on_page_content(html: str, page, config, files) -> str:
    """Lazy figures everywhere, with their phone layouts; on example pages, shared notebook CSS
    and the figure caption."""
    html = re.sub(r"<img (?![^>]*\bloading=)", '<img loading="lazy" ', html)
    html = _phone_variants(html, config)
    src = page.file.src_uri
    if src.startswith("examples/") and src.endswith(".py"):
        html = _share_notebook_css(html, page)
        html = _add_caption(html, page, config)
        html = _fold_code(html)
    return html


FOLD_TAG = "celltag_fold"  # `# %% tags=["fold"]` in an example: the runner code, not the idea


def _fold_code(html: str) -> str:
    """Fold the code of cells tagged `fold` under a one-line summary naming what they define;
    their output stays in view. The story and the workload stay open; the runner folds."""
    if FOLD_TAG not in html:
        return html
    from bs4 import BeautifulSoup

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


def _share_notebook_css(html: str, page) -> str:
    """Serve mkdocs-jupyter's large inline stylesheet (about 0.6 MB) as one cached file.

    Inlined, every example page carried it again; as a file, a reader downloads it once.
    """
    from mkdocs.utils import get_relative_url

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


def _add_caption(html: str, page, config) -> str:
    """Under an example page's figure, add the caption generated from its results and the CSV.

    Notebook pages cannot include snippets, so the caption (machine, versions, date, commit,
    model note) is added here, from the same generated file the concept pages include.
    """
    slug = Path(page.file.src_uri).stem
    figures = Path(config["docs_dir"]) / FIGURES_IN_DOCS
    caption = figures / f"{slug}.caption.md"
    marker = f"{slug}-dark.svg#only-dark"
    if not caption.exists() or marker not in html:
        return html
    import markdown

    body = markdown.markdown(caption.read_text(encoding="utf-8"), extensions=["pymdownx.details"])
    block = (
        f'<div class="figure-caption">{body}'
        f'<p>Data: <a href="../../{FIGURES_IN_DOCS}/{slug}.csv">{slug}.csv</a>.</p></div>'
    )
    end = html.find(">", html.find(marker)) + 1
    close = html.find("</p>", end)  # the paragraph holding the images
    at = close + len("</p>") if close != -1 and close - end < 200 else end
    return html[:at] + block + html[at:]
