"""Both contributor paths work in one step, in a scratch copy of the repository.

A new example from `new-example` is measured, drawn and published with no other file edited; a
results file from a machine we have never seen shows up in the figures, the crossover table and
the results page. The review checks reject each kind of broken example with a message.
"""

from __future__ import annotations

import copy
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from whygpu.contract import examples
from whygpu.report.reference import reference_machine
from whygpu.review import examplecheck
from whygpu.review.scaffold import ScaffoldError, new_example
from whygpu.store import files

SLUG = "relu_probe"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _run(*args: str, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(cwd / "src")},
    )
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo_copy(root, tmp_path) -> Path:
    """The working tree (tracked and untracked, not ignored) in a fresh git repository."""
    copy = tmp_path / "repo"
    listed = _git("ls-files", "-co", "--exclude-standard", "-z", cwd=root).split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    cache = root / ".cache" / "mkdocs-jupyter"  # executed notebooks, keyed by their content
    if cache.is_dir():
        shutil.copytree(cache, copy / ".cache" / "mkdocs-jupyter")
    _git("init", "-q", cwd=copy)
    _git("add", "-A", cwd=copy)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base", cwd=copy)
    return copy


def _changed(copy: Path) -> set[str]:
    return {line[3:] for line in _git("status", "--porcelain", "-uall", cwd=copy).splitlines()}


# -- the review checks ----------------------------------------------------------------------


@pytest.fixture
def scaffolded(tmp_path) -> Path:
    return new_example(SLUG, tmp_path / "examples")


@pytest.mark.slow  # runs the whole template
def test_the_template_passes_every_check_and_keeps_the_contract(scaffolded):
    assert examplecheck.problems(scaffolded, run=True) == []
    example = examples.load(scaffolded)
    assert example.title == "Relu probe" and example.metric == "bytes"


def test_scaffolding_refuses_a_bad_or_taken_slug(scaffolded):
    with pytest.raises(ScaffoldError, match="SLUG 'Bad-Name'"):
        new_example("Bad-Name", scaffolded.parent)
    scaffolded.write_text(scaffolded.read_text() + "# the contributor's own work\n")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_example(SLUG, scaffolded.parent)
    assert scaffolded.read_text().endswith("# the contributor's own work\n"), "overwritten"


def _prose_removed(text: str) -> str:
    return "\n".join(
        line
        for line in text.splitlines()
        if not (line.startswith("# ") and not line.startswith(("# %%", "# #", "# !")))
    )


BROKEN = {
    "has no prose": _prose_removed,
    "has no size sweep": lambda t: t.replace(
        '"quick": [1_000, 10_000, 100_000, 1_000_000, 10_000_000]', '"quick": [1000]'
    ),
    "has no work per call": lambda t: t.replace("bytes_moved=8 * size", "bytes_moved=0 * size"),
    "shows no figure": lambda t: t.replace(f"figures/{SLUG}.svg", "figures/other.svg"),
    "does heavy work at import": lambda t: t.replace(
        "VARIANTS = [", "_TABLE = torch.randn(2000, 2000) @ torch.randn(2000, 2000)\nVARIANTS = ["
    ),
    "fails when run on its own": lambda t: t.replace(
        "    main()\n", "    raise RuntimeError('boom')\n"
    ),
}


@pytest.mark.parametrize("mistake", BROKEN)
def test_each_broken_example_is_rejected_with_what_to_fix(scaffolded, mistake):
    text = scaffolded.read_text()
    broken = BROKEN[mistake](text)
    assert broken != text, "the mistake was not made: the template changed under this test"
    scaffolded.write_text(broken)
    found = examplecheck.problems(scaffolded, run=mistake == "fails when run on its own")
    assert any(mistake in p for p in found), found
    assert all(p.startswith(f"{scaffolded}: ") for p in found)


@pytest.mark.parametrize("slug", [p.stem for p in examples.paths(EXAMPLES)])
def test_every_example_passes_the_review_checks(slug):
    """The static checks; the standalone run is left to tests/examples/test_examples.py, which
    runs every example's main at its smallest sizes (the full run took 5 minutes here)."""
    assert examplecheck.problems(EXAMPLES / f"{slug}.py", run=False) == []


# -- the two contributor paths, end to end ---------------------------------------------------


@pytest.mark.slow
def test_a_scaffolded_example_is_measured_drawn_and_published(repo_copy, built_site):
    """As a contributor does it: scaffold, quote a fact on the page, measure on a machine the
    site has not seen (before committing the example), redraw, build strictly."""
    _run("-m", "whygpu", "new-example", SLUG, cwd=repo_copy)
    example = repo_copy / "examples" / f"{SLUG}.py"
    example.write_text(
        example.read_text().replace(
            "# ## What the benchmark shows\n",
            "# ## What the benchmark shows\n#\n# ReLU reaches "
            f"{{{{ fact:{SLUG}.cpu.relu.best }}}} on {{{{ fact:{SLUG}.machine }}}}.\n",
        )
    )
    _run(
        "-m",
        "whygpu",
        "run",
        "--only",
        SLUG,
        "--quick",
        "--machine",
        "ci-box",
        "--threads",
        "1",
        cwd=repo_copy,
    )
    _run("-m", "whygpu", "figures", cwd=repo_copy)
    _run("-m", "mkdocs", "build", "--strict", "--site-dir", "site", cwd=repo_copy)

    result = json.loads((repo_copy / "results" / "ci-box" / f"{SLUG}.json").read_text())
    assert result["example"] == SLUG and result["runs"][0]["points"]
    docs = files.load_all(repo_copy / "results")
    assert reference_machine(docs) != "ci-box" == reference_machine(docs, SLUG)
    figures = repo_copy / "docs" / "assets" / "figures"
    assert "ci-box" in (figures / f"{SLUG}.csv").read_text()
    assert (figures / f"{SLUG}.svg").stat().st_size > 0
    page = (repo_copy / "site" / "examples" / SLUG / "index.html").read_text()
    assert f"{SLUG}.svg#only-light" in page and "measured on <strong>ci-box" in page
    home = (repo_copy / "site" / "index.html").read_text()
    assert f'href="examples/{SLUG}/"' in home, "the new page is not in the navigation"

    # its facts come from the machine that measured it, and the page quotes them
    facts = json.loads((figures / "facts.json").read_text())
    best = facts[f"{SLUG}.cpu.relu.best"]["text"]
    assert f"ReLU reaches {html.escape(best, quote=False)} on ci-box." in page
    # measured before it was committed: the results and the caption name the file's content
    sha = hashlib.sha256(example.read_bytes()).hexdigest()[:10]
    assert result["runs"][0]["provenance"]["example_sha256"] == sha
    caption = " ".join((figures / f"{SLUG}.caption.md").read_text().replace("\\", "").split())
    assert f"from an uncommitted version of `examples/{SLUG}.py` (content hash `{sha}`)" in caption
    assert f"{reference_machine(docs)}, has not measured this example" in caption
    # the test file the scaffold wrote passes as written
    _run("-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         f"tests/examples/test_example_{SLUG}.py", cwd=repo_copy)  # fmt: skip

    edited = {
        p
        for p in _changed(repo_copy)
        if not p.startswith(("results/", "docs/assets/figures/", "site/", ".cache/"))
    }
    assert edited == {f"examples/{SLUG}.py", f"tests/examples/test_example_{SLUG}.py"}, edited


@pytest.mark.slow
def test_results_from_a_new_machine_reach_figures_tables_and_results_page(repo_copy):
    docs = files.load_all(repo_copy / "results")
    source = reference_machine(docs)
    new = "invented-box-8c"
    for doc in docs:
        if doc["machine"] != source or doc["example"] not in ("matmul", "crossover"):
            continue
        doc = copy.deepcopy(doc)
        doc["machine"] = new
        doc["runs"] = [r for r in doc["runs"] if r["accelerator"] == "cpu"]  # a CPU-only box
        for run in doc["runs"]:
            run["provenance"]["cpu"]["model"] = "Invented CPU 8-core"
            run["device_name"] = "Invented CPU 8-core"
        (repo_copy / "results" / new).mkdir(exist_ok=True)
        (repo_copy / "results" / new / f"{doc['example']}.json").write_text(json.dumps(doc))
    written = sorted((repo_copy / "results" / new).glob("*.json"))
    assert [p.stem for p in written] == ["crossover", "matmul"]

    out = _run("-m", "whygpu", "validate", *map(str, written), cwd=repo_copy)
    assert out.stdout.count("ok ") == 2
    _run("-m", "whygpu", "figures", cwd=repo_copy)

    figures = repo_copy / "docs" / "assets" / "figures"
    # every machine is compared on the Results page ...
    rows = (figures / "comparison-table.md").read_text().splitlines()
    assert any(new in row and "Invented CPU 8-core" in row for row in rows)
    assert new in (figures / "roofline.caption.md").read_text()
    assert new in (figures / "roofline.svg").read_text()
    assert new in (figures / "crossover-table.md").read_text()
    results_page = (figures / "results-table.md").read_text()
    assert f"## {new}" in results_page
    assert f"results/{new}/matmul.json" in results_page
    # ... while an example's figure shows the reference machine the rule picks, and names it
    shown = reference_machine(files.load_all(repo_copy / "results"), "matmul")
    caption = (figures / "matmul.caption.md").read_text().replace("\\", "")
    assert f"reference machine, {shown}" in caption


def test_the_guide_and_the_pull_request_template_cover_both_paths(root):
    guide = (root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in (
        "nox -s new_example --",
        "nox -s check_examples",
        "--machine",
        "nox -s validate",
    ):
        assert command in guide, f"CONTRIBUTING.md does not show `{command}`"
    assert '--8<-- "CONTRIBUTING.md"' in (root / "docs" / "contributing.md").read_text()
    # the thresholds it quotes are the checker's own
    assert f"fewer than {examplecheck.MIN_PROSE_WORDS} words" in guide
    assert f"fewer than {examplecheck.MIN_SIZES} sizes" in guide
    template = (root / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "nox -s validate" in template and "Validation output" in template


@pytest.mark.slow
def test_the_site_shows_the_guide(built_site):
    page = (built_site / "contributing" / "index.html").read_text(encoding="utf-8")
    assert 'id="add-an-example-page"' in page and 'id="add-your-machines-results"' in page
