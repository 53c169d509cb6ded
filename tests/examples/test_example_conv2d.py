"""conv2d: the right shapes for every variant, independent outputs, a real standalone run."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys

import pytest
import torch


@pytest.fixture(scope="module")
def conv(all_examples):
    return all_examples["conv2d"]


def test_conv2d_variants_compute_the_right_shapes(conv):
    m = conv.module
    cpu = torch.device("cpu")
    forward = conv.workload(16, cpu, "forward")()
    assert tuple(forward.shape) == (m.BATCH, m.CHANNELS, 16, 16)
    assert torch.isfinite(forward).all()
    channels_last = conv.workload(16, cpu, "forward-cl")()
    assert channels_last.is_contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(channels_last, forward, rtol=1e-4, atol=1e-3)
    grad_x, grad_w = conv.workload(16, cpu, "fwd-bwd")()
    assert tuple(grad_x.shape) == (m.BATCH, m.CHANNELS, 16, 16)
    assert tuple(grad_w.shape) == (m.CHANNELS, m.CHANNELS, 3, 3)
    assert torch.isfinite(grad_w).all() and grad_w.abs().sum() > 0
    flops = 2 * m.BATCH * m.CHANNELS**2 * 16 * 16 * 9
    assert conv.work(16, "forward").flops == flops
    assert conv.work(16, "fwd-bwd").flops == 3 * flops


def test_conv2d_outputs_are_independent(conv):
    assert conv.module.check_independence() < 1e-3


def test_conv2d_main_reports_a_real_timing(conv):
    result = conv.module.main(size=16)
    assert math.isfinite(result["median_s"]) and result["median_s"] > 0
    assert math.isfinite(result["gflops"]) and result["gflops"] > 0


@pytest.mark.slow  # runs the whole example
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
