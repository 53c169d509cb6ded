"""Sessions for Why GPUs?: `nox -l` lists them, `nox -s NAME` runs one.

torch is installed unpinned, so a machine with a GPU gets its normal CUDA build. To pin it (as
CI does, with the CPU build), point pip at a constraints file: PIP_CONSTRAINT=.ci/constraints.txt.

Each session keeps its environment (.nox/NAME) between calls and installs into it only when what
it installs has changed (pyproject.toml, the session's requirements, the constraints file): the
package is installed editable, so the code is always the checkout's own. `nox -R` skips the check
as well; `nox --reuse-venv=never` builds every environment afresh.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

import nox

ROOT = Path(__file__).parent

# The floor: nox.project.dependency_groups (below) arrived in 2025.02.09; .ci/run installs it too.
nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = ["lint", "tests"]
nox.options.reuse_venv = "yes"  # keep .nox/NAME; _install below installs only what changed

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
#: The package with its optional dependencies (pyproject.toml's `full` extra): every session that
#: measures or tests gets the richest records; only a bare GPU environment runs without them.
PACKAGE = ".[full]"


def _groups(*names: str) -> list[str]:
    return [req for name in names for req in nox.project.dependency_groups(PYPROJECT, name)]


def _install(session: nox.Session, *args: str) -> None:
    """`session.install(*args)`, skipped where this environment installed the same thing before
    and pyproject.toml and the constraints file are unchanged since: installing what pip finds
    current still takes about a minute on two cores. The package goes in editable (`-e .`), so
    a skip never leaves an older copy of the code."""
    constraint = os.environ.get("PIP_CONSTRAINT", "")
    what = "\0".join((*args, constraint)).encode()
    wanted = hashlib.sha256(what)
    for path in (ROOT / "pyproject.toml", Path(constraint) if constraint else None):
        if path and path.is_file():
            wanted.update(path.read_bytes())
    venv = Path(getattr(session.virtualenv, "location", None) or ROOT / ".nox")
    stamp = venv / f".whygpu-installed-{hashlib.sha256(what).hexdigest()[:12]}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted.hexdigest():
        session.log(f"pip install {' '.join(args)[:60]}...: done before, nothing changed since")
        return
    session.install(*args)
    if venv.is_dir():
        stamp.write_text(wanted.hexdigest(), encoding="utf-8")


def _env() -> dict[str, str]:
    return {"NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"}


#: The inner loop leaves out the browser and every slow test: the site build, whole examples,
#: sweeps, training, drawing every figure (tests/conftest.py marks each test that uses the built
#: site or every rendered figure as slow, and each one that uses chromium as browser).
FAST = "not slow and not browser"


#: Spread the tests over the cores (pytest-xdist); `worksteal` lets an idle worker take tests
#: queued on a busy one, since a few tests take a minute and most a fraction of a second.
SPREAD = ["-n", "auto", "--dist", "worksteal"]


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite: unit, snippets, example smoke runs, site build, browser.

    It spreads the tests over the cores, as `fast` does (`-- -n 0`: one process).
    """
    _install(session, "-e", PACKAGE, *_groups("test"))
    session.run("pytest", *SPREAD, *session.posargs, env=_env())


@nox.session
def fast(session: nox.Session) -> None:
    """The inner loop: every test but the browser and the slow ones (site build, whole runs).

    It spreads the tests over the cores (pytest-xdist; `-- -n 0` runs them in one process).
    `nox -R -s fast` reuses the environment (no install); extra arguments go to pytest.
    """
    _install(session, "-e", PACKAGE, *_groups("test"))
    session.run("pytest", "-m", FAST, *SPREAD, *session.posargs, env=_env())


def _example_tests(slug: str) -> list[str]:
    """What an example's contributor can break, as pytest arguments: its own test file, the
    contract every example keeps (the smoke run of its main alone, of the eight), its figures
    against its results, and its page in a strict build of the site (tests/site, built once; the
    other pages' runs come from .cache/mkdocs-jupyter)."""
    return [
        f"tests/examples/test_example_{slug}.py",
        "tests/examples/test_examples.py",
        "tests/report/test_build.py::test_committed_figures_match_the_results",
        "tests/site/test_site.py::test_every_example_is_a_page_with_code_output_and_figure",
        "tests/site/test_workload_code.py",
        "tests/review/test_concept_pages.py",
        "-k",
        f"{slug} or not (test_main_names or test_the_block_holds)",
    ]


@nox.session
def example(session: nox.Session) -> None:
    """One example's tests, checks and page: `nox -s example -- SLUG` (minutes, not the suite's
    eight); `nox -R -s example -- SLUG` again skips even the install check. `nox -s tests`
    stays the gate."""
    if len(session.posargs) != 1 or not (ROOT / "examples" / f"{session.posargs[0]}.py").is_file():
        session.error("usage: nox -s example -- SLUG   (SLUG: an examples/SLUG.py that exists)")
    slug = session.posargs[0]
    _install(session, "-e", PACKAGE, *_groups("test"))
    session.run("python", "-m", "whygpu", "check-examples", f"examples/{slug}.py", env=_env())
    session.run("python", "-m", "whygpu", "check-pages", env=_env())
    session.run("pytest", *SPREAD, *_example_tests(slug), env=_env())


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site (--strict) into site/; `nox -s docs -- serve` serves it at 127.0.0.1:8000."""
    _install(session, "-e", PACKAGE, *_groups("docs"))
    if session.posargs and session.posargs[0] == "serve":
        session.run(
            "mkdocs", "serve", "--strict", "-a", "127.0.0.1:8000", *session.posargs[1:], env=_env()
        )
    else:
        start = time.perf_counter()
        session.run("mkdocs", "build", "--strict", *session.posargs, env=_env())
        took = time.perf_counter() - start
        session.log(
            f"site built in {ROOT / 'site'} in {took:.0f} s; serve it with: nox -s docs -- serve"
        )


@nox.session
def benchmarks(session: nox.Session) -> None:
    """Measure the examples on the CPU, then on the GPU where there is one; redraw the figures.

    Extra arguments go to `whygpu run` (`--full`, `--only conv2d`, `--force`, ...). Without a
    CUDA or MPS device the GPU part is skipped, saying why; `-- --require-gpu` makes that an
    error. One environment serves both parts.
    """
    _install(session, "-e", PACKAGE, *_groups("bench"))
    session.run(
        "python", "-m", "whygpu", "run", "--accelerator", "all", *session.posargs, env=_env()
    )
    session.run("python", "-m", "whygpu", "figures", env=_env())


@nox.session
def selfcheck(session: nox.Session) -> None:
    """Check the harness: FP32 matmul GFLOP/s vs a perf_counter loop vs the CPU's peak."""
    _install(session, "-e", PACKAGE)
    session.run("python", "-m", "whygpu", "selfcheck", *session.posargs, env=_env())


@nox.session
def measure_perf(session: nox.Session) -> None:
    """How fast the Measure page's kernels are here: WebAssembly against torch on one thread."""
    _install(session, "-e", PACKAGE, *_groups("test"))
    session.run("python", "tests/site/measure_perf.py", env=_env())


@nox.session
def figures(session: nox.Session) -> None:
    """Redraw every figure from the committed results alone (no torch, no measuring)."""
    _install(session, "--no-deps", "-e", ".")
    _install(session, *_groups("figures"))
    session.run("python", "-m", "whygpu", "figures", *session.posargs, env=_env())


@nox.session
def figures_scale(session: nox.Session) -> None:
    """Benchmark: redraw every figure for 100 synthetic machines; report time and file sizes."""
    _install(session, "--no-deps", "-e", ".")
    _install(session, *_groups("figures"))
    session.run("python", "tests/fixtures/scale.py", *(session.posargs or ["100"]), env=_env())


@nox.session
def validate(session: nox.Session) -> None:
    """Check every results file (or the files and folders given) against the results schema."""
    _install(session, "--no-deps", "-e", ".")
    _install(session, *_groups("store"))
    session.run("python", "-m", "whygpu", "validate", *session.posargs)


@nox.session
def new_example(session: nox.Session) -> None:
    """Write examples/SLUG.py and tests/examples/test_example_SLUG.py from the templates:
    `nox -s new_example -- SLUG`."""
    if len(session.posargs) != 1:
        session.error(
            "usage: nox -s new_example -- SLUG   (for example: nox -s new_example -- softmax)"
        )
    _install(session, "--no-deps", "-e", ".")
    session.run("python", "-m", "whygpu", "new-example", *session.posargs)


@nox.session
def check_examples(session: nox.Session) -> None:
    """Run the checks every example must pass (prose, sweep, work, figure, its test file, the
    facts it quotes, standalone run)."""
    _install(session, "-e", PACKAGE, *_groups("examples", "review"))
    session.run("python", "-m", "whygpu", "check-examples", *session.posargs, env=_env())


@nox.session
def check_pages(session: nox.Session) -> None:
    """Run the rules every concept page keeps (snippet, alt text, Run it yourself, facts)."""
    _install(session, "--no-deps", "-e", ".")
    _install(session, *_groups("review"))
    session.run("python", "-m", "whygpu", "check-pages", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and the import contract (the layers, in pyproject.toml)."""
    _install(session, "--no-deps", "-e", ".")
    _install(session, *_groups("lint", "figures"))  # figures: pydantic, numpy, matplotlib for mypy
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")
    session.run("lint-imports", "--no-cache")
    session.run("mypy")


@nox.session(venv_backend="none")
def clean(session: nox.Session) -> None:
    """Remove build outputs (site/, caches); never touches results/ or the committed figures."""
    for path in ("site", ".cache", ".pytest_cache", ".ruff_cache"):
        if (ROOT / path).exists():
            shutil.rmtree(ROOT / path)
            session.log(f"removed {path}")
