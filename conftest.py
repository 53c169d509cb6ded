"""pytest's root plugin: it applies to README.md and docs/ as well as tests/ (whose own conftest
holds the fixtures)."""

from __future__ import annotations

import subprocess

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing bash block of README or docs says what it ran and what it printed.

    pytest-codeblocks (0.18) reports such a failure as the bare exit status, an int, which
    hides the output and which pytest-xdist cannot send back from a worker (an INTERNALERROR
    that stops the run)."""
    report = yield
    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, subprocess.CalledProcessError) and isinstance(report.longrepr, int):
        output = (error.stdout or b"").decode(errors="replace")[-2000:]
        errors = (error.stderr or b"").decode(errors="replace")[-3000:]
        report.longrepr = (
            f"{item.nodeid}: the block exited with status {error.returncode}:\n"
            f"{error.cmd}\n--- its output:\n{output}\n--- its errors:\n{errors}"
        )
    return report
