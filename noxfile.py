"""Sessions for Why GPUs?: `nox -l` lists them, `nox -s NAME` runs one.

torch is installed unpinned, so a machine with a GPU gets its normal CUDA build. To pin it (as
CI does, with the CPU build), point pip at a constraints file: PIP_CONSTRAINT=.ci/constraints.txt.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import nox

ROOT = Path(__file__).parent

# The floor: nox.project.dependency_groups (below) arrived in 2025.02.09; .ci/run installs it too.
nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"
nox.options.sessions = ["lint", "tests"]

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
#: The package with its optional dependencies (pyproject.toml's `full` extra): every session that
#: measures or tests gets the richest records; only a bare GPU environment runs without them.
PACKAGE = ".[full]"


def _groups(*names: str) -> list[str]:
    return [req for name in names for req in nox.project.dependency_groups(PYPROJECT, name)]


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
    session.install(PACKAGE, *_groups("test"))
    session.run("pytest", *SPREAD, *session.posargs, env=_env())


@nox.session
def fast(session: nox.Session) -> None:
    """The inner loop: every test but the browser and the slow ones (site build, whole runs).

    It spreads the tests over the cores (pytest-xdist; `-- -n 0` runs them in one process).
    `nox -R -s fast` reuses the environment (no install); extra arguments go to pytest.
    """
    # editable: `nox -R` skips installing, and must still test the code as it is now
    session.install("-e", PACKAGE, *_groups("test"))
    session.run("pytest", "-m", FAST, *SPREAD, *session.posargs, env=_env())


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site (--strict) into site/; `nox -s docs -- serve` serves it at 127.0.0.1:8000."""
    session.install(PACKAGE, *_groups("docs"))
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
    session.install(PACKAGE, *_groups("bench"))
    session.run(
        "python", "-m", "whygpu", "run", "--accelerator", "all", *session.posargs, env=_env()
    )
    session.run("python", "-m", "whygpu", "figures", env=_env())


@nox.session
def selfcheck(session: nox.Session) -> None:
    """Check the harness: FP32 matmul GFLOP/s vs a perf_counter loop vs the CPU's peak."""
    session.install(PACKAGE)
    session.run("python", "-m", "whygpu", "selfcheck", *session.posargs, env=_env())


@nox.session
def measure_perf(session: nox.Session) -> None:
    """How fast the Measure page's kernels are here: WebAssembly against torch on one thread."""
    session.install(PACKAGE, *_groups("test"))
    session.run("python", "tests/site/measure_perf.py", env=_env())


@nox.session
def figures(session: nox.Session) -> None:
    """Redraw every figure from the committed results alone (no torch, no measuring)."""
    session.install("--no-deps", ".")
    session.install(*_groups("figures"))
    session.run("python", "-m", "whygpu", "figures", *session.posargs, env=_env())


@nox.session
def figures_scale(session: nox.Session) -> None:
    """Benchmark: redraw every figure for 100 synthetic machines; report time and file sizes."""
    session.install("--no-deps", ".")
    session.install(*_groups("figures"))
    session.run("python", "tests/fixtures/scale.py", *(session.posargs or ["100"]), env=_env())


@nox.session
def validate(session: nox.Session) -> None:
    """Check every results file (or the files and folders given) against the results schema."""
    session.install("--no-deps", ".")
    session.install(*_groups("store"))
    session.run("python", "-m", "whygpu", "validate", *session.posargs)


@nox.session
def new_example(session: nox.Session) -> None:
    """Write examples/SLUG.py from the template: `nox -s new_example -- SLUG`."""
    if len(session.posargs) != 1:
        session.error(
            "usage: nox -s new_example -- SLUG   (for example: nox -s new_example -- softmax)"
        )
    session.install("--no-deps", ".")
    session.run("python", "-m", "whygpu", "new-example", *session.posargs)


@nox.session
def check_examples(session: nox.Session) -> None:
    """Run the checks every example must pass (prose, sweep, work, figure, standalone run)."""
    session.install(PACKAGE, *_groups("examples", "review"))
    session.run("python", "-m", "whygpu", "check-examples", *session.posargs, env=_env())


@nox.session
def check_pages(session: nox.Session) -> None:
    """Run the rules every concept page keeps (snippet, alt text, Run it yourself, facts)."""
    session.install("--no-deps", ".")
    session.install(*_groups("review"))
    session.run("python", "-m", "whygpu", "check-pages", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint and format) and the import contract (the layers, in pyproject.toml)."""
    session.install("--no-deps", ".")
    session.install(*_groups("lint", "figures"))  # figures: pydantic, numpy, matplotlib for mypy
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
