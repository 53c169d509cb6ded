"""The interactive figures, in a real browser: an example figure opens from its button, every
point tells its values on hover, tap and keyboard focus, the GPU switch redraws the model lines,
and without JavaScript the static figure is all there is."""

from __future__ import annotations

import json
import re

from whygpu.report.explore import EXPLORE_GPUS

PAGE = "/examples/matmul/"


def _open(context, site_url):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site_url + PAGE)
    page.click("button.xp-open")
    page.wait_for_selector("svg.xp-svg")
    return page, errors


def test_hover_shows_a_points_values_and_the_static_figure_steps_aside(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, errors = _open(context, site_url)
    static = page.locator("article img[src*='figures/matmul.svg']")
    assert not static.is_visible(), "the static figure stays on screen beside the live one"
    point = page.locator(".xp-pt").first
    point.hover()
    tip = page.locator(".xp-tip")
    assert tip.is_visible()
    said = tip.inner_text()
    assert "GFLOP/s" in said and "per call" in said, said
    assert re.search(r"\d rounds: .+ to .+", said), f"no rounds' range in the tooltip: {said}"
    assert re.search(r"amd-|intel-|[a-z]+-\w+-\d+c", said), f"no machine in the tooltip: {said}"
    # a model point says it is not measured
    page.locator("path.xp-model").first.wait_for()
    page.locator(".xp-pt[aria-label^='A100 model, fp32'][aria-label*='n = 512;']").first.hover()
    assert "not measured" in tip.inner_text() or "datasheet" in tip.inner_text()
    # the button brings the static figure back
    page.click("button.xp-open")
    assert static.is_visible()
    assert not errors, errors
    context.close()


def test_switching_the_gpu_redraws_the_model_lines(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, errors = _open(context, site_url)
    before = page.eval_on_selector_all("path.xp-model", "ps => ps.map(p => p.getAttribute('d'))")
    names = page.eval_on_selector_all(".xp-name", "ns => ns.map(n => n.textContent)")
    assert before and any(n.startswith("A100") for n in names), names
    options = page.eval_on_selector_all(".xp-gpu option", "os => os.map(o => o.value)")
    assert options == list(EXPLORE_GPUS)
    page.select_option(".xp-gpu", "h200-sxm")
    after = page.eval_on_selector_all("path.xp-model", "ps => ps.map(p => p.getAttribute('d'))")
    names = page.eval_on_selector_all(".xp-name", "ns => ns.map(n => n.textContent)")
    assert after != before, "the H200's model lines are drawn where the A100's were"
    assert any(n.startswith("H200") for n in names), names
    assert not any(n.startswith("A100 ") for n in names), names
    # a model line's kind of evidence stays named, and measured lines are untouched
    assert any("model" in n for n in names) and any(n.startswith("CPU") for n in names)
    assert not errors, errors
    context.close()


def test_a_tap_and_the_keyboard_show_values_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page, errors = _open(context, site_url)
    width = page.eval_on_selector("svg.xp-svg", "s => s.getBoundingClientRect().width")
    assert width <= 390, f"the live figure is {width} px wide on a 390 px phone"
    page.locator(".xp-pt").nth(2).tap()
    tip = page.locator(".xp-tip")
    assert tip.is_visible() and "per call" in tip.inner_text()
    first = tip.inner_text()
    page.locator(".xp-pt").first.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("() => document.activeElement.getAttribute('class')")
    assert "xp-pt" in focused, "the arrow key left the figure's points"
    assert tip.is_visible() and tip.inner_text() != first
    assert not errors, errors
    context.close()


def test_without_javascript_the_static_figure_is_the_figure(browser, site_url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(site_url + PAGE)
    static = page.locator("article img[src*='figures/matmul.svg']")
    static.scroll_into_view_if_needed()
    assert static.is_visible()
    assert page.locator("button.xp-open").count() == 0
    assert page.locator("div.xp").inner_text().strip() == ""
    context.close()


def test_every_figure_with_data_gets_its_place(built_site):
    """The hook puts a place under every example figure whose data the report wrote."""
    figures = built_site / "assets" / "figures"
    for data in sorted(figures.glob("*.explore.json")):
        slug = data.name.removesuffix(".explore.json")
        html = (built_site / "examples" / slug / "index.html").read_text()
        assert f'data-explore="../../assets/figures/{slug}.explore.json"' in html, slug
        body = json.loads(data.read_text())
        assert body["machine"] in body["machines"], slug
