"""The CPU peak estimate's factors, and the self-check's products (correctness, not speed)."""

from __future__ import annotations

import shutil

import pytest
import torch

from whygpu import cpu_peak, selfcheck


@pytest.mark.parametrize(
    "info, expected",
    [
        (
            {
                "flags": "fpu avx avx2 fma avx512f",
                "vendor_id": "AuthenticAMD",
                "cpu family": "25",
                "model": "17",
            },
            32,
        ),
        (
            {
                "flags": "avx avx2 fma avx512f",
                "vendor_id": "GenuineIntel",
                "cpu family": "6",
                "model": "143",
            },
            64,
        ),
        ({"flags": "avx avx2 fma", "vendor_id": "GenuineIntel", "cpu family": "6"}, 32),
        (
            {
                "flags": "avx avx2 fma",
                "vendor_id": "AuthenticAMD",
                "cpu family": "23",
                "model": "1",
            },
            16,
        ),
        ({"flags": "sse sse2 avx", "vendor_id": "GenuineIntel", "cpu family": "6"}, 16),
        ({"flags": "sse sse2", "vendor_id": "GenuineIntel", "cpu family": "6"}, 8),
    ],
)
def test_flops_per_cycle_follows_the_vector_isa(info, expected):
    factor = cpu_peak.flops_per_cycle(info, machine="x86_64")
    assert factor.value == expected
    assert factor.how


def test_peak_is_the_product_of_its_factors():
    peak = cpu_peak.CpuPeak(
        cpu_peak.Factor(4, "a"), cpu_peak.Factor(32, "b"), cpu_peak.Factor(3e9, "c")
    )
    assert peak.flops == 4 * 32 * 3e9


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler to build the clock probe")
def test_measured_clock_is_a_plausible_frequency():
    clock = cpu_peak.measured_clock(1, adds=40_000_000)
    assert clock is not None
    assert 0.3e9 < clock.value < 7e9, clock


def test_selfcheck_backends_compute_the_same_product():
    torch.manual_seed(0)
    outputs = []
    for fn in selfcheck.gemm_backends(64).values():
        out = fn()
        outputs.append(out.to_dense() if out.is_mkldnn else out)
    assert len(outputs) >= 1
    for out in outputs[1:]:
        torch.testing.assert_close(out, outputs[0], rtol=1e-4, atol=1e-3)
