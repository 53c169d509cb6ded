"""The built site in a real browser (Debian's chromium, driven by Playwright), page by page.

Every page of the navigation is loaded at desktop and phone width, in light mode and after
switching to dark mode. Each load must: answer 200, log no console error, decode every image,
request nothing from another host, fit 390 px without sideways scrolling, keep its headings in
order and transfer under the page-weight budget (gzip-compressed, as GitHub Pages serves
it). With WHYGPU_SCREENSHOTS set to a folder (CI sets it), a screenshot of every view is written
there for a person to look at; a weights.json listing what each page transferred is written
there or to <tmp>/whygpu-screenshots.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import ARTIFACTS, BUDGETS, SCREENSHOTS
from whygpu.contract import examples
from whygpu.review.pagecheck import nav_paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
MAX_PAGE_BYTES = 1_500_000  # 1.5 MB per page, everything it loads included
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = ARTIFACTS


def _url(path: str) -> str:
    if path == "index.md":
        return "/"
    return "/" + path.rsplit(".", 1)[0].removesuffix("/index") + "/"


# the nav, plus examples the site hook adds to it by themselves (a contributor's new page)
EXAMPLE_PAGES = {f"examples/{p.name}" for p in examples.paths(ROOT / "examples")}
PAGES = sorted({_url(p) for p in nav_paths(ROOT / "mkdocs.yml") | EXAMPLE_PAGES})
# pages whose generated figure must be shown in the colour scheme's variant
FIGURE = {"/": "crossover", "/concepts/convolution/": "conv2d", "/results/": "roofline"} | {
    f"/examples/{p.stem}/": p.stem for p in examples.paths(ROOT / "examples")
}

PAGE_STATE = r"""() => {
  const imgs = [...document.querySelectorAll('article img')].map(e => ({
    src: e.getAttribute('src'), w: e.naturalWidth, alt: e.alt,
    shown: e.offsetParent !== null && getComputedStyle(e).display !== 'none'}));
  const named = e => e.getAttribute('aria-label') || (e.getAttribute('aria-labelledby') || '')
    .split(/\s+/).map(id => (document.getElementById(id) || {}).textContent || '').join(' ');
  const svgs = [...document.querySelectorAll('article svg[role="img"]')]
    .map(e => ({label: named(e)}));
  const headings = [...document.querySelectorAll('article h1, article h2, article h3, ' +
    'article h4, article h5, article h6')].map(h => [Number(h.tagName[1]), h.textContent.trim()]);
  const resources = performance.getEntriesByType('resource');
  const nav = performance.getEntriesByType('navigation')[0];
  const bytes = resources.reduce((s, r) => s + (r.encodedBodySize || 0), 0) +
    (nav ? nav.encodedBodySize : 0);
  const unpacked = resources.reduce((s, r) => s + (r.decodedBodySize || 0), 0) +
    (nav ? nav.decodedBodySize : 0);
  return {imgs, svgs, headings, bytes, unpacked,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          scheme: document.body.getAttribute('data-md-color-scheme')};
}"""


@pytest.fixture(scope="module")
def weights():
    SHOTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, dict[str, int]] = {}
    yield found
    (SHOTS / "weights.json").write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    if found:
        heaviest = max(found, key=lambda p: found[p]["transferred"])
        BUDGETS[f"heaviest page, bytes transferred ({heaviest})"] = found[heaviest]["transferred"]
        BUDGETS[f"heaviest page, bytes unpacked ({heaviest})"] = found[heaviest]["unpacked"]


def _screenshot(page, path: str, scheme: str, width: str) -> None:
    """The whole page as a PNG in SCREENSHOTS, where one is asked for."""
    if SCREENSHOTS is not None:
        name = path.strip("/").replace("/", "_") or "home"
        page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}-{width}.png", full_page=True)


def _check(path: str, state: dict, scheme: str, where: str) -> None:
    for img in state["imgs"]:
        # hidden images are the other colour scheme's variants: lazy, so never downloaded
        assert img["w"] > 0 or not img["shown"], f"{path} ({where}): {img['src']} did not decode"
        assert img["alt"].strip(), f"{path} ({where}): image {img['src']} has no alt text"
    for svg in state["svgs"]:
        assert svg["label"].strip(), f"{path} ({where}): an inline SVG has no accessible name"
    levels = [level for level, _ in state["headings"]]
    assert levels and levels[0] == 1, f"{path}: the page does not start with one h1"
    for (before, _), (level, title) in itertools.pairwise(state["headings"]):
        assert level <= before + 1, f"{path}: heading '{title}' skips from h{before} to h{level}"
    assert state["overflow"] <= 1, f"{path} ({where}): {state['overflow']} px of sideways scroll"
    assert state["bytes"] <= MAX_PAGE_BYTES, (
        f"{path}: transfers {state['bytes']:,} bytes, over the {MAX_PAGE_BYTES:,} budget"
    )
    if path in FIGURE:
        shown = [i["src"] for i in state["imgs"] if i["shown"] and "figures/" in i["src"]]
        assert any(f"figures/{FIGURE[path]}" in s for s in shown), f"{path}: figure not shown"
        assert all(("-dark" in s) == (scheme == "dark") for s in shown), (
            f"{path} ({where}): wrong figure variant for {scheme}: {shown}"
        )


LOAD_SHOWN_IMAGES = """async () => {
  const shown = [...document.querySelectorAll('article img')].filter(i => i.offsetParent !== null);
  const wait = ms => new Promise(done => setTimeout(done, ms));
  for (const img of shown) {
    img.scrollIntoView();
    await Promise.race([img.decode().catch(() => null), wait(5000)]);
  }
  window.scrollTo(0, 0);
}"""


def _load_images(page) -> None:
    """Scroll every shown (lazy) image into view and wait until it has decoded."""
    page.evaluate(LOAD_SHOWN_IMAGES)
    page.wait_for_load_state("networkidle")


def _open(browser, site_url, path, viewport, errors, hosts, **options):
    page = browser.new_page(viewport=viewport, **options)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: hosts.add(urlsplit(req.url).netloc))
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    _load_images(page)
    return page


def _to_dark(page) -> None:
    """Switch with the palette toggle, as a reader would (not by emulating the OS setting)."""
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    _load_images(page)


@pytest.mark.parametrize("path", PAGES)
def test_page_in_light_and_dark_on_desktop_and_phone(browser, site_url, weights, path):
    errors: list[str] = []
    hosts: set[str] = set()
    for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = _open(browser, site_url, path, viewport, errors, hosts, color_scheme="light")
        state = page.evaluate(PAGE_STATE)
        assert state["scheme"] == "default", f"{path}: did not open in light mode"
        _check(path, state, "light", f"light, {width}")
        old = weights.get(path, {"transferred": 0, "unpacked": 0})
        weights[path] = {
            "transferred": max(old["transferred"], state["bytes"]),
            "unpacked": max(old["unpacked"], state["unpacked"]),
        }
        _screenshot(page, path, "light", width)
        _to_dark(page)
        state = page.evaluate(PAGE_STATE)
        _check(path, state, "dark", f"dark, {width}")
        _screenshot(page, path, "dark", width)
        page.close()
    assert not errors, f"{path}: console errors: {errors}"
    local = urlsplit(site_url).netloc
    assert hosts <= {local}, f"{path}: requests to other hosts: {sorted(hosts - {local})}"


def test_every_built_page_is_checked(built_site):
    built = {
        "/" + p.parent.relative_to(built_site).as_posix() + "/"
        for p in built_site.rglob("index.html")
    }
    built = {"/" if b == "/./" else b for b in built}
    assert built - set(PAGES) == set(), "pages built but not in the navigation or this test"


def test_search_for_cudnn_lists_the_cuda_stack_page(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/", wait_until="networkidle")
    page.locator("input.md-search__input").click()
    page.keyboard.type("cuDNN", delay=50)  # key by key, as a reader types
    hit = page.locator('.md-search-result__link[href*="concepts/cuda-stack/"]')
    hit.first.wait_for(timeout=15_000)
    assert "CUDA stack" in hit.first.inner_text()
    page.close()


ANIMATION = "/concepts/convolution/"
TICK_MS = 450  # at most the animation's tick (conv-anim.js): each run_for fires one or more


def _animation_page(browser, site_url, **options):
    """The convolution page on a clock the test moves: the animation's timer fires when the
    test runs the clock forward, never by waiting."""
    page = browser.new_page(viewport=DESKTOP, **options)
    page.clock.install()
    page.goto(site_url + ANIMATION, wait_until="networkidle")
    expect(page.locator("figure.conv-anim")).to_have_attribute("data-ready", "true")
    return page


def test_convolution_animation_advances(browser, site_url):
    page = _animation_page(browser, site_url)
    figure = page.locator("figure.conv-anim")
    expect(figure).to_have_attribute("data-playing", "true")
    frames = set()
    for _ in range(6):
        frames.add(figure.get_attribute("data-frame"))
        page.clock.run_for(TICK_MS)  # the page's timers fire as if one tick had passed
    assert len(frames) >= 3, f"the animation did not advance: frames {frames}"
    cells = page.locator("figure.conv-anim svg rect.d-fill-3").count()
    assert cells > 0, "no output cell is shown as computed"
    # one clock: stepping from the start, the right panel computes all 16 outputs in the same
    # tick in which the left computes its first, highlighted with its window
    page.locator("figure.conv-anim .conv-anim-controls button").first.click()  # pause
    while figure.get_attribute("data-frame") != "0":
        page.get_by_role("button", name="Step").click()
    page.get_by_role("button", name="Step").click()
    expect(figure).to_have_attribute("data-left-computing", "0")
    expect(figure).to_have_attribute("data-right-computing", "16")
    expect(page.locator("figure.conv-anim svg rect.conv-anim-current")).to_have_count(1 + 16)
    expect(page.locator("figure.conv-anim svg rect.conv-anim-window")).to_have_count(1 + 16)
    page.get_by_role("button", name="Step").click()
    expect(figure).to_have_attribute("data-left-computing", "1")
    expect(figure).to_have_attribute("data-right-computing", "0")
    expect(page.locator("figure.conv-anim svg")).to_contain_text("step 2 of 16")
    page.get_by_role("button", name="Play").click()
    # the button's label says what a press does; aria-pressed would contradict it
    button = page.locator("figure.conv-anim .conv-anim-controls button").first
    expect(button).to_have_text("Pause")
    assert button.get_attribute("aria-pressed") is None
    button.click()
    expect(figure).to_have_attribute("data-playing", "false")
    expect(button).to_have_text("Play")
    assert button.get_attribute("aria-pressed") is None
    page.close()


def test_convolution_animation_honours_reduced_motion(browser, site_url):
    page = _animation_page(browser, site_url, reduced_motion="reduce")
    figure = page.locator("figure.conv-anim")
    expect(figure).to_have_attribute("data-reduced-motion", "true")
    expect(figure).to_have_attribute("data-playing", "false")
    still = figure.get_attribute("data-frame")
    page.clock.run_for(10 * TICK_MS)  # ten ticks' worth of the page's timers fire
    assert figure.get_attribute("data-frame") == still, "it moved although motion is reduced"
    page.get_by_role("button", name="Step").click()
    expect(figure).to_have_attribute("data-frame", str(int(still) + 1))
    page.close()


# A number in a unit that depends on the machine it was measured on.
MACHINE_NUMBER = r"\d[\d,.]*\s?(?:[GT]FLOP/s|GB/s|samples/s|ms|µs)(?![\w/])"
# What may name its source beside it: a results machine, a GPU (datasheet or cited), or the
# model that stands in for one.
NAMES = [
    *sorted(p.name for p in (ROOT / "results").iterdir() if p.is_dir()),
    *("A100", "H100", "H200", "B200", "GH200", "RTX", "T4", "L4", "PCIe", "datasheet", "model"),
    "this output:",
]
UNLABELLED = r"""([pattern, names]) => {
  const number = new RegExp(pattern);
  const named = text => names.some(n => text.includes(n));
  const found = [];
  const article = document.querySelector('article');
  // the smallest blocks a reader takes in at once; a table cell reads with its row and header
  for (const el of article.querySelectorAll('p, li, figcaption, .jp-OutputArea pre, td')) {
    if (el.closest('pre code, .highlight, .jp-InputArea')) continue;  // source code, not output
    const text = el.innerText;
    if (!number.test(text)) continue;
    let context = text;
    if (el.tagName === 'TD') {
      const table = el.closest('table');
      const head = table.tHead ? table.tHead.innerText : '';
      context += ' ' + el.closest('tr').innerText + ' ' + head;
      const before = table.closest('.md-typeset__scrollwrap, table').previousElementSibling;
      if (before) context += ' ' + before.innerText;
    }
    const block = el.closest('li, .admonition, details, .figure-caption, .jp-OutputArea');
    if (block) context += ' ' + block.innerText;
    if (!named(context)) found.push(text.slice(0, 120));
  }
  return found;
}"""


def test_no_page_prints_a_measured_number_without_its_machine(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    problems = []
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        for text in page.evaluate(UNLABELLED, [MACHINE_NUMBER, NAMES]):
            problems.append(f"{path}: {text!r}")
    page.close()
    assert not problems, "numbers with no machine named near them:\n" + "\n".join(problems)


# Resolves once scroll-cue.js has marked the boxes: it marks them in a task queued when
# Material's document$ (a replaying subject) announces the page, so a task queued the same way
# now runs after it. Without Material, the script ran on load, which networkidle waited for.
CUES_SET = """() => new Promise(done => window.document$
  ? window.document$.subscribe(() => setTimeout(done, 0)) : done())"""

TABLES_AT_PHONE = """() => [...document.querySelectorAll('article table')].map(t => {
  const box = t.closest('.md-typeset__scrollwrap');
  return {wide: t.getBoundingClientRect().width > window.innerWidth,
          boxed: !!box && getComputedStyle(box).overflowX !== 'visible'
                 && box.getBoundingClientRect().width <= window.innerWidth,
          cue: !!box && box.classList.contains('whygpu-scrolls')
               && getComputedStyle(box, '::after').content.includes('Scroll'),
          head: (t.tHead ? t.tHead.innerText : t.innerText).slice(0, 60)};
})"""


def test_tables_fit_a_phone_or_scroll_in_their_own_box_with_a_cue(browser, site_url):
    page = browser.new_page(viewport=PHONE)
    seen = 0
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
        page.evaluate(CUES_SET)
        for table in page.evaluate(TABLES_AT_PHONE):
            seen += 1
            if table["wide"]:
                assert table["boxed"], f"{path}: table '{table['head']}' widens the page"
                assert table["cue"], f"{path}: table '{table['head']}' scrolls with no cue"
    page.close()
    assert seen >= 10, "the site's tables were found"


def test_a_glossary_hovercard_opens_on_tap(browser, site_url):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + "/concepts/convolution/", wait_until="networkidle")
    term = page.locator("article abbr[tabindex]").first
    word = term.inner_text()
    assert page.locator(".md-tooltip2--active").count() == 0
    term.tap()
    card = page.locator(".md-tooltip2--active")
    card.wait_for(state="visible", timeout=3000)
    assert word.lower()[:4] in card.inner_text().lower(), "the card defines the tapped term"
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    context.close()


def test_the_header_links_the_source_archive(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/concepts/cpu-and-gpu/", wait_until="networkidle")
    link = page.locator(".md-banner a.whygpu-source")
    assert link.is_visible(), "the header bar shows the way to the code"
    href = link.get_attribute("href")
    body = page.request.get(page.url.rsplit("/concepts/", 1)[0] + "/concepts/cpu-and-gpu/" + href)
    assert body.ok and body.body()[:2] == b"\x1f\x8b", f"{href} is not the gzip archive"
    page.close()


DIAGRAMS = """() => [...document.querySelectorAll('article figure.diagram')].map(f => {
  const svg = f.querySelector('svg');
  const vb = svg.viewBox.baseVal;
  const scale = svg.getBoundingClientRect().width / vb.width;
  const texts = [...svg.querySelectorAll('text')];
  const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  const clipped = texts.filter(t => { const b = t.getBBox();
    return b.x < vb.x - 0.5 || b.x + b.width > vb.x + vb.width + 0.5 ||
           b.y < vb.y - 0.5 || b.y + b.height > vb.y + vb.height + 0.5; })
    .map(t => t.textContent.slice(0, 40));
  const box = f.querySelector('.diagram-scroll');
  return {name: (svg.querySelector('title') || {}).textContent, smallest: Math.min(...sizes),
          clipped, boxed: !!box,
          scrolls: !!box && box.scrollWidth > box.clientWidth + 1,
          cue: !!box && box.classList.contains('whygpu-scrolls')};
})"""
MIN_TEXT_PX = 9.5  # the smallest diagram text, as drawn on the screen


def test_diagrams_are_legible_on_a_phone_and_clip_no_text(browser, site_url):
    seen = 0
    for viewport in (DESKTOP, PHONE):
        page = browser.new_page(viewport=viewport)
        for path in PAGES:
            page.goto(site_url + path, wait_until="networkidle")
            page.evaluate(CUES_SET)
            for d in page.evaluate(DIAGRAMS):
                seen += 1
                where = f"{path} at {viewport['width']} px: {d['name']}"
                assert d["boxed"], f"{where}: not in a .diagram-scroll box"
                assert not d["clipped"], f"{where}: text outside the picture: {d['clipped']}"
                assert d["smallest"] >= MIN_TEXT_PX, (
                    f"{where}: smallest text drawn {d['smallest']:.1f} px high"
                )
                assert d["cue"] == d["scrolls"], f"{where}: scrolls sideways with no cue"
        page.close()
    assert seen >= 14, "every diagram was checked at both widths"


NOTEBOOK_LAYOUT = """() => {
  const shown = el => getComputedStyle(el).display !== 'none' && el.offsetParent !== null;
  const prompts = [...document.querySelectorAll('.jp-InputPrompt, .jp-OutputPrompt')];
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output pre')];
  return {prompts: prompts.length, shownPrompts: prompts.filter(shown).length,
          outputs: outputs.length,
          wrapping: outputs.filter(p => getComputedStyle(p).whiteSpace !== 'pre').length,
          spilling: outputs.filter(p => p.getBoundingClientRect().right > innerWidth + 1).length};
}"""


def test_example_pages_show_no_prompts_and_scroll_their_output(browser, site_url):
    """Issue 25: no "In [1]:" beside the code; on a phone, output keeps its lines and scrolls."""
    page = browser.new_page(viewport=PHONE)
    for path in ("/examples/matmul/", "/examples/overhead/"):
        page.goto(site_url + path, wait_until="networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        seen = page.evaluate(NOTEBOOK_LAYOUT)
        assert seen["prompts"] and seen["outputs"], f"{path}: the notebook's cells were found"
        assert seen["shownPrompts"] == 0, f"{path}: prompts shown"
        assert seen["wrapping"] == 0 and seen["spilling"] == 0, f"{path}: {seen}"
    page.close()


COPY_BUTTON_OVER_CODE = r"""() => {
  const covered = [];
  for (const pre of document.querySelectorAll('article pre')) {
    const nav = pre.querySelector('.md-code__nav'), code = pre.querySelector('code');
    if (!nav || !code || !nav.offsetParent) continue;
    const b = nav.getBoundingClientRect(), text = document.createRange();
    text.selectNodeContents(code);
    const hit = [...text.getClientRects()].some(r => r.width > 0 && r.left < b.right &&
      r.right > b.left && r.top < b.bottom && r.bottom > b.top);
    if (hit) covered.push(code.textContent.slice(0, 40));
  }
  return covered;
}"""


@pytest.mark.parametrize("path", ["/contributing/", "/concepts/when-cpu-wins/", "/"])
def test_the_copy_button_never_covers_code_on_a_phone(browser, site_url, path):
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + path)
    page.wait_for_selector("article pre .md-code__nav", state="attached")
    assert page.evaluate(COPY_BUTTON_OVER_CODE) == [], f"{path}: the copy button covers code"
    page.close()
