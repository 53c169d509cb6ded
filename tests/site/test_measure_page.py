"""The Measure page in Chromium: WebGPU through the software adapter (SwiftShader) with
--enable-unsafe-webgpu on loopback, which is a secure context, and again without WebGPU."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from whygpu.contract.names import BROWSER_FORMAT
from whygpu.report import published
from whygpu.report.crossover import crossing_text, crossovers
from whygpu.store import files

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "/measure/?budget=45&max=256"  # a shorter sweep than a reader's; the same code
BASE = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WEBGPU = [*BASE, "--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader"]
NO_WEBGPU = [*BASE, "--disable-gpu", "--disable-webgpu"]


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def webgpu_browser(playwright, chromium_path):
    browser = playwright.chromium.launch(executable_path=chromium_path, args=WEBGPU)
    yield browser
    browser.close()


def _run(page, site_url, path=PAGE, hosts=None, errors=None):
    if hosts is not None:
        page.on("request", lambda req: hosts.add(urlsplit(req.url).netloc))
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function("document.getElementById('measure').dataset.state === 'ready'")
    page.click("#run")
    page.wait_for_function(
        "['done', 'stopped', 'error'].includes(document.getElementById('measure').dataset.state)"
        " && !document.getElementById('run').disabled",
        timeout=120_000,
    )
    return page.evaluate("document.getElementById('measure').results")


def test_the_page_shows_what_python_computed(webgpu_browser, site_url, root):
    """Before any run: every published line Python wrote, with all its points, in both panels
    and the legend, and each crossing in Python's words (crossover.crossing_text)."""
    docs = files.load_all(root / "results")
    crossings = crossovers(docs)
    site = json.loads(published.render(docs, crossings)["measure.json"])
    page = webgpu_browser.new_page()
    page.goto(site_url + "/measure/", wait_until="networkidle")
    page.wait_for_function("document.getElementById('measure').dataset.state === 'ready'")
    op = page.evaluate(
        "import(new URL('plan.js', document.baseURI).href).then((plan) => plan.WORKLOAD)"
    )
    (mine,) = [w for w in site["workloads"] if w["op"] == op]
    lines = {line["name"]: len(line["points"]) for line in mine["lines"]}
    assert lines and any(line["kind"] == "model" for line in mine["lines"])
    for panel in ("#plot-time", "#plot-rate"):
        drawn = page.evaluate(
            """(panel) => [...document.querySelectorAll(`${panel} path.m-line`)].map((path) =>
                 [path.dataset.series, (path.getAttribute('d').match(/[ML]/g) || []).length])""",
            panel,
        )
        assert dict(drawn) == lines, f"{panel}: lines or points differ from measure.json"
    legend = page.locator("#legend li.m-published, #legend li.m-model").all_inner_texts()
    assert legend == list(lines)
    shown = page.locator("#published-crossover li").all_inner_texts()
    assert shown == [row["sentence"] for row in mine["crossings"]]
    rows = [r for r in crossings if r["op"] == op]
    assert len(shown) == len(rows)
    for row, sentence in zip(rows, shown, strict=True):
        assert row["machine"] in sentence and row["gpu"] in sentence
        for column in ("compute", "e2e"):
            if row.get(column) is not None:
                assert f"from {crossing_text(row, column)}" in sentence
    page.close()


def test_a_run_checks_every_gpu_product_and_names_the_software_adapter(webgpu_browser, site_url):
    page = webgpu_browser.new_page()
    hosts: set[str] = set()
    errors: list[str] = []
    results = _run(page, site_url, hosts=hosts, errors=errors)
    root = page.locator("#measure")
    assert root.get_attribute("data-state") == "done", page.inner_text("#status")
    sides = {p["side"] for p in results["points"]}
    assert sides == {"cpu-wasm", "gpu", "gpu-e2e"}
    gpu = [p for p in results["points"] if p["side"] != "cpu-wasm"]
    assert gpu and all(p["verified"] is True and p["max_rel_error"] < 1e-3 for p in gpu)
    assert {p["size"] for p in gpu} == {
        p["size"] for p in results["points"] if p["side"] == "cpu-wasm"
    }
    # SwiftShader runs the shader on the CPU: the page must say so, in words
    assert results["adapter"]["software"] is True
    assert "no GPU was used: this is your CPU pretending to be one" in page.inner_text("#adapter")
    assert "the CPU side uses 1 thread" in page.inner_text("#browser")
    # the reader's two lines beside the published machines and the model, in both panels
    for panel in ("#plot-time", "#plot-rate"):
        for kind in ("reader-cpu", "reader-gpu", "published", "model"):
            assert page.locator(f"{panel} path.m-{kind}").count() >= 1, f"{panel}: no {kind} line"
    assert page.locator("#crossover").inner_text().startswith("On your machine ")
    assert results["round_trip"]["median_s"] > 0 and results["copies"]
    assert not errors, errors
    assert hosts <= {urlsplit(site_url).netloc}, f"requests beyond the site: {hosts}"
    page.close()


def test_the_export_validates_and_a_tampered_one_is_refused_by_field(
    webgpu_browser, site_url, tmp_path
):
    page = webgpu_browser.new_page()
    results = _run(page, site_url, path="/measure/?budget=10&max=32")
    assert page.locator("#results-json").is_visible()
    with page.expect_download() as download:
        page.click("#results-json")
    saved = tmp_path / "browser.json"
    download.value.save_as(saved)
    page.close()
    assert results["format"] == BROWSER_FORMAT  # read from measure.json, Python's name
    assert json.loads(saved.read_text())["format"] == results["format"]
    files.load_any(saved)  # what `whygpu validate` does; raises on any problem
    cli = subprocess.run(
        [sys.executable, "-m", "whygpu", "validate", str(saved)], capture_output=True, text=True
    )
    assert cli.returncode == 0 and cli.stdout.startswith("ok"), cli.stdout + cli.stderr

    def refused(change, field):
        data = json.loads(saved.read_text())
        change(data)
        bad = tmp_path / f"bad-{field.replace('.', '_').replace('[', '').replace(']', '')}.json"
        bad.write_text(json.dumps(data))
        with pytest.raises(files.ResultsError) as error:
            files.load_any(bad)
        assert f": {field}:" in str(error.value), str(error.value)

    refused(lambda d: d["points"][0].update(median_s=-1.0), "points[0].median_s")
    refused(lambda d: d.pop("budget_s"), "budget_s")
    refused(lambda d: d["browser"].update(user_agent="<b>x</b>"), "browser.user_agent")
    refused(
        lambda d: d.update(adapter={**d["adapter"], "vendor": "<img src=x onerror=alert(1)>"}),
        "adapter.vendor",
    )


def test_stop_ends_the_run_and_the_page_can_run_again(webgpu_browser, site_url):
    page = webgpu_browser.new_page()
    page.goto(site_url + "/measure/?budget=60", wait_until="networkidle")
    page.wait_for_function("document.getElementById('measure').dataset.state === 'ready'")
    page.click("#run")
    page.wait_for_function("document.querySelectorAll('#log li').length >= 3", timeout=60_000)
    page.click("#stop")
    page.wait_for_function(
        "document.getElementById('measure').dataset.state === 'stopped'", timeout=30_000
    )
    assert page.locator("#run").is_enabled() and page.locator("#stop").is_disabled()
    assert "Stopped" in page.inner_text("#status")
    again = _run(page, site_url, path="/measure/?budget=5&max=32")
    assert again["points"], "a second run after Stop measured again"
    page.close()


def test_without_webgpu_the_page_says_so_and_runs_the_cpu_side(playwright, chromium_path, site_url):
    browser = playwright.chromium.launch(executable_path=chromium_path, args=NO_WEBGPU)
    try:
        page = browser.new_page()
        results = _run(page, site_url, path="/measure/?budget=10&max=64")
        assert page.locator("#measure").get_attribute("data-state") == "done"
        assert page.inner_text("#adapter").startswith("No WebGPU")
        assert {pt["side"] for pt in results["points"]} == {"cpu-wasm"}
        assert results["adapter"] is None
        assert page.locator("#plot-rate path.m-published").count() >= 1
    finally:
        browser.close()
