"""The CPU peak estimate's factors, and the self-check's products (correctness, not speed)."""

from __future__ import annotations

import importlib.util
import math

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


# -- readings to factors: the arithmetic, fed readings (no timing) ---------------------------

TABLE = cpu_peak.Factor(64, "ISA table: 2 FMA units x 16 lanes x 2")


def test_the_clock_is_the_multiply_rate_times_its_latency():
    clock = cpu_peak.clock_from(1.0e9, cores=2, os_max_hz=None)
    assert clock.value == pytest.approx(1.0e9 * cpu_peak.IMUL_LATENCY_CYCLES)
    assert "no maximum clock" in clock.how


def test_a_clock_within_the_os_maximum_is_kept_and_compared():
    os_max = 3.2e9
    muls = os_max / cpu_peak.IMUL_LATENCY_CYCLES  # reads exactly the OS's maximum
    clock = cpu_peak.clock_from(muls, cores=2, os_max_hz=os_max)
    assert clock.value == pytest.approx(os_max)
    assert "+0%" in clock.how
    slightly_high = muls * (1 + cpu_peak.OS_MAX_SLACK / 2)
    assert cpu_peak.clock_from(slightly_high, 2, os_max).value > os_max


def test_a_clock_far_above_the_os_maximum_is_replaced_by_it():
    os_max = 2.0e9
    muls = os_max * (1 + 2 * cpu_peak.OS_MAX_SLACK) / cpu_peak.IMUL_LATENCY_CYCLES
    clock = cpu_peak.clock_from(muls, cores=2, os_max_hz=os_max)
    assert clock.value == os_max
    assert "rejected" in clock.how


@pytest.mark.parametrize("hz", [0.1e9, 9.0e9])
def test_a_clock_outside_physical_bounds_is_an_error(hz):
    with pytest.raises(cpu_peak.PeakError, match="GHz, outside"):
        cpu_peak.clock_from(hz / cpu_peak.IMUL_LATENCY_CYCLES, cores=1, os_max_hz=None)


@pytest.mark.parametrize(
    "fmas_per_cycle, units",
    [
        (2.0, 2),  # two units, busy every cycle
        (0.97, 1),  # one unit, a little lost to interruptions
        (2.2, 2),  # within the tolerance above two
        (3.9, 4),  # Apple's four units
    ],
)
def test_fmas_per_cycle_near_a_whole_number_count_that_many_units(fmas_per_cycle, units):
    clock, width = 3.0e9, 16
    factor = cpu_peak.flops_per_cycle_from(fmas_per_cycle * clock, clock, width, 2, TABLE)
    assert factor.value == units * width * 2
    assert f"{units} FMA units x {width} lanes" in factor.how


@pytest.mark.parametrize("fmas_per_cycle", [1.59, 1.5, 0.4])
def test_fmas_per_cycle_between_whole_numbers_are_kept_as_read(fmas_per_cycle):
    clock, width = 3.0e9, 8
    factor = cpu_peak.flops_per_cycle_from(fmas_per_cycle * clock, clock, width, 2, TABLE)
    assert factor.value == pytest.approx(fmas_per_cycle * width * 2)
    assert "not a whole number" in factor.how


def test_units_that_agree_with_the_isa_table_say_nothing_more():
    clock = 3.0e9
    agrees = cpu_peak.flops_per_cycle_from(2.0 * clock, clock, 16, 2, TABLE)
    differs = cpu_peak.flops_per_cycle_from(1.0 * clock, clock, 16, 2, TABLE)
    assert "ISA table" not in agrees.how
    assert differs.value == 32 and "the ISA table says 64" in differs.how


def test_more_fma_units_than_any_core_has_means_the_clock_is_wrong():
    too_many = cpu_peak.MAX_FMA_UNITS * 1.2
    with pytest.raises(cpu_peak.PeakError, match="must be wrong"):
        cpu_peak.flops_per_cycle_from(too_many * 3.0e9, 3.0e9, 16, 1, TABLE)


def test_the_estimate_multiplies_what_the_probes_read(monkeypatch):
    monkeypatch.setattr(cpu_peak, "probe_multiplies", lambda cores: 1.0e9)  # 3 GHz
    monkeypatch.setattr(cpu_peak, "probe_fmas", lambda cores: 1.98 * 3.0e9)  # two units
    monkeypatch.setattr(cpu_peak, "lanes", lambda *a, **k: 16)
    monkeypatch.setattr(cpu_peak, "table_flops_per_cycle", lambda *a, **k: TABLE)
    monkeypatch.setattr(cpu_peak.hardware, "max_clock_hz", lambda: 3.5e9)
    peak = cpu_peak.estimate(cores=4)
    assert peak.cores.value == 4
    assert peak.clock_hz.value == pytest.approx(3.0e9)
    assert peak.flops_per_cycle.value == 64
    assert peak.flops == pytest.approx(4 * 64 * 3.0e9)
    assert peak.record()["flops"] == peak.flops


def test_without_probes_the_estimate_takes_the_os_clock_and_the_isa_table(monkeypatch):
    monkeypatch.setattr(cpu_peak, "probe_multiplies", lambda cores: None)
    monkeypatch.setattr(cpu_peak, "probe_fmas", lambda cores: None)
    monkeypatch.setattr(cpu_peak, "table_flops_per_cycle", lambda *a, **k: TABLE)
    monkeypatch.setattr(cpu_peak.hardware, "max_clock_hz", lambda: 3.5e9)
    peak = cpu_peak.estimate(cores=2)
    assert peak.clock_hz.value == 3.5e9 and "not measured" in peak.clock_hz.how
    assert peak.flops_per_cycle == TABLE
    monkeypatch.setattr(cpu_peak.hardware, "max_clock_hz", lambda: None)
    monkeypatch.setattr(cpu_peak.hardware, "nominal_clock_hz", lambda: None)
    with pytest.raises(cpu_peak.PeakError, match="cannot tell the CPU clock"):
        cpu_peak.estimate(cores=2)


# -- the probes themselves: they read something, whatever the machine is doing ---------------

needs_llvmlite = pytest.mark.skipif(
    importlib.util.find_spec("llvmlite") is None, reason="llvmlite (the probes' JIT) is missing"
)


@needs_llvmlite
def test_the_probes_read_finite_positive_rates():
    fmas = cpu_peak.probe_fmas(1)
    assert fmas is not None and math.isfinite(fmas) and fmas > 0
    muls = cpu_peak.probe_multiplies(1)
    if cpu_peak.platform.machine() in ("x86_64", "AMD64"):
        assert muls is not None and math.isfinite(muls) and muls > 0
    else:
        assert muls is None, "the multiply latency is only known for x86-64"


def test_selfcheck_backends_compute_the_same_product():
    torch.manual_seed(0)
    outputs = []
    for fn in selfcheck.gemm_backends(64).values():
        out = fn()
        outputs.append(out.to_dense() if out.is_mkldnn else out)
    assert len(outputs) >= 1
    for out in outputs[1:]:
        torch.testing.assert_close(out, outputs[0], rtol=1e-4, atol=1e-3)


def _noisy(monkeypatch, clocks_ghz, fmas_per_cycle):
    """Probes that read the given clocks (GHz) and FMAs a cycle in turn, round and round."""
    muls = iter([ghz * 1e9 / 3 for ghz in clocks_ghz] * 20)
    fmas = iter(list(fmas_per_cycle) * 20)
    state = {"clock": 3.0e9}

    def probe_fmas(cores):
        return next(fmas) * state["clock"]

    def probe_multiplies(cores):
        value = next(muls)
        state["clock"] = value * 3
        return value

    monkeypatch.setattr(cpu_peak, "probe_multiplies", probe_multiplies)
    monkeypatch.setattr(cpu_peak, "probe_fmas", probe_fmas)
    monkeypatch.setattr(cpu_peak, "lanes", lambda *a, **k: 16)
    monkeypatch.setattr(cpu_peak, "table_flops_per_cycle", lambda *a, **k: TABLE)
    monkeypatch.setattr(cpu_peak.hardware, "max_clock_hz", lambda: None)


def test_ten_estimates_from_noisy_probes_give_one_peak(monkeypatch):
    """Readings as this site's Zen 4 gave them (3.659 to 3.670 GHz, one call's readings all
    dipped to 3.62 by another process; FMAs a cycle 0.997 to 1.002): the highest clock rounded
    down to 100 MHz and whole units make one peak every time."""
    clocks = [3.6594, 3.6696, 3.6607, 3.666, 3.6703, 3.62, 3.621, 3.619, 3.622, 3.62, 3.6669]
    _noisy(monkeypatch, clocks, [1.002, 0.997])
    peaks = {cpu_peak.estimate(2).flops for _ in range(10)}
    assert peaks == {2 * 32 * 3.6e9}


def test_a_probe_between_two_unit_counts_is_read_again_until_it_settles(monkeypatch):
    _noisy(monkeypatch, [3.0], [1.59, 1.61, 1.98])
    peak = cpu_peak.estimate(2)
    assert peak.flops_per_cycle.value == 64 and peak.flops_per_cycle.whole


def test_a_probe_that_never_settles_gives_way_to_the_isa_table_and_says_so(monkeypatch):
    _noisy(monkeypatch, [3.0], [1.59])
    per_cycle = cpu_peak.estimate(2).flops_per_cycle
    assert per_cycle.value == TABLE.value
    assert "never a whole number of units" in per_cycle.how and "1.59, 1.59" in per_cycle.how
