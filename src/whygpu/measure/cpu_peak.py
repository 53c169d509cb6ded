"""An estimate of the CPU's peak FP32 FLOP/s: physical cores x FLOPs per cycle x clock.

Each factor comes with a sentence saying how it was found, because a peak is only as good as its
weakest factor. A fused multiply-add is two FLOPs, so a core with two FMA units of 8 FP32 lanes
(AVX2) retires 2 x 8 x 2 = 32 FLOPs a cycle, with two 16-lane units (AVX-512) 64; SMT siblings
share those units and add none.
The clock is measured where a C compiler is at hand (a chain of dependent integer adds, one per
cycle, run on every core at once), else read from the OS, which gives the nominal clock.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from whygpu.measure import hardware
from whygpu.measure.hardware import physical_cores


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


def flops_per_cycle(info: dict[str, object] | None = None, machine: str | None = None) -> Factor:
    """FP32 FLOPs one core can retire per cycle, from its vector ISA and FMA units.

    `info` is shaped like py-cpuinfo's record (flags, vendor_id_raw, family, model).
    """
    info = hardware.cpu_info() if info is None else info
    machine = machine or platform.machine()
    flags = {str(f).lower() for f in info.get("flags", []) or []}
    vendor = str(info.get("vendor_id_raw") or "")
    family = int(info.get("family") or 0)
    model = int(info.get("model") or 0)
    if machine in ("x86_64", "AMD64"):
        if "avx512f" in flags:
            if vendor == "AuthenticAMD" and family == 25:
                return Factor(
                    32,
                    "AVX-512 on AMD Zen 4, which runs 512-bit FMAs on two 256-bit "
                    "pipes: 2 x 8 lanes x 2 FLOPs",
                )
            return Factor(
                64,
                "AVX-512, assuming two 512-bit FMA units: 2 x 16 lanes x 2 FLOPs "
                "(32 on parts with one unit)",
            )
        if "avx2" in flags and "fma" in flags:
            if vendor == "AuthenticAMD" and family == 23 and model < 0x30:
                return Factor(
                    16,
                    "AVX2 on AMD Zen 1, whose FMA pipes are 128 bits wide: 2 x 4 lanes x 2 FLOPs",
                )
            return Factor(32, "AVX2 with two FMA units: 2 x 8 lanes x 2 FLOPs")
        if "avx" in flags:
            return Factor(16, "AVX without FMA: one 8-lane add and one 8-lane multiply a cycle")
        return Factor(8, "SSE: one 4-lane add and one 4-lane multiply a cycle")
    if machine in ("arm64", "aarch64"):
        if platform.system() == "Darwin":
            return Factor(32, "Apple performance core: 4 NEON FMA pipes x 4 lanes x 2 FLOPs")
        return Factor(16, "Arm NEON, assuming two 128-bit FMA pipes: 2 x 4 lanes x 2 FLOPs")
    return Factor(8, f"unknown architecture {machine}: assumed 8")


_PROBE = r"""
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    unsigned long x = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++) {
#if defined(__x86_64__)
        __asm__ volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
#elif defined(__aarch64__)
        __asm__ volatile("add %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1\n\tadd %0, %0, #1"
                         : "+r"(x));
#else
#error unsupported
#endif
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("%.6f\n", 4.0 * n / s);
    return x == 1;
}
"""


def measured_clock(cores: int, adds: int = 400_000_000) -> Factor | None:
    """Time 4 x `adds` dependent integer adds (1 cycle each) on every core at once."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "clock.c", Path(tmp) / "clock"
        src.write_text(_PROBE)
        built = subprocess.run([cc, "-O1", "-o", str(exe), str(src)], capture_output=True)
        if built.returncode != 0:
            return None

        def one(_: int) -> float:
            out = subprocess.run(
                [str(exe), str(adds // 4)], capture_output=True, text=True, check=True, timeout=120
            )
            return float(out.stdout)

        with ThreadPoolExecutor(cores) as pool:
            rates = list(pool.map(one, range(cores)))
    hz = sorted(rates)[len(rates) // 2]
    return Factor(
        hz,
        f"measured: a chain of dependent integer adds (one a cycle) on all {cores} "
        f"cores at once ran at {hz / 1e9:.2f} GHz (median core)",
    )


def nominal_clock() -> Factor | None:
    """The clock the OS reports: its maximum where known, else the current nominal value."""
    hz = hardware.max_clock_hz()
    if hz is None:
        return None
    return Factor(hz, "the OS's maximum clock (psutil.cpu_freq): nominal, may understate boost")


def estimate(cores: int | None = None, measure_clock: bool = True) -> CpuPeak:
    n = cores or physical_cores()
    core_factor = Factor(
        n, "physical cores this process may use (SMT siblings add no FLOPs), from psutil"
    )
    clock = (measured_clock(n) if measure_clock else None) or nominal_clock()
    if clock is None:
        raise RuntimeError("cannot tell the CPU clock: no C compiler and no clock from the OS")
    return CpuPeak(core_factor, flops_per_cycle(), clock)
