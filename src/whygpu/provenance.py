"""Who measured what, where, with which software: the facts stored beside every result.

A number without its machine and versions cannot be compared, so a run records these once,
and the figures print them under every chart.
"""

from __future__ import annotations

import datetime as _dt
import functools
import os
import platform
import re
import subprocess
from pathlib import Path

import torch

from whygpu import __version__
from whygpu.devices import gpu_device


@functools.cache
def cpu_model() -> str:
    """The CPU's model name as the OS reports it ("AMD EPYC", "Apple M2", ...)."""
    system = platform.system()
    try:
        if system == "Linux":
            for line in Path("/proc/cpuinfo").read_text().splitlines():
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
        elif system == "Darwin":
            out = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                check=True,
            )
            return out.stdout.strip()
        elif system == "Windows":
            return platform.processor()
    except (OSError, subprocess.CalledProcessError):
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


@functools.cache
def physical_cores() -> int:
    """Physical cores this process may use: SMT siblings add no FLOPs, so they are not counted."""
    allowed = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores: int | None = None
    if platform.system() == "Linux":
        pairs = set()
        phys = core = None
        for line in [*Path("/proc/cpuinfo").read_text().splitlines(), ""]:
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "physical id":
                phys = value.strip()
            elif key == "core id":
                core = value.strip()
            elif not line.strip():
                if core is not None:
                    pairs.add((phys, core))
                phys = core = None
        cores = len(pairs) or None
    elif platform.system() == "Darwin":
        try:
            out = subprocess.run(
                ["sysctl", "-n", "hw.physicalcpu"], capture_output=True, text=True, check=True
            )
            cores = int(out.stdout.strip())
        except (OSError, ValueError, subprocess.CalledProcessError):
            cores = None
    cores = cores or allowed or 1
    return max(1, min(cores, allowed or cores))


def ram_bytes() -> int | None:
    """Total physical memory, where the OS tells."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _git(*args: str) -> str | None:
    """Run git in the working directory: the checkout the benchmark is run from (the installed
    package itself may live in a virtual environment outside it)."""
    try:
        out = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
            cwd=Path.cwd(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def git_state() -> dict[str, object]:
    """The commit the measuring code came from, and whether the tree had uncommitted changes.

    The run's own outputs (results/, the generated figures) do not count: a sweep over several
    examples rewrites them as it goes.
    """
    commit = _git("rev-parse", "HEAD")
    outputs = (":(exclude)results", ":(exclude)docs/assets/figures")
    status = (
        _git("status", "--porcelain", "--untracked-files=no", "--", ".", *outputs)
        if commit
        else None
    )
    return {"git_commit": commit, "git_dirty": bool(status) if status is not None else None}


def _blas_and_onednn() -> dict[str, str | None]:
    config = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=([^,\s]+)", config)
    mkl = re.search(r"Math Kernel Library Version ([^\s]+)", config)
    onednn = re.search(r"MKL-DNN v([^\s]+)", config)
    capability = re.search(r"CPU capability usage: (\S+)", config)
    blas_name = blas.group(1) if blas else None
    if blas_name == "mkl" and mkl:
        blas_name = f"mkl {mkl.group(1)}"
    return {
        "blas": blas_name,
        "onednn": onednn.group(1) if onednn else None,
        "cpu_capability": capability.group(1) if capability else None,
    }


def _lightning_version() -> str | None:
    for name in ("lightning", "pytorch_lightning"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        return getattr(module, "__version__", None)
    return None


def gpu_facts() -> dict[str, object] | None:
    """The visible GPU's model, memory and driver stack, or None without one."""
    device = gpu_device()
    if device is None:
        return None
    if device.type == "mps":
        return {"name": "Apple GPU (MPS)", "backend": "mps", "memory_bytes": None}
    props = torch.cuda.get_device_properties(device)
    facts: dict[str, object] = {
        "name": props.name,
        "backend": "rocm" if torch.version.hip else "cuda",
        "memory_bytes": int(props.total_memory),
        "compute_capability": f"{props.major}.{props.minor}",
        "multiprocessors": int(props.multi_processor_count),
        "cuda": torch.version.cuda,
        "hip": torch.version.hip,
        "cudnn": (
            str(torch.backends.cudnn.version()) if torch.backends.cudnn.is_available() else None
        ),
        "driver": _nvidia_driver(),
    }
    return facts


def _nvidia_driver() -> str | None:
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else None


def collect() -> dict[str, object]:
    """Everything a results file says about where and how it was measured."""
    return {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        **git_state(),
        "whygpu": __version__,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "torch": torch.__version__,
        "lightning": _lightning_version(),
        **_blas_and_onednn(),
        "cpu": {
            "model": cpu_model(),
            "physical_cores": physical_cores(),
            "logical_cpus": os.cpu_count(),
            "arch": platform.machine(),
        },
        "ram_bytes": ram_bytes(),
        "gpu": gpu_facts(),
    }


def _slug(text: str) -> str:
    text = re.sub(
        r"\((?:R|TM)\)|\b(?:CPU|Processor|with Radeon Graphics|Core\(TM\))\b",
        "",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"@.*$", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def machine_name() -> str:
    """A stable folder name for this machine built from its hardware, never its hostname.

    CPU model and physical cores, plus the GPU model when one is visible, e.g.
    `amd-epyc-2c` or `intel-xeon-gold-6338-32c-nvidia-a100-sxm4-80gb`.
    """
    name = f"{_slug(cpu_model())}-{physical_cores()}c"
    gpu = gpu_facts()
    if gpu:
        name += f"-{_slug(str(gpu['name']))}"
    return name[:80].strip("-")
