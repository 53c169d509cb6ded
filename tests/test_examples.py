"""Each example honours the contract and produces real output on the CPU."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest
import torch

from whygpu import examples
from whygpu.workload import Work


@pytest.fixture(scope="module")
def all_examples(root):
    found = examples.discover(root / "examples")
    assert found, "no examples found"
    return {e.slug: e for e in found}


def test_every_example_gives_work_for_every_size(all_examples):
    for example in all_examples.values():
        for profile in examples.PROFILES:
            for size in example.sizes(profile):
                cost = example.work(size)
                assert isinstance(cost, Work)
                assert cost.flops > 0 or cost.bytes_moved > 0


def test_importing_an_example_runs_nothing_heavy(root):
    code = (
        "import time, sys; t = time.perf_counter();"
        "from whygpu import examples; examples.load(sys.argv[1]);"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root / "examples" / "conv2d.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip(), "printed nothing"
    assert "hand-computed" not in out.stdout, "importing ran the example's main block"


def test_conv2d_workload_computes_the_right_shape(all_examples):
    conv = all_examples["conv2d"]
    call = conv.workload(16, torch.device("cpu"))
    y = call()
    assert tuple(y.shape) == (conv.module.BATCH, conv.module.CHANNELS, 16, 16)
    assert torch.isfinite(y).all()
    cost = conv.work(16)
    assert cost.flops == 2 * conv.module.BATCH * conv.module.CHANNELS**2 * 16 * 16 * 9


def test_conv2d_outputs_are_independent(all_examples):
    assert all_examples["conv2d"].module.check_independence() < 1e-3


def test_conv2d_main_reports_a_real_timing(all_examples):
    result = all_examples["conv2d"].module.main(size=16)
    assert math.isfinite(result["median_s"]) and result["median_s"] > 0
    assert math.isfinite(result["gflops"]) and result["gflops"] > 0


def test_conv2d_runs_standalone(root):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    out = subprocess.run(
        [sys.executable, str(root / "examples" / "conv2d.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    assert re.search(r"median \d+\.\d+ ms per call .* = \d+\.\d+ GFLOP/s", out.stdout), out.stdout
    assert "output 8x64x64x64" in out.stdout
