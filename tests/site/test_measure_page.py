"""The Measure page in Chromium: WebGPU through the software adapter (SwiftShader) with
--enable-unsafe-webgpu on loopback, which is a secure context, and again without WebGPU."""

from __future__ import annotations

import json
import re
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


@pytest.fixture(scope="module")
def ran(webgpu_browser, site_url):
    """One run of the page through SwiftShader, read by the tests below: the page, what it
    exported, the hosts it asked and the errors it logged."""
    page = webgpu_browser.new_page(viewport={"width": 1280, "height": 900})
    hosts: set[str] = set()
    errors: list[str] = []
    results = _run(page, site_url, hosts=hosts, errors=errors)
    yield page, results, hosts, errors
    page.close()


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
    # measured lines solid with points, model lines without; compute-only and end-to-end model
    # lines in two different dashes; every line named at its end
    style = page.evaluate(
        """() => [...document.querySelectorAll('#plot-time path.m-line')].map((path) => ({
             name: path.dataset.series, model: path.classList.contains('m-model'),
             e2e: path.classList.contains('m-e2e'), dash: getComputedStyle(path).strokeDasharray,
             tag: [...document.querySelectorAll('#plot-time text.m-tag')]
               .some((t) => t.dataset.series === path.dataset.series)}))"""
    )
    models = [s for s in style if s["model"]]
    assert {s["e2e"] for s in models} == {True, False}, models
    dashes = {s["dash"] for s in models}
    assert len(dashes) == 2 and "none" not in dashes, f"model dashes: {dashes}"
    for s in style:
        assert s["tag"], f"{s['name']}: no name at its end"
        if not s["model"]:
            assert s["dash"] == "none", f"{s['name']}: a measured line is solid"
    measured = sum(len(line["points"]) for line in mine["lines"] if line["kind"] == "measured")
    assert page.locator("#plot-time .m-dot.m-published").count() == measured, "one point each"
    assert page.locator("#plot-time .m-dot.m-model").count() == 0, "a model has no points"
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


def test_a_run_checks_every_gpu_product_and_names_the_software_adapter(ran, site_url):
    page, results, hosts, errors = ran
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


#: Every text in the plots, with the size a reader sees: its font size times the SVG's scale.
_TEXT_SIZES = """() => [...document.querySelectorAll('#measure svg.m-plot text')].map((t) => {
  const svg = t.ownerSVGElement;
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * scale];
})"""


def test_a_run_reads_plainly(ran):
    """What the review of issue 25 asked for: a verdict that names the software adapter, a
    results table of four columns, the GPU's end-to-end line drawn, titled panels as wide as
    the page's column, SI ticks, text a reader can read, and a log in one style."""
    page, results, _, _ = ran
    verdict = page.inner_text("#crossover")
    assert verdict.startswith("On your machine ")
    assert "but this GPU was SwiftShader, software running on your CPU, so this says nothing" \
        " about a real GPU" in verdict, verdict  # fmt: skip

    cpu = sorted((p for p in results["points"] if p["side"] == "cpu-wasm"), key=lambda p: p["size"])
    e2e = [p for p in results["points"] if p["side"] == "gpu-e2e"]
    head = page.locator("#results thead th").all_inner_texts()
    assert [h.split(" (")[0] for h in head] == ["n", "CPU", "GPU", "GPU/CPU"], head
    unit = r"\((s|ms|µs|ns)\)"  # one unit for the column, in its head
    assert re.fullmatch(f"CPU {unit}", head[1]) and re.fullmatch(f"GPU {unit}", head[2]), head
    rows = [page.locator(f"#results tbody tr:nth-child({i + 1}) td").all_inner_texts()
            for i in range(page.locator("#results tbody tr").count())]  # fmt: skip
    assert [r[0] for r in rows] == [f"{p['size']:,}" for p in cpu]
    for row in rows:
        assert all(re.fullmatch(r"\d[\d,]*(\.\d+)?", cell) for cell in row[1:3]), row
        assert re.fullmatch(r"\d[\d,]*(\.\d)?×|0\.\d+×", row[3]), row

    for panel in ("#plot-time", "#plot-rate"):
        line = page.locator(f"{panel} path.m-reader-gpu.m-e2e")
        assert line.count() == 1, f"{panel}: the end-to-end GPU line is not drawn"
        assert len(re.findall(r"[ML]", line.get_attribute("d"))) == len(e2e)
        assert page.locator(f"{panel} .m-dot.m-reader-gpu.m-e2e").count() == len(e2e)
        tag = page.locator(f"{panel} text.m-tag-e2e.m-tag-reader-gpu").text_content()
        assert tag == "your GPU, end to end"
    titles = page.locator("svg.m-plot text.m-title").all_text_contents()
    assert titles == ["Time per product (lower is better)", "Throughput (higher is better)"]

    ticks = page.locator("svg.m-plot text.m-tick").all_text_contents()
    assert ticks and not [t for t in ticks if re.search(r"\de[-+−]?\d", t)], ticks
    assert {"1 ms", "1k"} <= set(ticks), ticks  # a time tick with its unit, a rate with a prefix
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(  # the ResizeObserver redraws at the column's new width
            "(() => { const s = document.querySelector('#plot-time');"
            " return Math.abs(s.viewBox.baseVal.width - s.getBoundingClientRect().width) < 1; })()"
        )
        column = page.evaluate("document.getElementById('measure').getBoundingClientRect().width")
        for panel in ("#plot-time", "#plot-rate"):
            shown = page.evaluate(
                f"document.querySelector('{panel}').getBoundingClientRect().width"
            )
            assert abs(shown - column) <= 1, f"{width} px: {panel} {shown} px, column {column} px"
        small = [(text, size) for text, size in page.evaluate(_TEXT_SIZES) if size < 12]
        assert not small, f"{width} px: text under 12 px: {small[:5]}"
    page.set_viewport_size({"width": 1280, "height": 900})

    # a few lines, not one per size; sizes with binary prefixes (1 MiB, never 1024 KiB), every
    # rate in GB/s said once, the round trip's time with its unit
    log = page.locator("#log li").all_inner_texts()
    assert len(log) <= 5, log
    text = " ".join(log)
    assert "(1 MiB)" in text and not re.search(r"\d{4,} KiB", text), log
    assert text.count("GB/s") == 1, log
    assert re.search(r"round trip .*: \d[\d.,]* (s|ms|µs)\.", text), log


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
    page.wait_for_function(
        "document.querySelectorAll('#results tbody tr').length >= 2", timeout=60_000
    )
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
        assert page.inner_text("#crossover") == (
            "On your machine only the CPU side ran: this browser offered no WebGPU."
        )
        assert page.locator("#results thead th").all_inner_texts()[2] == "GPU"
        assert page.locator("#results tbody tr td:nth-child(3)").all_inner_texts()[0] == "–"
    finally:
        browser.close()
