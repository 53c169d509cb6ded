"""GPU paths: run only where torch sees a CUDA or MPS device (skipped with the reason elsewhere)."""

from __future__ import annotations

import pytest

from whygpu.measure.devices import best_device, gpu_device
from whygpu.measure.timing import TimingPlan, measure

pytestmark = pytest.mark.gpu


def test_gpu_timing_synchronizes():
    import torch

    device = gpu_device()
    x = torch.randn(2048, 2048, device=device)
    t = measure(
        lambda: x @ x, device, num_threads=1, plan=TimingPlan(min_run_time=0.05, min_blocks=5)
    )
    # 2 * 2048^3 FLOPs cannot finish in under 1 microsecond on any GPU that exists:
    # a faster median means the clock did not wait for the kernels.
    assert t.median_s > 1e-6
    assert best_device() == device
