"""The CPU peak estimate's factors, and the self-check's products (correctness, not speed)."""

from __future__ import annotations

import shutil

import pytest
import torch

from whygpu.measure import cpu_peak, selfcheck


def _info(flags: str, vendor: str, family: int = 0, model: int = 0) -> dict:
    """A CPU as py-cpuinfo describes one."""
    return {"flags": flags.split(), "vendor_id_raw": vendor, "family": family, "model": model}


@pytest.mark.parametrize(
    "info, expected",
    [
        (_info("fpu avx avx2 fma avx512f", "AuthenticAMD", 25, 17), 32),  # Zen 4
        (_info("avx avx2 fma avx512f", "GenuineIntel", 6, 143), 64),  # Sapphire Rapids
        (_info("avx avx2 fma", "GenuineIntel", 6), 32),
        (_info("avx avx2 fma", "AuthenticAMD", 23, 1), 16),  # Zen 1
        (_info("sse sse2 avx", "GenuineIntel", 6), 16),
        (_info("sse sse2", "GenuineIntel", 6), 8),
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
