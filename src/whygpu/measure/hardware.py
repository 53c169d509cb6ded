"""Facts about this machine's CPU and memory, from psutil and py-cpuinfo.

One home for what used to be three `/proc/cpuinfo` parsers: the CPU's brand and flags (for the
results' provenance, the machine's folder name and the peak estimate), its physical cores (SMT
siblings add no FLOPs) and its memory. Both libraries read the OS portably (Linux, macOS,
Windows), so nothing here parses text by hand.
"""

from __future__ import annotations

import functools
import os
import platform

import psutil


@functools.cache
def cpu_info() -> dict[str, object]:
    """py-cpuinfo's record of the CPU (brand, vendor, family, model, flags); {} if it fails.

    It takes about a second the first time (it asks the CPU itself), so it is read once.
    """
    try:
        import cpuinfo

        return dict(cpuinfo.get_cpu_info())
    except Exception:  # py-cpuinfo raises many kinds on unusual platforms; fall back below
        return {}


def cpu_model() -> str:
    """The CPU's model name as the hardware reports it ("AMD EPYC", "Apple M2", ...)."""
    brand = str(cpu_info().get("brand_raw") or "").strip()
    return brand or platform.processor() or platform.machine() or "unknown CPU"


def cpu_flags() -> frozenset[str]:
    """The instruction-set flags ("avx2", "avx512f", "fma", ...), lower case."""
    return frozenset(str(f).lower() for f in cpu_info().get("flags", []) or [])


def cpu_vendor() -> str:
    """ "GenuineIntel", "AuthenticAMD", ... or "" where the OS does not say."""
    return str(cpu_info().get("vendor_id_raw") or "")


def cpu_family_model() -> tuple[int, int]:
    """The x86 family and model numbers (0, 0 where unknown): they tell microarchitectures apart."""
    info = cpu_info()
    return int(info.get("family") or 0), int(info.get("model") or 0)


@functools.cache
def physical_cores() -> int:
    """Physical cores this process may use: SMT siblings add no FLOPs, so they are not counted."""
    try:
        allowed = len(psutil.Process().cpu_affinity())
    except (AttributeError, psutil.Error, OSError):  # macOS has no affinity
        allowed = os.cpu_count() or 1
    cores = psutil.cpu_count(logical=False) or allowed
    return max(1, min(cores, allowed))


def logical_cpus() -> int | None:
    return psutil.cpu_count(logical=True)


def ram_bytes() -> int | None:
    """Total physical memory."""
    try:
        return int(psutil.virtual_memory().total)
    except (psutil.Error, OSError):
        return None


def max_clock_hz() -> float | None:
    """The highest clock the OS reports (psutil), or None where it reports none."""
    try:
        freq = psutil.cpu_freq()
    except (psutil.Error, OSError, NotImplementedError):
        return None
    if freq is None:
        return None
    best = freq.max or freq.current
    return float(best) * 1e6 if best else None
