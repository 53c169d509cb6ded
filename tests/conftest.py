"""Shared fixtures: the repository root, a built site (built once per run), and a local server."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from filelock import FileLock

from whygpu import __version__
from whygpu.contract.names import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("WHYGPU_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


#: Fixtures that make a test slow or a browser test, whichever test file asks for them: every
#: test that reads the built site or every rendered figure is `slow`, every one that drives
#: chromium is `browser`, so the inner loop (`-m "not slow and not browser"`, `nox -s fast`)
#: never builds the site nor draws every figure.
MARKED_BY_FIXTURE = {
    "built_site": "slow",
    "site_url": "slow",
    "rendered": "slow",
    "chromium_path": "browser",
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.hookimpl(tryfirst=True)  # before any fixture is set up
def pytest_runtest_setup(item):
    """Skip GPU-only tests, with the reason, on machines where torch sees no GPU.

    Asked here, when such a test is about to run, so that collecting imports no torch."""
    if item.get_closest_marker("gpu") is None:
        return
    from whygpu.contract.names import NO_GPU_REASON
    from whygpu.measure.devices import gpu_device

    if gpu_device() is None:
        pytest.skip(NO_GPU_REASON)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _point(size: int, median: float, variant: str = "default") -> dict:
    return {
        "variant": variant,
        "size": size,
        "status": "ok",
        "params": {"dtype": "float32"},
        "flops": 2.0 * size**3,
        "bytes_moved": 12.0 * size**2,
        "items": 0.0,
        "median_s": median,
        "iqr_s": median * 0.05,
        "samples_s": [median * 0.95, median, median * 1.05],
        "calls_per_sample": 10,
        "noisy": False,
        "rounds_s": [median * 0.98, median, median * 1.01],
        "round_spread": 0.03,
        "rounds_disagree": False,
        "wall_s": 0.5,
    }


def _limits() -> dict:
    return {
        "peak": {
            "flops": 8 * 64 * 3e9,
            "cores": {"value": 8, "how": "physical cores"},
            "flops_per_cycle": {"value": 64, "how": "measured: 2 FMA units x 16 lanes x 2"},
            "clock_hz": {"value": 3e9, "how": "measured: dependent multiplies"},
        },
        "memory_bytes_per_s": {"value": 50e9, "how": "measured: triad"},
    }


def _run(accelerator: str = "cpu", device_name: str = "Other CPU", times=(0.002, 0.004)) -> dict:
    gpu = accelerator == "gpu"
    return {
        "accelerator": accelerator,
        "device": "cuda:0" if gpu else "cpu",
        "device_name": device_name,
        "profile": "quick",
        "provenance": {
            "date_utc": "2026-01-01T00:00:00+00:00",
            "git_commit": "0123456789abcdef0123456789abcdef01234567",
            "git_dirty": False,
            "whygpu": __version__,
            "os": "Linux 6.1",
            "python": "3.11.7",
            "torch": "2.5.0",
            "lightning": None,
            "blas": "mkl 2024.2",
            "onednn": "3.5.3",
            "cpu_capability": "AVX512",
            "cpu": {
                "model": "Other CPU",
                "physical_cores": 8,
                "logical_cpus": 16,
                "arch": "x86_64",
                "vendor": "GenuineIntel",
                "family": 6,
                "model_number": 143,
                "microarchitecture": "Sapphire Rapids",
                "isa": ["avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16"],
            },
            "ram_bytes": 2**35,
            "gpu": None,
            "gpu_end": None,
        },
        "settings": {
            "num_threads": 8,
            "flush_denormal": True,
            "tf32_matmul": False if gpu else None,
            "tf32_cudnn": True if gpu else None,
            "cudnn_benchmark": True if gpu else None,
            "matmul_precision": "highest",
            "pinned_memory": None,
        },
        "rounds": 3,
        "load": {
            "busy": False,
            "threshold_cores": 0.25,
            "samples": [
                {
                    "when": "before the sweep",
                    "other_cores": 0.02,
                    "other_threads": 0,
                    "busiest": None,
                }
            ],
        },
        "cpu_limits": None if gpu else _limits(),
        "points": [
            *(_point(size, t) for size, t in zip((8, 16), times, strict=False)),
            {"variant": "default", "size": 32, "status": "skipped", "reason": "out of memory"},
        ],
    }


def results_doc(example: str = "conv2d", machine: str = "other-cpu-8c", runs=None) -> dict:
    """A complete, valid results document, as the runner writes one (every key present)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "example": example,
        "machine": machine,
        "benchmark_version": 1,
        "title": "2-D convolution",
        "size_label": "image side",
        "metric": "flops",
        "item_unit": None,
        "runs": runs if runs is not None else [_run()],
    }


@pytest.fixture
def make():
    """Builders of complete, valid results: `make.doc()`, `make.run()`, `make.point()`."""
    return SimpleNamespace(doc=results_doc, run=_run, point=_point)


@pytest.fixture(scope="session")
def all_examples(root):
    """Every example by slug, imported once for the whole session."""
    from whygpu.contract import examples

    found = examples.discover(root / "examples")
    assert found, "no examples found"
    return {e.slug: e for e in found}


@pytest.fixture(scope="session")
def versions(root):
    """Each example's current BENCHMARK_VERSION."""
    from whygpu.contract import examples

    return examples.current_versions(root / "examples")


@pytest.fixture(scope="session")
def rendered(root, versions):
    """Every generated file as the committed results draw it, rendered once."""
    from whygpu.report import build
    from whygpu.store import files

    return build.render(
        files.load_all(root / "results"), versions, timed=build.timed_runs(root / "results")
    )


def build_site(out: Path, **env: str) -> None:
    """`mkdocs build --strict` of the real docs into `out`, with `env` added; fails on any
    warning, showing mkdocs' own output."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        timeout=600,
    )
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real docs, built once per run for every test that reads the site, also when
    pytest-xdist runs the tests in several processes: the first to ask builds, under a lock in
    the folder all of them share, and the others read its build."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # each worker's base folder sits in the run's own
    out, done = shared / "built-site", shared / "built-site.ok"
    with FileLock(str(shared / "built-site.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)  # a build that failed half-way
            start = time.perf_counter()
            build_site(out)
            BUDGETS["site build, seconds"] = round(time.perf_counter() - start, 1)
            done.touch()
    return out


#: Measured during the run (build time, page weights) and reported at the end, not asserted
#: against the clock: these machines are shared, so a time limit in a test would be noise.
BUDGETS: dict[str, float] = {}
#: Where the browser tests save a full-page screenshot of every view, for a person to look at:
#: only when WHYGPU_SCREENSHOTS names a folder (CI's .ci/run does), since the 80 screenshots take
#: about a minute of a two-core run. The page weights go to ARTIFACTS either way.
SCREENSHOTS = (
    Path(os.environ["WHYGPU_SCREENSHOTS"]) if os.environ.get("WHYGPU_SCREENSHOTS") else None
)
ARTIFACTS = SCREENSHOTS or Path(tempfile.gettempdir()) / "whygpu-screenshots"


def pytest_sessionfinish(session):
    """A pytest-xdist worker hands what it measured to the controlling process."""
    handed = getattr(session.config, "workeroutput", None)
    if handed is not None:
        handed["budgets"] = dict(BUDGETS)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook, on the controlling process
def pytest_testnodedown(node, error):
    BUDGETS.update(getattr(node, "workeroutput", {}).get("budgets", {}))


def pytest_terminal_summary(terminalreporter):
    if not BUDGETS:
        return
    terminalreporter.section("site budgets (measured)")
    for name, value in BUDGETS.items():
        terminalreporter.write_line(f"{name}: {value:,}")
    if ARTIFACTS.exists():
        what = "screenshots and page weights" if SCREENSHOTS else "page weights"
        terminalreporter.write_line(f"{what}: {ARTIFACTS}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: text files gzip-compressed when the client asks."""

    COMPRESS = frozenset({".html", ".css", ".js", ".svg", ".json", ".csv", ".xml", ".txt"})

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().do_GET()  # answers with a redirect to the slash form
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in self.COMPRESS and path.is_file()):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served over HTTP on 127.0.0.1 (an ephemeral port) for the browser tests."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium. Missing is a skip on a laptop but an error under CI=true."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        message = (
            f"no chromium at {CHROMIUM} (install Debian's 'chromium' package, "
            "or set WHYGPU_CHROMIUM)"
        )
        if IN_CI:
            pytest.fail(f"browser tests must run under CI: {message}")
        pytest.skip(message)
    return path


#: How every browser test starts Chromium: headless, no GPU, nothing fetched in the background.
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
    """One Chromium for a test module's pages (Playwright, Debian's chromium)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
