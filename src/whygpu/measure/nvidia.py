"""What an NVIDIA GPU ran at: driver, SM and memory clocks, power limit, PCIe link.

Read through NVML (the `nvidia-ml-py` package, module `pynvml`) when it is importable, else from
`nvidia-smi`, else recorded as unknown (None): a clock-throttled or narrow-linked GPU explains a
slow result, so the run records both at its start and at its end.
"""

from __future__ import annotations

import subprocess

KEYS = ("driver", "sm_clock_mhz", "memory_clock_mhz", "power_limit_w", "pcie_gen", "pcie_width")
_SMI_FIELDS = (
    "driver_version,clocks.sm,clocks.mem,power.limit,pcie.link.gen.current,pcie.link.width.current"
)


def state(index: int = 0) -> dict[str, object]:
    """The GPU's state now; every key present, None where neither NVML nor nvidia-smi tells."""
    return _nvml(index) or _smi(index) or dict.fromkeys(KEYS)


def _nvml(index: int) -> dict[str, object] | None:
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
        try:
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            driver = pynvml.nvmlSystemGetDriverVersion()
            return {
                "driver": driver.decode() if isinstance(driver, bytes) else str(driver),
                "sm_clock_mhz": pynvml.nvmlDeviceGetClockInfo(handle, pynvml.NVML_CLOCK_SM),
                "memory_clock_mhz": pynvml.nvmlDeviceGetClockInfo(handle, pynvml.NVML_CLOCK_MEM),
                "power_limit_w": pynvml.nvmlDeviceGetPowerManagementLimit(handle) / 1000,
                "pcie_gen": pynvml.nvmlDeviceGetCurrPcieLinkGeneration(handle),
                "pcie_width": pynvml.nvmlDeviceGetCurrPcieLinkWidth(handle),
            }
        finally:
            pynvml.nvmlShutdown()
    except Exception:  # pynvml raises NVMLError subclasses per missing query
        return None


def _smi(index: int) -> dict[str, object] | None:
    try:
        out = subprocess.run(
            [
                "nvidia-smi",
                f"--id={index}",
                f"--query-gpu={_SMI_FIELDS}",
                "--format=csv,noheader,nounits",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    values = [v.strip() for v in out.splitlines()[0].split(",")] if out else []
    if len(values) != len(KEYS):
        return None
    parsed: dict[str, object] = {"driver": values[0]}
    for key, value, kind in zip(KEYS[1:], values[1:], (int, int, float, int, int), strict=True):
        try:
            parsed[key] = kind(float(value)) if kind is int else kind(value)
        except ValueError:  # "[N/A]" on some boards
            parsed[key] = None
    return parsed
