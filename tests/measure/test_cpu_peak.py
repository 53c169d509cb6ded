"""The CPU peak estimate's factors, and the self-check's products (correctness, not speed)."""

from __future__ import annotations

import importlib.util

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
    factor = cpu_peak.table_flops_per_cycle(info, machine="x86_64")
    assert factor.value == expected
    assert factor.how


def test_peak_is_the_product_of_its_factors():
    peak = cpu_peak.CpuPeak(
        cpu_peak.Factor(4, "a"), cpu_peak.Factor(32, "b"), cpu_peak.Factor(3e9, "c")
    )
    assert peak.flops == 4 * 32 * 3e9


needs_llvmlite = pytest.mark.skipif(
    importlib.util.find_spec("llvmlite") is None, reason="llvmlite (the probes' JIT) is missing"
)


@needs_llvmlite
def test_measured_clock_is_a_plausible_frequency():
    clock = cpu_peak.measured_clock(1, os_max_hz=None)
    if clock is None:
        pytest.skip("the multiply-chain clock is only known for x86-64")
    assert 0.3e9 < clock.value < 6.5e9, clock
    assert "no maximum clock" in clock.how


@needs_llvmlite
def test_a_clock_far_above_the_os_maximum_is_rejected():
    clock = cpu_peak.measured_clock(1, os_max_hz=0.2e9)  # an OS that says 200 MHz at most
    if clock is None:
        pytest.skip("the multiply-chain clock is only known for x86-64")
    assert clock.value == 0.2e9
    assert "rejected" in clock.how


@needs_llvmlite
def test_a_clock_outside_physical_bounds_is_an_error(monkeypatch):
    monkeypatch.setattr(cpu_peak, "IMUL_LATENCY_CYCLES", 300)  # as if a multiply took 300 cycles
    if cpu_peak.platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the multiply-chain clock is only known for x86-64")
    with pytest.raises(cpu_peak.PeakError, match="GHz, outside"):
        cpu_peak.measured_clock(1, os_max_hz=None)


@needs_llvmlite
def test_fma_units_are_counted_and_checked_against_the_clock():
    table = cpu_peak.table_flops_per_cycle()
    lanes = cpu_peak.lanes()
    clock = cpu_peak.measured_clock(1, None) or cpu_peak.Factor(3e9, "assumed")
    factor = cpu_peak.measured_flops_per_cycle(1, clock.value, table)
    assert factor is not None
    assert lanes * 2 * 0.5 <= factor.value <= lanes * 2 * cpu_peak.MAX_FMA_UNITS
    with pytest.raises(cpu_peak.PeakError, match="must be wrong"):
        cpu_peak.measured_flops_per_cycle(1, 1e6, table)  # a 1 MHz clock: impossible units


def test_selfcheck_backends_compute_the_same_product():
    torch.manual_seed(0)
    outputs = []
    for fn in selfcheck.gemm_backends(64).values():
        out = fn()
        outputs.append(out.to_dense() if out.is_mkldnn else out)
    assert len(outputs) >= 1
    for out in outputs[1:]:
        torch.testing.assert_close(out, outputs[0], rtol=1e-4, atol=1e-3)
