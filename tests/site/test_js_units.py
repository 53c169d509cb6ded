"""The Measure page's JavaScript has unit tests of its own (tests/js/, Node's test runner); this
runs them inside `nox -s tests`, so one command runs everything."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def test_node_unit_tests_pass(root):
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "node is needed for the JavaScript unit tests under CI (.ci/run installs it)"
            )
        pytest.skip("node is not installed: the Measure page's unit tests need it")
    proc = subprocess.run(
        [node, "--test", "tests/js/"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "# fail 0" in proc.stdout and "# pass " in proc.stdout
