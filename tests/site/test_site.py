"""The site builds with --strict and each page carries what it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import build_site
from whygpu.contract import examples

HOOKS = Path(__file__).resolve().parents[2] / "docs" / "hooks"
slow = pytest.mark.slow  # builds the site: the tests without it read sources only


@slow
def test_home_page_links_to_where_to_start(built_site):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    assert "Why GPUs?" in html
    assert 'href="concepts/convolution/"' in html
    assert 'href="examples/conv2d/"' in html
    # the reading order starts where the navigation does
    content = html[html.index('<h2 id="where-to-start"') :]
    first = re.search(r'href="(concepts/[^"]+)"', content).group(1)
    assert first == "concepts/cpu-and-gpu/", f"the reading list starts at {first}"


@slow
def test_concept_page_embeds_figure_caption_and_csv(built_site):
    html = (built_site / "concepts" / "convolution" / "index.html").read_text(encoding="utf-8")
    tag = re.search(r'<img [^>]*src="../../assets/figures/conv2d.svg#only-light"[^>]*>', html)
    assert tag and re.search(r'alt="[^"]{20,}"', tag.group(0)), "figure without a described alt"
    assert 'src="../../assets/figures/conv2d-dark.svg#only-dark"' in html
    assert "measured on <strong>" in html, "caption generated from the results is missing"
    assert 'href="../../assets/figures/conv2d.csv"' in html
    for name in ("conv2d.svg", "conv2d-dark.svg", "conv2d.csv"):
        assert (built_site / "assets" / "figures" / name).stat().st_size > 0


@slow
def test_example_page_shows_prose_code_and_real_output(built_site):
    html = (built_site / "examples" / "conv2d" / "index.html").read_text(encoding="utf-8")
    assert "no output depends on another output" in html  # prose cells
    assert "def workload" in html  # code cells
    # the output of the run the build executed, with a real measured number
    assert re.search(r"hand-computed outputs match conv2d to within \d", html)
    assert re.search(r"median \d+\.\d+ ms per call", html)
    assert "conv2d.svg#only-light" in html


@slow
def test_no_page_loads_anything_from_another_host(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        loads = re.findall(
            r'<(?:script|img|link|iframe)[^>]+(?:src|href)="(https?:)?//[^"]+"', html
        )
        assert not loads, f"{page.relative_to(built_site)} loads from another host"


def _examples(root):
    return [p.stem for p in examples.paths(root / "examples")]


def _not_executed(root) -> set[str]:
    """Examples mkdocs.yml tells mkdocs-jupyter not to run during the build (each says why)."""
    import yaml

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    jupyter = next(p["mkdocs-jupyter"] for p in config["plugins"] if "mkdocs-jupyter" in p)
    return {Path(p).stem for p in jupyter.get("execute_ignore", [])}


@slow
def test_every_example_is_a_page_with_code_output_and_figure(root, built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    for slug in _examples(root):
        page = built_site / "examples" / slug / "index.html"
        assert page.exists(), f"examples/{slug}.py has no page"
        html = page.read_text(encoding="utf-8")
        assert "def workload" in html, f"{slug}: code cells missing"
        if slug not in _not_executed(root):
            assert "jp-OutputArea-output" in html, f"{slug}: the build did not show its output"
        assert f"{slug}.svg#only-light" in html and f"{slug}-dark.svg#only-dark" in html
        link = re.search(rf'<a href="examples/{slug}/" class="md-nav__link">(.*?)</a>', home, re.S)
        assert link, f"{slug} is missing from the navigation"
        shown = " ".join(re.sub(r"<[^>]+>", "", link.group(1)).split())
        assert shown == examples.read(root / "examples" / f"{slug}.py").title, shown
        assert "Traceback" not in html, f"{slug}: the executed page shows an error"
        caption = re.search(r'<div class="figure-caption">(.*?)</div>', html, re.S)
        assert caption, f"{slug}: no caption under the figure"
        assert "measured on <strong>" in caption.group(1)
        csv = re.search(r'href="([^"]+\.csv)"', caption.group(1))
        assert csv and (page.parent / csv.group(1)).resolve().exists(), f"{slug}: CSV link"


@slow
def test_results_page_links_raw_files_that_exist(built_site):
    html = (built_site / "results" / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+\.json)"', html)
    assert links, "the results page links no raw results file"
    for link in links:
        assert (built_site / "results" / link).resolve().exists(), link
    assert "GPU faster from" in html  # the crossover table


@slow
def test_sources_page_lists_every_reference_gpu(built_site):
    from whygpu.contract.datasheet import REFERENCE_GPUS

    html = (built_site / "reference" / "sources" / "index.html").read_text(encoding="utf-8")
    for gpu in REFERENCE_GPUS.values():
        assert gpu.name in html and gpu.source in html


@slow
def test_every_image_has_alt_text(built_site):
    for page in built_site.rglob("*.html"):
        for tag in re.findall(r"<img\b[^>]*>", page.read_text(encoding="utf-8")):
            alt = re.search(r'alt="([^"]*)"', tag)
            assert alt and len(alt.group(1).strip()) > 10, f"{page}: {tag[:80]}"


@slow
def test_figures_come_in_a_stacked_phone_layout(built_site, rendered):
    """A two-panel figure is unreadable at 390 px: phones get the stacked variant, per scheme."""
    html = (built_site / "concepts" / "convolution" / "index.html").read_text(encoding="utf-8")
    phone = _hook("phone_figures").PHONE_WIDTH
    for suffix in ("", "-dark"):
        assert (
            f'<source media="(max-width: {phone}px)" srcset="../../assets/figures/conv2d-phone'
            f'{suffix}.svg"/><img' in html
        )
        assert f"conv2d-phone{suffix}.svg" in rendered
    page = (built_site / "examples" / "matmul" / "index.html").read_text(encoding="utf-8")
    assert page.count("<picture>") == 2
    results = (built_site / "results" / "index.html").read_text(encoding="utf-8")
    assert 'srcset="../assets/figures/roofline-phone.svg"' in results


@slow
def test_the_site_publishes_its_source_and_every_page_links_it(root, built_site):
    """A reader with no git host can still run everything: the build ships the tracked files."""
    import subprocess
    import tarfile

    archive = built_site / "downloads" / "whygpu-source.tar.gz"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        pyproject = tar.extractfile("whygpu/pyproject.toml").read()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    assert {f"whygpu/{n}" for n in tracked if (root / n).is_file()} == names
    assert pyproject == (root / "pyproject.toml").read_bytes()
    assert not any("/.venv/" in n or n.endswith(".pyc") for n in names)
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        link = re.search(r'href="([^"]*downloads/whygpu-source\.tar\.gz)"', html)
        assert link, f"{page.relative_to(built_site)}: no link to the source"
        assert (page.parent / link.group(1)).resolve() == archive.resolve()
        if 'id="run-it-yourself"' in html:
            assert 'class="whygpu-get-code"' in html, f"{page}: 'Run it yourself' without the code"


def _hook(name: str):
    """A hook module of docs/hooks, imported as MkDocs does (its folder on the import path)."""
    import importlib
    import sys

    if str(HOOKS) not in sys.path:
        sys.path.append(str(HOOKS))
    return importlib.import_module(name)


def _examples_section(root) -> list:
    import yaml

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    return next(i["Examples"] for i in config["nav"] if isinstance(i, dict) and "Examples" in i)


def test_the_navigation_titles_each_example_by_its_title_alone(root):
    """TITLE is the one home of an example's title: mkdocs.yml lists the pages by path only,
    and the hook titles each, appending any the list lacks."""
    section = _examples_section(root)
    assert all(isinstance(entry, str) for entry in section), f"titles in mkdocs.yml: {section}"
    titled = _hook("examples_nav").titled(section[1:])  # one left out of the list
    paths = examples.paths(root / "examples")
    expected = {f"examples/{p.name}": examples.read(p).title for p in paths}
    assert {uri: title for entry in titled for title, uri in entry.items()} == expected
    assert titled[-1] == {expected[section[0]]: section[0]}, "the unlisted one comes last"
    assert [next(iter(e.values())) for e in titled[:-1]] == section[1:], "reading order kept"


def test_a_title_written_for_an_example_in_mkdocs_yml_fails_the_build(root):
    from mkdocs.exceptions import PluginError

    section = ["examples/matmul.py", {"Matrices": "examples/conv2d.py"}]
    title = examples.read(root / "examples" / "conv2d.py").title
    with pytest.raises(
        PluginError, match=rf"titles examples/conv2d\.py 'Matrices'.*'{re.escape(title)}'"
    ):
        _hook("examples_nav").titled(section)


def test_each_example_page_is_headed_by_its_title(root):
    """mkdocs-jupyter titles a notebook page (and so its nav entry) by the page's first heading:
    it must say what TITLE says, or the navigation would show a second title."""
    for path in examples.paths(root / "examples"):
        heading = re.search(r"^# # (.+?)\s*$", path.read_text(encoding="utf-8"), re.M)
        assert heading, f"{path.name}: no '# # Title' heading in its first markdown cell"
        assert heading.group(1) == examples.read(path).title, f"{path.name}: heading != TITLE"


def test_the_phone_breakpoint_is_one_number(root):
    """The figures' <picture> switch (phone_figures.PHONE_WIDTH) and the stylesheet's phone
    rules change layout at the same width."""
    css = (root / "docs" / "stylesheets" / "site.css").read_text(encoding="utf-8")
    widths = re.findall(r"@media[^{]*\((?:max|min)-width:\s*(\d+)px\)", css)
    assert widths, "site.css has no phone rules"
    assert set(map(int, widths)) == {_hook("phone_figures").PHONE_WIDTH}, widths


def test_the_repository_link_comes_from_the_environment(monkeypatch):
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("hook", root / "docs/hooks/source_archive.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    monkeypatch.setenv("WHYGPU_REPO_URL", "https://git.example.org/someone/whygpu-fork")
    config = hook.on_config({"repo_url": "", "repo_name": None})
    assert config["repo_url"] == "https://git.example.org/someone/whygpu-fork"
    assert config["repo_name"] == "someone/whygpu-fork"
    monkeypatch.delenv("WHYGPU_REPO_URL")
    assert hook.on_config({"repo_url": "", "repo_name": None})["repo_url"] == ""


@slow
def test_navigation_titles_are_distinct(built_site):
    """As the reader sees them: an example page's title comes from its own heading."""
    html = (built_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">(.*?)</a>', nav, re.S)
    titles = [  # pages, not this page's table of contents (#anchors)
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", t)).strip()
        for href, t in links
        if not href.startswith("#")
    ]
    titles = [t for t in titles if t]
    assert len(titles) >= 20, titles
    assert len(titles) == len(set(titles)), f"two pages share a title: {titles}"


@slow
def test_search_results_hold_no_diagram_text(root, built_site):
    """A diagram's description is for screen readers beside it, not a search hit of raw SVG."""
    import json

    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    diagrams = sorted((root / "docs" / "assets" / "diagrams").glob("*.svg"))
    assert diagrams
    for svg in diagrams:
        for desc in re.findall(r"<desc[^>]*>([^<]{30,})", svg.read_text(encoding="utf-8")):
            assert " ".join(desc.split())[:60] not in text, f"{svg.name}'s text is in the index"


@slow
def test_a_published_build_has_a_sitemap_of_every_page(root, tmp_path):
    """With the address the site is published at, the sitemap lists every page under it."""
    out = tmp_path / "site"
    build_site(out, WHYGPU_SITE_URL="https://why.example.org")
    urls = re.findall(r"<loc>([^<]+)</loc>", (out / "sitemap.xml").read_text(encoding="utf-8"))
    pages = {p.parent.relative_to(out).as_posix() for p in out.rglob("index.html")}
    assert len(urls) >= len(pages) - 1 >= 20
    assert all(u.startswith("https://why.example.org/") for u in urls)
    assert "https://why.example.org/concepts/convolution/" in urls
