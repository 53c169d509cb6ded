"""Who measured what, where, with which software: the facts stored beside every result.

A number without its machine and versions cannot be compared, so a run records these once,
and the figures print them under every chart.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import platform
import re
import subprocess
from pathlib import Path

import torch

from whygpu import __version__
from whygpu.contract.names import EXAMPLES_DIR, FIGURES_DIR, RESULTS_DIR
from whygpu.measure import nvidia
from whygpu.measure.devices import gpu_device
from whygpu.measure.hardware import (
    cpu_identity,
    cpu_kind,
    cpu_model,
    logical_cpus,
    physical_cores,
    ram_bytes,
)

#: Untracked files here change what a run measures; elsewhere (notes, scratch files) they do not.
MEASURING_CODE = (EXAMPLES_DIR.as_posix(), "src")
#: What a run itself writes: a sweep over several examples rewrites these as it goes.
RUN_OUTPUTS = (RESULTS_DIR.as_posix(), FIGURES_DIR.as_posix())


def _git(*args: str, cwd: Path | None = None) -> str | None:
    """Run git in `cwd` (default: the working directory, the checkout the benchmark is run
    from; the installed package itself may live in a virtual environment outside it)."""
    try:
        out = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
            cwd=cwd or Path.cwd(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def git_state() -> dict[str, object]:
    """The commit the measuring code came from, and whether the tree differed from it.

    Dirty means a tracked file changed anywhere but in the run's own outputs, or an untracked
    file sits among the measuring code (an example measured before it is committed is not in
    the commit the results name).
    """
    commit = _git("rev-parse", "HEAD")
    top = _git("rev-parse", "--show-toplevel") if commit else None
    if not commit or not top:
        return {"git_commit": commit, "git_dirty": None}
    outputs = [f":(exclude){p}" for p in RUN_OUTPUTS]
    status = _git(
        "status", "--porcelain", "--untracked-files=all", "--", ".", *outputs, cwd=Path(top)
    )
    if status is None:
        return {"git_commit": commit, "git_dirty": None}
    code = tuple(f"{d}/" for d in MEASURING_CODE)
    dirty = any(
        not line.startswith("??") or line[3:].startswith(code) for line in status.splitlines()
    )
    return {"git_commit": commit, "git_dirty": dirty}


#: How many hex digits of an example file's SHA-256 a run records: enough to tell versions apart.
HASH_DIGITS = 10


def example_hash(path: Path) -> str | None:
    """The example file's content hash (the first HASH_DIGITS hex digits of its SHA-256) where
    the file measured is not the one the commit holds: untracked, changed or ignored, or measured
    outside a git checkout. None where the commit holds the file exactly as it was measured, so
    the commit alone says what ran. `sha256sum examples/SLUG.py` gives the same digits."""
    path = Path(path).resolve()
    status = _git(
        "status", "--porcelain", "--untracked-files=all", "--ignored", "--", path.name,
        cwd=path.parent,
    )  # fmt: skip
    tracked = _git("ls-files", "--", path.name, cwd=path.parent)
    if status == "" and tracked:
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_DIGITS]


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
        keys = ("compute_capability", "multiprocessors", "cuda", "hip", "cudnn", *nvidia.KEYS)
        return {"name": "Apple GPU (MPS)", "backend": "mps", "memory_bytes": None} | dict.fromkeys(
            keys
        )
    props = torch.cuda.get_device_properties(device)
    return {
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
        **nvidia.state(device.index or 0),  # driver, clocks, power limit, PCIe link at the start
    }


def gpu_end(device: torch.device) -> dict[str, object] | None:
    """The GPU's clocks and link when the run ends, beside those at its start."""
    if device.type != "cuda" or torch.version.hip:
        return None
    return nvidia.state(device.index or 0)


def collect(example: Path | None = None) -> dict[str, object]:
    """Everything a results file says about where and how it was measured; with `example`, the
    example file measured, its content hash where the commit does not hold it as it is."""
    return {
        "date_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        **git_state(),
        "example_sha256": example_hash(example) if example else None,
        "whygpu": __version__,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "torch": torch.__version__,
        "lightning": _lightning_version(),
        **_blas_and_onednn(),
        "cpu": {
            "model": cpu_model(),
            "physical_cores": physical_cores(),
            "logical_cpus": logical_cpus(),
            "arch": platform.machine(),
            **cpu_identity(),
        },
        "ram_bytes": ram_bytes(),
        "gpu": gpu_facts(),
        "gpu_end": None,  # filled in by the runner when the sweep ends
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

    CPU model (with its family and model numbers where the name has none) and physical cores,
    plus the GPU model when one is visible, e.g. `amd-epyc-f26m2-2c` or
    `intel-xeon-gold-6338-32c-nvidia-a100-sxm4-80gb`.
    """
    name = f"{_slug(cpu_kind())}-{physical_cores()}c"
    gpu = gpu_facts()
    if gpu:
        name += f"-{_slug(str(gpu['name']))}"
    return name[:80].strip("-")


def this_run() -> str:
    """The first line of every example's printed output: the machine, CPU, threads and torch
    the numbers below it come from, so no printed number is left without its machine."""
    return (
        f"this output: {machine_name()} ({cpu_model()}, {physical_cores()} CPU threads), "
        f"torch {torch.__version__}"
    )
