"""The CPU's peak FP32 FLOP/s, derived as physical cores x FLOPs per cycle x clock, each measured.

A fused multiply-add (FMA) is two FLOPs, so a core with two FMA units of 16 FP32 lanes (AVX-512)
retires 2 x 16 x 2 = 64 FLOPs a cycle; SMT siblings share those units and add none. Two probes,
compiled in-process by llvmlite (LLVM's JIT, so no C compiler is needed), measure the factors:

- the clock, from a chain of dependent 64-bit integer multiplies. A multiply takes 3 cycles on
  Intel's big cores since Sandy Bridge and on AMD's Zen cores, and no core shortcuts it (recent
  Intel cores do fold chains of add-immediates, which made an add-based clock read twice too
  fast). Not on every x86-64 core: AMD's low-power Jaguar takes 6 (LLVM's scheduling model,
  https://reviews.llvm.org/D66547), where this probe would read half the clock;
- the FMA units, from 12 independent chains of vector FMAs per core, run on every core at once:
  enough chains to keep every unit busy, so FMAs per cycle is the number of units.

The probes (`probe_multiplies`, `probe_fmas`) only read rates; `clock_from` and
`flops_per_cycle_from` turn readings into factors, checked against physical bounds and the
maximum clock the OS reports. Where a probe cannot run, the factor comes from the ISA and the
OS, and says so.
"""

from __future__ import annotations

import math
import platform
from dataclasses import dataclass
from typing import Any

from whygpu.contract.thresholds import (
    CLOCK_BOUNDS_HZ,
    CLOCK_READINGS,
    CLOCK_STEP_HZ,
    FMA_TRIES,
    IMUL_LATENCY_CYCLES,
    OS_MAX_SLACK,
)
from whygpu.contract.thresholds import FMA_CHAINS as CHAINS
from whygpu.measure import cpu_probes, hardware
from whygpu.measure.hardware import physical_cores

#: No core has more FMA units than this (Apple's performance cores have four 128-bit ones).
MAX_FMA_UNITS = 4
#: FMAs per cycle within this share of a whole number count as that many units.
WHOLE_UNITS_TOLERANCE = 0.12


class PeakError(RuntimeError):
    """The peak cannot be derived; the message says which factor and why."""


@dataclass(frozen=True)
class Factor:
    value: float
    how: str
    whole: bool = True  # False: a reading between two whole numbers of units


@dataclass(frozen=True)
class CpuPeak:
    cores: Factor
    flops_per_cycle: Factor
    clock_hz: Factor

    @property
    def flops(self) -> float:
        return self.cores.value * self.flops_per_cycle.value * self.clock_hz.value

    def record(self) -> dict[str, Any]:
        """The derivation as results files store it."""
        return {
            "flops": self.flops,
            **{
                name: {"value": f.value, "how": f.how}
                for name, f in (
                    ("cores", self.cores),
                    ("flops_per_cycle", self.flops_per_cycle),
                    ("clock_hz", self.clock_hz),
                )
            },
        }


def _flags(info: dict[str, Any]) -> set[str]:
    return {str(f).lower() for f in info.get("flags", []) or []}


def lanes(info: dict[str, Any] | None = None, machine: str | None = None) -> int:
    """FP32 lanes of the widest FMA vector the core has: 16 (AVX-512), 8 (AVX2), else 4."""
    info = hardware.cpu_info() if info is None else info
    machine = machine or platform.machine()
    flags = _flags(info)
    if machine in ("x86_64", "AMD64"):
        if "avx512f" in flags:
            return 16
        if "avx2" in flags or "avx" in flags:
            return 8
    return 4


def table_flops_per_cycle(info: dict[str, Any] | None = None, machine: str | None = None) -> Factor:
    """FP32 FLOPs a core retires per cycle by its ISA, for when the FMA probe cannot run."""
    info = hardware.cpu_info() if info is None else info
    machine = machine or platform.machine()
    width = lanes(info, machine)
    flags = _flags(info)
    vendor = str(info.get("vendor_id_raw") or "")
    family = int(str(info.get("family") or 0))
    model = int(str(info.get("model") or 0))
    if machine in ("arm64", "aarch64") and platform.system() == "Darwin":
        return Factor(32, "Apple performance core (ISA table): 4 NEON FMA units x 4 lanes x 2")
    if machine in ("x86_64", "AMD64") and "fma" not in flags:
        return Factor(width * 2, f"ISA table: no FMA, one {width}-lane add and multiply a cycle")
    if width == 16 and vendor == "AuthenticAMD" and family == 25:
        return Factor(32, "ISA table: AMD Zen 4 runs 512-bit FMAs on two 256-bit units")
    if width == 8 and vendor == "AuthenticAMD" and family == 23 and model < 0x30:
        return Factor(16, "ISA table: AMD Zen 1 has two 128-bit FMA units: 2 x 4 lanes x 2")
    return Factor(2 * width * 2, f"ISA table: assumed 2 FMA units x {width} lanes x 2 FLOPs")


def probe_multiplies(cores: int) -> float | None:
    """Dependent multiplies a second per core (whygpu.measure.cpu_probes), or None."""
    return cpu_probes.multiplies(cores, lanes())


def probe_fmas(cores: int) -> float | None:
    """Vector FMAs a second per core from CHAINS chains (whygpu.measure.cpu_probes), or None."""
    return cpu_probes.fmas(cores, lanes())


def clock_from(muls_per_s: float, cores: int, os_max_hz: float | None) -> Factor:
    """The clock that a reading of dependent multiplies a second implies, rounded down to
    CLOCK_STEP_HZ, checked against physical bounds (an error outside them) and the OS's maximum
    (which wins when the reading is more than OS_MAX_SLACK above it)."""
    hz = math.floor(muls_per_s * IMUL_LATENCY_CYCLES / CLOCK_STEP_HZ) * CLOCK_STEP_HZ
    low, high = CLOCK_BOUNDS_HZ
    if not low <= hz <= high:
        raise PeakError(
            f"the clock probe measured {hz / 1e9:.2f} GHz, outside the {low / 1e9:g}-"
            f"{high / 1e9:g} GHz any CPU runs at: the probe is broken on this CPU"
        )
    if os_max_hz and hz > os_max_hz * (1 + OS_MAX_SLACK):
        return Factor(
            os_max_hz,
            f"the OS's maximum clock (psutil.cpu_freq); the multiply-chain probe read "
            f"{hz / 1e9:.2f} GHz, over {OS_MAX_SLACK:.0%} above it, and was rejected",
        )
    checked = (
        f", {hz / os_max_hz - 1:+.0%} against the OS's maximum"
        if os_max_hz
        else " (the OS reports no maximum clock to check it against)"
    )
    return Factor(
        hz,
        f"measured: dependent 64-bit multiplies ({IMUL_LATENCY_CYCLES} cycles each) ran "
        f"{muls_per_s / 1e9:.3f} G a second on each of {cores} cores at once (the highest of "
        f"{CLOCK_READINGS} readings), {muls_per_s * IMUL_LATENCY_CYCLES / 1e9:.3f} GHz, "
        f"rounded down to {CLOCK_STEP_HZ / 1e6:g} MHz{checked}",
    )


def flops_per_cycle_from(
    fmas_per_s: float, clock_hz: float, width: int, cores: int, table: Factor
) -> Factor:
    """FMA units x lanes x 2 from a reading of `width`-lane FMAs a second per core.

    FMAs per cycle counts the units: more than MAX_FMA_UNITS (with 10% slack) means the clock
    is wrong, an error; within 12% of a whole number, that many units; between two whole
    numbers (throttled or shared cores), the reading itself, said to be no whole number.
    """
    units = fmas_per_s / clock_hz
    if units > MAX_FMA_UNITS * 1.1:
        raise PeakError(
            f"the FMA probe counted {units:.1f} {width}-lane FMAs a cycle per core, more than "
            f"any core's {MAX_FMA_UNITS}: the clock ({clock_hz / 1e9:.2f} GHz) must be wrong"
        )
    whole = max(1, round(units))
    seen = (
        f"{CHAINS} independent {width}-lane FMA chains retired {units:.2f} FMAs a cycle on "
        f"each of {cores} cores at once"
    )
    if abs(units / whole - 1) > WHOLE_UNITS_TOLERANCE:
        return Factor(
            units * width * 2, f"measured: {seen} (not a whole number of units)", whole=False
        )
    expect = "" if whole * width * 2 == table.value else f"; the ISA table says {table.value:g}"
    return Factor(
        whole * width * 2,
        f"measured: {seen}, so {whole} FMA units x {width} lanes x 2 FLOPs{expect}",
    )


def measured_clock(cores: int, os_max_hz: float | None) -> Factor | None:
    """The all-core clock from the highest of CLOCK_READINGS readings of dependent multiplies;
    None where it cannot be measured."""
    readings = []
    for _ in range(CLOCK_READINGS):
        muls = probe_multiplies(cores)
        if muls is None:
            return None
        readings.append(muls)
    return clock_from(max(readings), cores, os_max_hz)


def measured_flops_per_cycle(cores: int, clock_hz: float, table: Factor) -> Factor | None:
    """FMA units x lanes x 2, the units counted by timing independent FMA chains on every core.

    Units are whole: a reading between two counts (a throttled or shared core) is taken again,
    up to FMA_TRIES times; where none settles on a whole number, the ISA table's count stands,
    and says what the probe read."""
    seen = []
    for _ in range(FMA_TRIES):
        fmas = probe_fmas(cores)
        if fmas is None:
            return None
        factor = flops_per_cycle_from(fmas, clock_hz, lanes(), cores, table)
        if factor.whole:
            return factor
        seen.append(fmas / clock_hz)
    read = ", ".join(f"{units:.2f}" for units in seen)
    return Factor(
        table.value,
        f"{table.how}; the FMA probe read {read} FMAs a cycle per core in {FMA_TRIES} tries, "
        "never a whole number of units, so the table's count stands",
    )


def estimate(cores: int | None = None, measure: bool = True) -> CpuPeak:
    """The peak and its derivation; `measure=False` takes every factor from tables and the OS."""
    n = cores or physical_cores()
    core_factor = Factor(n, "physical cores this process may use (psutil); SMT adds no FLOPs")
    os_max = hardware.max_clock_hz()
    clock = measured_clock(n, os_max) if measure else None
    if clock is None:
        hz, which = (os_max, "maximum") if os_max else (hardware.nominal_clock_hz(), "current")
        if hz is None:
            raise PeakError("cannot tell the CPU clock: no clock probe here and none from the OS")
        clock = Factor(hz, f"the OS's {which} clock (psutil.cpu_freq), not measured")
    table = table_flops_per_cycle()
    per_cycle = (measured_flops_per_cycle(n, clock.value, table) if measure else None) or table
    return CpuPeak(core_factor, per_cycle, clock)
