"""A real SIGKILL mid-sweep, then a rerun: the results end complete, valid and as before."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from whygpu.store import files as results

SLOW_TOY = """
import time
from whygpu.contract import Work

TITLE = "slow toy"
SIZE_LABEL = "n"
BENCHMARK_VERSION = 1
METRIC = "flops"
VARIANTS = ["a", "b"]
SIZES = {"quick": [1, 2, 3, 4, 5], "full": [1, 2, 3, 4, 5]}

def work(size, variant):
    return Work(flops=1e6 * size, bytes_moved=1e3 * size)

def workload(size, device, variant):
    return lambda: time.sleep(0.002 * size)
"""


def _run(tmp_path):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "whygpu",
            "run",
            "--examples",
            str(tmp_path / "examples"),
            "--results",
            str(tmp_path / "results"),
            "--machine",
            "test-machine",
            "--threads",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow  # a whole sweep, twice
def test_sigkill_mid_sweep_then_rerun_completes(tmp_path):
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "slowtoy.py").write_text(textwrap.dedent(SLOW_TOY))
    folder = tmp_path / "results" / "test-machine"
    partial = folder / ".slowtoy.cpu.partial.json"

    proc = _run(tmp_path)
    deadline = time.monotonic() + 120
    while not partial.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    assert partial.exists(), "the sweep saved no progress before finishing"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    assert not (folder / "slowtoy.json").exists(), "a killed first run published a results file"
    done = json.loads(partial.read_text())["runs"][0]["points"]  # valid JSON despite the kill
    assert 1 <= len(done) < 10

    rerun = _run(tmp_path)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    assert "reused from an earlier run" in out
    doc = results.load(folder / "slowtoy.json")
    points = [(p["variant"], p["size"]) for p in doc["runs"][0]["points"]]
    assert points == [(v, s) for s in (1, 2, 3, 4, 5) for v in "ab"]  # size by size
    assert not partial.exists()
    assert not list(folder.glob(".*.tmp")), "a temporary file was left behind"
