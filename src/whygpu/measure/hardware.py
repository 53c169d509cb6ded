"""Facts about this machine's CPU and memory, from psutil and py-cpuinfo.

One home for what used to be three `/proc/cpuinfo` parsers: the CPU's brand and flags (for the
results' provenance, the machine's folder name and the peak estimate), its physical cores (SMT
siblings add no FLOPs) and its memory. Both libraries read the OS portably (Linux, macOS,
Windows). A GPU machine that has torch but neither library (and no network to install them)
still runs the benchmarks: there the OS is asked directly, with less detail (`_fallback`).
"""

from __future__ import annotations

import functools
import os
import platform
from pathlib import Path

from whygpu.contract import cpus

try:
    import psutil
except ImportError:  # a bare GPU environment: see the module docstring
    psutil = None


@functools.cache
def cpu_info() -> dict[str, object]:
    """py-cpuinfo's record of the CPU (brand, vendor, family, model, flags); {} if it fails.

    It takes about a second the first time (it asks the CPU itself), so it is read once.
    """
    try:
        import cpuinfo

        return dict(cpuinfo.get_cpu_info())
    except Exception:  # not installed, or failing on an unusual platform
        return _fallback_cpu_info()


def _fallback_cpu_info() -> dict[str, object]:
    """The brand and flags from Linux's /proc/cpuinfo, where py-cpuinfo is not installed."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return {}
    first = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in text.split("\n\n")[0].splitlines())
    )
    return {
        "brand_raw": first.get("model name", ""),
        "vendor_id_raw": first.get("vendor_id", ""),
        "family": int(first.get("cpu family", 0) or 0),
        "model": int(first.get("model", 0) or 0),
        "flags": first.get("flags", "").split(),
    }


def cpu_model() -> str:
    """The CPU's model name as the hardware reports it ("AMD EPYC", "Apple M2", ...)."""
    brand = str(cpu_info().get("brand_raw") or "").strip()
    return brand or platform.processor() or platform.machine() or "unknown CPU"


def cpu_kind() -> str:
    """The CPU's model name, plus its family and model numbers where the name has no model
    number: a VM may call every generation "AMD EPYC", and two generations must not share a
    results folder ("AMD EPYC f26m2" is a Zen 5 part, "AMD EPYC f25m17" a Zen 4 one)."""
    name = cpu_model()
    info = cpu_info()
    family, model = info.get("family"), info.get("model")
    if not any(c.isdigit() for c in name) and family is not None and model is not None:
        name += f" f{family}m{model}"
    return name


def cpu_identity() -> dict[str, object]:
    """The CPU's vendor, family and model numbers, the microarchitecture they name and the
    instruction sets that change its speed (whygpu.contract.cpus); None for what is unknown."""
    info = cpu_info()
    vendor = str(info.get("vendor_id_raw") or "").strip() or None
    family, model = info.get("family"), info.get("model")
    family = family if isinstance(family, int) else None
    model = model if isinstance(model, int) else None
    flags = info.get("flags")
    return {
        "vendor": vendor,
        "family": family,
        "model_number": model,
        "microarchitecture": cpus.microarchitecture(vendor, family, model),
        "isa": cpus.speed_isa(flags) if isinstance(flags, list) and flags else None,
    }


def physical_cores() -> int:
    """Physical cores this process may use: SMT siblings add no FLOPs, so they are not counted."""
    if hasattr(os, "sched_getaffinity"):
        allowed = len(os.sched_getaffinity(0))
    else:  # macOS and Windows have no affinity call
        allowed = os.cpu_count() or 1
    if psutil is not None:
        cores = psutil.cpu_count(logical=False) or allowed
    else:  # Linux without psutil: distinct (package, core) pairs in sysfs
        topology = Path("/sys/devices/system/cpu").glob("cpu[0-9]*/topology")
        pairs = {
            ((t / "physical_package_id").read_text(), (t / "core_id").read_text())
            for t in topology
            if (t / "core_id").exists()
        }
        cores = len(pairs) or allowed
    return max(1, min(cores, allowed))


def logical_cpus() -> int | None:
    return psutil.cpu_count(logical=True) if psutil is not None else os.cpu_count()


def ram_bytes() -> int | None:
    """Total physical memory."""
    try:
        if psutil is not None:
            return int(psutil.virtual_memory().total)
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (OSError, ValueError, AttributeError):
        return None


def max_clock_hz() -> float | None:
    """The highest clock the OS reports (psutil), or None where it reports none (most VMs)."""
    freq = _cpu_freq()
    return float(freq.max) * 1e6 if freq is not None and freq.max else None


def nominal_clock_hz() -> float | None:
    """The clock the OS reports now (in a VM, usually the nominal one), or None."""
    freq = _cpu_freq()
    return float(freq.current) * 1e6 if freq is not None and freq.current else None


def _cpu_freq():
    if psutil is None:
        return None
    try:
        return psutil.cpu_freq()
    except (OSError, NotImplementedError):
        return None
