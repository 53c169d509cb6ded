"""The built site in a real browser (Debian's chromium, driven by Playwright).

Figures must decode, pages must log no console errors, and no request may leave the local server.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.stem for p in (ROOT / "examples").glob("*.py") if not p.name.startswith("_"))
# page -> the figure it must show (None: no figure required)
PAGES = {"/": None, "/concepts/convolution/": "conv2d", "/results/": "roofline"} | {
    f"/examples/{slug}/": slug for slug in EXAMPLES
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly(browser, site_url, path, scheme):
    page = browser.new_page(color_scheme=scheme)
    errors, hosts = [], set()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda req: hosts.add(urlsplit(req.url).netloc))
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    images = page.eval_on_selector_all(
        "article img",
        "els => els.map(e => ({src: e.getAttribute('src'), w: e.naturalWidth, "
        "shown: e.offsetParent !== null, alt: e.alt}))",
    )
    for img in images:
        assert img["w"] > 0, f"{path}: image {img['src']} did not decode"
        assert img["alt"].strip(), f"{path}: image {img['src']} has no alt text"
    if PAGES[path]:
        shown = [img["src"] for img in images if img["shown"]]
        figure = f"figures/{PAGES[path]}"
        assert any(figure in src for src in shown), f"{path}: {figure} not shown"
        assert all(("-dark" in src) == (scheme == "dark") for src in shown if "figures/" in src), (
            f"{path}: wrong figure variant for {scheme}: {shown}"
        )

    assert not errors, f"{path}: console errors: {errors}"
    local = urlsplit(site_url).netloc
    assert hosts <= {local}, f"{path}: requests to other hosts: {sorted(hosts - {local})}"
    page.close()
