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

import ctypes
import platform
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from whygpu.measure import hardware
from whygpu.measure.hardware import physical_cores

#: No shipped CPU runs outside this range; a measured clock outside it is a broken probe.
CLOCK_BOUNDS_HZ = (0.3e9, 6.5e9)
#: A measured clock more than this far above the OS's maximum is rejected.
OS_MAX_SLACK = 0.10
#: No core has more FMA units than this (Apple's performance cores have four 128-bit ones).
MAX_FMA_UNITS = 4
IMUL_LATENCY_CYCLES = 3  # x86-64 `imul r64, r64`: Intel since Sandy Bridge, AMD since Zen 1
CHAINS = 12  # independent FMA chains: more than units x FMA latency (2 x 4) on any core
PROBE_SECONDS = 0.15
#: FMAs per cycle within this share of a whole number count as that many units.
WHOLE_UNITS_TOLERANCE = 0.12


class PeakError(RuntimeError):
    """The peak cannot be derived; the message says which factor and why."""


@dataclass(frozen=True)
class Factor:
    value: float
    how: str


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
    family = int(info.get("family") or 0)
    model = int(info.get("model") or 0)
    if machine in ("arm64", "aarch64") and platform.system() == "Darwin":
        return Factor(32, "Apple performance core (ISA table): 4 NEON FMA units x 4 lanes x 2")
    if machine in ("x86_64", "AMD64") and "fma" not in flags:
        return Factor(width * 2, f"ISA table: no FMA, one {width}-lane add and multiply a cycle")
    if width == 16 and vendor == "AuthenticAMD" and family == 25:
        return Factor(32, "ISA table: AMD Zen 4 runs 512-bit FMAs on two 256-bit units")
    if width == 8 and vendor == "AuthenticAMD" and family == 23 and model < 0x30:
        return Factor(16, "ISA table: AMD Zen 1 has two 128-bit FMA units: 2 x 4 lanes x 2")
    return Factor(2 * width * 2, f"ISA table: assumed 2 FMA units x {width} lanes x 2 FLOPs")


# --- the probes ------------------------------------------------------------------------------


def _imul_ir() -> str:
    return """
define i64 @chain(i64 %n, i64 %x0) {
entry:
  br label %loop
loop:
  %i = phi i64 [0, %entry], [%i1, %loop]
  %x = phi i64 [%x0, %entry], [%x4, %loop]
  %x1 = mul i64 %x, %x
  %x2 = mul i64 %x1, %x1
  %x3 = mul i64 %x2, %x2
  %x4 = mul i64 %x3, %x3
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %x4
}
"""


def _fma_ir(width: int) -> str:
    vec = f"<{width} x float>"
    fma = f"@llvm.fmuladd.v{width}f32"
    splat = f"{vec} poison, <{width} x i32> zeroinitializer"
    lines = [f"declare {vec} {fma}({vec}, {vec}, {vec})", ""]
    lines += ["define float @fmas(i64 %n, float %m) {"]
    lines += ["entry:", f"  %m1 = insertelement {vec} poison, float %m, i32 0"]
    lines += [f"  %mv = shufflevector {vec} %m1, {splat}"]
    for k in range(CHAINS):  # distinct starting values, so no two chains are the same
        lines += [f"  %s{k} = fadd float %m, {float(k + 1):e}"]
        lines += [f"  %t{k} = insertelement {vec} poison, float %s{k}, i32 0"]
        lines += [f"  %c{k} = shufflevector {vec} %t{k}, {splat}"]
    lines += ["  br label %loop", "loop:", "  %i = phi i64 [0, %entry], [%i1, %loop]"]
    lines += [f"  %a{k} = phi {vec} [%c{k}, %entry], [%b{k}, %loop]" for k in range(CHAINS)]
    lines += [
        f"  %b{k} = call {vec} {fma}({vec} %a{k}, {vec} %mv, {vec} %c{k})" for k in range(CHAINS)
    ]
    lines += ["  %i1 = add i64 %i, 1", "  %done = icmp eq i64 %i1, %n"]
    lines += ["  br i1 %done, label %exit, label %loop", "exit:"]
    total = "%b0"
    for k in range(1, CHAINS):
        lines.append(f"  %r{k} = fadd {vec} {total}, %b{k}")
        total = f"%r{k}"
    lines += [f"  %out = extractelement {vec} {total}, i32 0", "  ret float %out", "}"]
    return "\n".join(lines)


@cache
def _compiled(width: int) -> tuple[Any, Any, Any] | None:
    """(engine, imul chain, FMA chains) compiled for this CPU, or None without llvmlite."""
    try:
        import llvmlite.binding as llvm
    except ImportError:
        return None
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    target = llvm.Target.from_default_triple().create_target_machine(
        cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(), opt=2
    )
    module = llvm.parse_assembly(_imul_ir() + "\n" + _fma_ir(width))
    module.verify()
    engine = llvm.create_mcjit_compiler(module, target)
    engine.finalize_object()
    # CFUNCTYPE calls release the GIL, so one thread per core runs the probes side by side.
    chain = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(
        engine.get_function_address("chain")
    )
    fmas = ctypes.CFUNCTYPE(ctypes.c_float, ctypes.c_int64, ctypes.c_float)(
        engine.get_function_address("fmas")
    )
    return engine, chain, fmas


def _rate_on_all_cores(fn, per_call: int, cores: int, n: int) -> float:
    """Median over cores of the per-core rate (units a second), the cores running at once;
    best of three tries, since a peak is what the core sustains when nothing interrupts it."""

    def one(_: int) -> float:
        start = time.perf_counter()
        fn(n)
        return per_call * n / (time.perf_counter() - start)

    best = 0.0
    with ThreadPoolExecutor(cores) as pool:
        for _ in range(3):
            best = max(best, statistics.median(pool.map(one, range(cores))))
    return best


def _calibrated(fn, per_call: int, cores: int) -> float:
    """Size the probe to run about PROBE_SECONDS, then measure on every core."""
    n, elapsed = 1000, 0.0
    while elapsed < 0.02:
        n *= 4
        start = time.perf_counter()
        fn(n)
        elapsed = time.perf_counter() - start
    return _rate_on_all_cores(fn, per_call, cores, max(1, int(n * PROBE_SECONDS / elapsed)))


def probe_multiplies(cores: int) -> float | None:
    """Dependent 64-bit multiplies a second on each core, all cores at once (the median core);
    None where the probe cannot run (no llvmlite) or its latency is unknown (not x86-64)."""
    compiled = _compiled(lanes())
    if compiled is None or platform.machine() not in ("x86_64", "AMD64"):
        return None  # the multiply latency is only known for x86-64
    _, chain, _ = compiled
    return _calibrated(lambda n: chain(n, 3), 4, cores)


def probe_fmas(cores: int) -> float | None:
    """Vector FMAs a second on each core from CHAINS independent chains, all cores at once;
    None without llvmlite."""
    compiled = _compiled(lanes())
    if compiled is None:
        return None
    _, _, fmas = compiled
    return _calibrated(lambda n: fmas(n, 0.999), CHAINS, cores)


def clock_from(muls_per_s: float, cores: int, os_max_hz: float | None) -> Factor:
    """The clock that a reading of dependent multiplies a second implies, checked against
    physical bounds (an error outside them) and the OS's maximum (which wins when the reading
    is more than OS_MAX_SLACK above it)."""
    hz = muls_per_s * IMUL_LATENCY_CYCLES
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
        f"{muls_per_s / 1e9:.2f} G a second on each of {cores} cores at once{checked}",
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
        return Factor(units * width * 2, f"measured: {seen} (not a whole number of units)")
    expect = "" if whole * width * 2 == table.value else f"; the ISA table says {table.value:g}"
    return Factor(
        whole * width * 2,
        f"measured: {seen}, so {whole} FMA units x {width} lanes x 2 FLOPs{expect}",
    )


def measured_clock(cores: int, os_max_hz: float | None) -> Factor | None:
    """The all-core clock from dependent multiplies; None where it cannot be measured."""
    muls = probe_multiplies(cores)
    return None if muls is None else clock_from(muls, cores, os_max_hz)


def measured_flops_per_cycle(cores: int, clock_hz: float, table: Factor) -> Factor | None:
    """FMA units x lanes x 2, the units counted by timing independent FMA chains on every core."""
    fmas = probe_fmas(cores)
    return None if fmas is None else flops_per_cycle_from(fmas, clock_hz, lanes(), cores, table)


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
