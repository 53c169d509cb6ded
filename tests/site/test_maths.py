"""Maths: written as LaTeX ($...$, $$...$$), typeset by KaTeX served from the site itself.

Markdown pages go through pymdownx.arithmatex, which wraps each formula in `.arithmatex`; the
example pages are notebooks whose Markdown cells keep `$...$` as text. docs/javascripts/
katex-init.js typesets both. KaTeX is a copy in docs/assets/vendor/katex/ of the version
package.json pins (`npm run vendor:katex` makes it), so a build needs neither npm nor the
network, and a page asks no other host for anything.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from whygpu.contract import examples
from whygpu.review.pagecheck import markdown_cells

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "docs" / "assets" / "vendor" / "katex"
#: What the site serves of KaTeX, by the path it has in the npm package.
SERVED = {
    "katex.min.js": "dist/katex.min.js",
    "katex.min.css": "dist/katex.min.css",
    "auto-render.min.js": "dist/contrib/auto-render.min.js",
    "LICENSE": "LICENSE",
}
#: ASCII maths where LaTeX belongs: a power (`2 n^3`, `W^T`), a sum spelled out, a shape typed
#: as code (`n` x `n`, `n * n`).
MATHS_IN_CODE = re.compile(
    r"`[^`\n]*\w\^[\w{(][^`\n]*`"
    r"|`[^`\n]*\bsum over\b[^`\n]*`"
    r"|`[a-z]` [x×*] `[a-z]`"
    r"|`[a-z] [x×*] [a-z]`"
)
#: ...or an indented (code) line that is a formula.
FORMULA_AS_CODE = re.compile(r"^ {4,}\S.*(\w\^\w|\bsum over\b| ≈ )")
#: Pages another change is rewriting at the same time; each still types a shape as code.
REWRITTEN_ELSEWHERE: set[str] = set()  # pages another change rewrites: none now


def _pinned() -> str:
    return json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"][
        "katex"
    ]


def _vendored_version() -> str:
    found = re.search(r'version:"([^"]+)"', (VENDOR / "katex.min.js").read_text(encoding="utf-8"))
    assert found, "katex.min.js does not say its version"
    return found.group(1)


def test_the_served_katex_is_the_version_package_json_pins():
    pinned = _pinned()
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"pin KaTeX exactly, not '{pinned}'"
    assert _vendored_version() == pinned, "run `npm ci && npm run vendor:katex`"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/katex"]["version"] == pinned


def test_the_served_katex_is_its_script_stylesheet_licence_and_woff2_fonts_only():
    files = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    fonts = {f for f in files if f.startswith("fonts/")}
    assert files - fonts == set(SERVED)
    assert fonts and all(f.endswith(".woff2") for f in fonts), "woff2 only: no woff, no ttf"
    css = (VENDOR / "katex.min.css").read_text(encoding="utf-8")
    wanted = set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css))
    assert wanted == fonts, "every woff2 font the stylesheet names, and no other"
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")


def test_the_served_katex_is_byte_for_byte_the_npm_package():
    package = ROOT / "node_modules" / "katex"
    if not (package / "package.json").exists():
        pytest.skip("node_modules/katex is not installed (npm ci installs it)")
    installed = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == _pinned(), "node_modules is stale: run `npm ci`"
    for served, source in SERVED.items():
        assert (VENDOR / served).read_bytes() == (package / source).read_bytes(), (
            f"{served} differs from the package's {source}: run `npm run vendor:katex`"
        )
    for font in (VENDOR / "fonts").iterdir():
        assert font.read_bytes() == (package / "dist" / "fonts" / font.name).read_bytes(), font


def test_the_site_loads_katex_from_itself_and_no_mathjax():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    scripts = [s if isinstance(s, str) else s["path"] for s in config["extra_javascript"]]
    katex = [s for s in scripts if "katex" in s]
    assert katex == [
        "assets/vendor/katex/katex.min.js",
        "assets/vendor/katex/auto-render.min.js",
        "javascripts/katex-init.js",
    ], "KaTeX, then auto-render, then the script that uses both"
    assert "assets/vendor/katex/katex.min.css" in config["extra_css"]
    for path in [*katex, "assets/vendor/katex/katex.min.css"]:
        assert (ROOT / "docs" / path).is_file(), path
    extensions = {
        next(iter(e)) if isinstance(e, dict) else e: e for e in config["markdown_extensions"]
    }
    arithmatex = extensions["pymdownx.arithmatex"]["pymdownx.arithmatex"]
    assert arithmatex["generic"] is True
    # \( \) would also be maths, but the generated tables escape parentheses that way
    assert arithmatex["inline_syntax"] == ["dollar"]
    jupyter = next(p["mkdocs-jupyter"] for p in config["plugins"] if "mkdocs-jupyter" in p)
    assert jupyter["custom_mathjax_url"] == "", "mkdocs-jupyter would load MathJax from a CDN"


def _markdown_sources() -> dict[str, str]:
    """The Markdown of every example (its Markdown cells) and of every page in docs/."""
    found = {
        f"examples/{p.name}": markdown_cells(p.read_text(encoding="utf-8"))
        for p in examples.paths(ROOT / "examples")
    }
    for page in sorted((ROOT / "docs").rglob("*.md")):
        rel = page.relative_to(ROOT).as_posix()
        if "assets" not in page.parts and rel not in REWRITTEN_ELSEWHERE:
            found[rel] = page.read_text(encoding="utf-8")
    return found


def _ascii_maths(markdown: str) -> list[str]:
    fence = False
    found = []
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if fence:
            continue
        found += [m[0] for m in MATHS_IN_CODE.finditer(line)]
        if FORMULA_AS_CODE.match(line):
            found.append(line.strip())
    return found


def test_no_page_writes_maths_as_code():
    found = [
        f"{name}: {maths}"
        for name, markdown in _markdown_sources().items()
        for maths in _ascii_maths(markdown)
    ]
    assert len(_markdown_sources()) > 20
    assert found == [], "write maths as LaTeX, $2n^3$, not as code:\n" + "\n".join(found)


def test_the_maths_check_tells_maths_from_code():
    assert _ascii_maths("multiply-adds: `2 n^3` FLOPs") == ["`2 n^3`"]
    assert _ascii_maths("the product `y = x W^T` against") == ["`y = x W^T`"]
    assert _ascii_maths("two `n` x `n` matrices and `n * n` outputs") == [
        "`n` x `n`",
        "`n * n`",
    ]
    assert _ascii_maths("    y[i, j] = sum over c of  x[i, c] * W[j, c]") != []
    assert _ascii_maths("    time  ≈  fixed cost  +  bytes / bandwidth") != []
    code = "`torch.add(x, y, out=z)`, `x @ W.T + b`, $2n^3$ and $n \\times n$\n```\nn^3\n```"
    assert _ascii_maths(code) == []


def test_a_glossary_card_never_splits_a_notebook_formula(root):
    """A notebook's formula is $...$ text until KaTeX reads it: an <abbr> inside would cut it."""
    spec = importlib.util.spec_from_file_location("glossary_hook", root / "docs/hooks/glossary.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    cell = (
        '<div class="jp-RenderedMarkdown"><p>$$\\frac{\\text{bytes}}{\\text{bandwidth}}$$ '
        "and $\\text{bandwidth} \\times 2$, then bandwidth in words.</p></div>"
    )
    html = hook.mark_notebook(cell, {"bandwidth": "bandwidth: bytes per second."})
    assert html.count("<abbr") == 1
    assert "$$\\frac{\\text{bytes}}{\\text{bandwidth}}$$" in html
    assert "$\\text{bandwidth} \\times 2$" in html
    assert 'then <abbr title="bandwidth: bytes per second.">bandwidth</abbr> in words' in html


def test_the_prose_check_reads_past_a_notebooks_maths():
    from whygpu.review.prose import problems

    assert problems("<p>The product is:</p>\n<p>$$y = x W^\\top$$</p>") == []
    assert problems("<p>It has $n^2$ outputs. $n$ grows.</p>") == []
    assert problems("<p>It has $n^2$ outputs. the rest is slow.</p>") != []


# ---- the built site --------------------------------------------------------------------------

NOTEBOOK_MATHS = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)


def _formulas(html: str) -> int:
    """How many formulas the page has for KaTeX: arithmatex's, and the notebook cells' $...$."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    count = len(soup.select(".arithmatex"))
    for cell in soup.select(".jp-MarkdownCell .jp-RenderedMarkdown"):
        count += len(NOTEBOOK_MATHS.findall(cell.get_text()))
    return count


@pytest.fixture(scope="module")
def maths_pages(built_site) -> dict[str, int]:
    """Each built page with maths, by its address, with how many formulas it has."""
    found = {}
    for page in built_site.rglob("index.html"):
        count = _formulas(page.read_text(encoding="utf-8"))
        if count:
            rel = page.parent.relative_to(built_site).as_posix()
            found["/" if rel == "." else f"/{rel}/"] = count
    return found


def test_the_pages_that_teach_with_maths_have_it(maths_pages):
    for page in (
        "/examples/matmul/",
        "/examples/conv2d/",
        "/examples/transfer/",
        "/concepts/neural-networks/",
        "/concepts/latency-bandwidth/",
        "/reference/sources/",
    ):
        assert maths_pages.get(page, 0) > 0, f"{page} has no maths for KaTeX"
    assert maths_pages["/examples/matmul/"] >= 15


def test_notebooks_keep_their_maths_for_katex_and_load_no_mathjax(built_site):
    html = (built_site / "examples" / "matmul" / "index.html").read_text(encoding="utf-8")
    for maths in ("$2n^3$", "$3n^2$", "$n \\times n$", "$$y = x W^\\top + b$$"):
        assert maths in html, f"the matmul page lost {maths}"
    for page in built_site.rglob("*.html"):
        sources = re.findall(r'<script\b[^>]*\bsrc="([^"]*)"', page.read_text(encoding="utf-8"))
        assert not [s for s in sources if "mathjax" in s.lower()], page


#: The article's maths once KaTeX has run: each formula's TeX, what is left untypeset, errors.
TYPESET = r"""() => {
  const article = document.querySelector('article');
  const tex = [...article.querySelectorAll('.katex annotation[encoding="application/x-tex"]')]
    .map(a => a.textContent.trim());
  const left = [];
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const skip = '.katex, code, pre, script, style, .jp-CodeCell';  // a code cell: input, output
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip)) continue;
    if (/\$[^$\s][^$]*\$|\\\(|\\\[/.test(node.textContent)) left.push(node.textContent.trim());
  }
  return {
    katex: article.querySelectorAll('.katex').length,
    tex, left,
    errors: [...article.querySelectorAll('.katex-error')].map(e => e.textContent),
    inCode: article.querySelectorAll('.jp-CodeCell .katex, pre .katex, code .katex').length,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


def _typeset(browser, url: str, width: int = 1280) -> tuple[dict, set[str], list[str]]:
    """The page's maths after loading, the hosts it asked and what it logged as errors."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    hosts: set[str] = set()
    errors: list[str] = []
    fonts: list[str] = []
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.on("request", lambda r: fonts.append(r.url) if "/fonts/" in r.url else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url, wait_until="networkidle")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    state = page.evaluate(TYPESET)
    state["fonts"] = fonts
    page.close()
    return state, hosts, errors


def test_every_formula_is_typeset_by_katex_from_this_site(browser, site_url, maths_pages):
    local = urlsplit(site_url).netloc
    fonts = []
    for path, count in sorted(maths_pages.items()):
        state, hosts, errors = _typeset(browser, site_url + path)
        assert state["katex"] == count, f"{path}: {state['katex']} of {count} formulas typeset"
        assert state["errors"] == [], f"{path}: KaTeX could not read {state['errors']}"
        assert state["left"] == [], f"{path}: maths left as text: {state['left']}"
        assert state["inCode"] == 0, f"{path}: KaTeX typeset code or a run's output"
        assert errors == [], f"{path}: console errors {errors}"
        assert hosts <= {local}, f"{path}: requests to {sorted(hosts - {local})}"
        fonts += state["fonts"]  # none where every formula sits in a closed <details>
    assert fonts, "no page loaded a KaTeX font"
    assert all(f.endswith(".woff2") for f in fonts), "a font other than the woff2 ones loaded"


def test_the_matmul_page_typesets_its_flop_count_and_shapes(browser, site_url):
    state, _, _ = _typeset(browser, site_url + "/examples/matmul/")
    for tex in ("2n^3", "3n^2", "n \\times n", "y = x W^\\top + b", "n^3"):
        assert tex in state["tex"], f"{tex} is not typeset: {state['tex']}"
    assert any(t.startswith("y_{ij} = \\sum_{c}") for t in state["tex"]), state["tex"]


def test_a_wide_formula_scrolls_in_its_own_box_on_a_phone(browser, site_url):
    for path in ("/concepts/neural-networks/", "/examples/transfer/"):
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(site_url + path, wait_until="networkidle")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.evaluate(  # scroll-cue.js marks the boxes a task after Material announces the page
            "() => new Promise(done => window.document$.subscribe(() => setTimeout(done, 0)))"
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: a formula widens the page by {overflow} px"
        cues = page.locator("div.arithmatex.whygpu-scrolls, .katex-display.whygpu-scrolls")
        assert cues.count() >= 1, f"{path}: a formula wider than a phone has no scroll cue"
        page.close()


def test_the_script_typesets_a_page_without_material_too(browser, site_url):
    """Without Material's document$ (another theme, or none), katex-init.js runs on load."""
    bare = (
        "<!doctype html><html><head>"
        '<link rel="stylesheet" href="assets/vendor/katex/katex.min.css"></head><body>'
        '<article><p>It does <span class="arithmatex">\\(2n^3\\)</span> FLOPs.</p>'
        '<div class="arithmatex">\\[y = x W^\\top + b\\]</div></article>'
        '<script src="assets/vendor/katex/katex.min.js"></script>'
        '<script src="assets/vendor/katex/auto-render.min.js"></script>'
        '<script src="javascripts/katex-init.js"></script></body></html>'
    )
    page = browser.new_page()
    # a page of the site's own address that the server does not have: the browser serves it
    page.route(
        f"{site_url}/bare.html", lambda route: route.fulfill(body=bare, content_type="text/html")
    )
    page.goto(f"{site_url}/bare.html", wait_until="networkidle")
    assert page.evaluate("typeof window.document$") == "undefined"
    state = page.evaluate(TYPESET)
    assert state["tex"] == ["2n^3", "y = x W^\\top + b"]
    assert page.locator("div.arithmatex .katex-display").count() == 1
    page.close()
