"""The results file's schema (version 2) as pydantic models: every key a file has, and its type.

Every key is required (null where a value does not apply, such as `item_unit` for a FLOP/s
example or `gpu` on a machine without one) but one added since version 2 was fixed,
`provenance.example_sha256`, which older files lack; unknown keys are rejected, so a file either
says everything a figure needs or is refused, naming the field. What relates fields to each other (a
median inside its own samples, one run per accelerator) is checked in `whygpu.store.files`. The
JSON Schema published for contributors (`results.schema.json`) is generated from these models.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from whygpu.contract.names import SAFE_NAME, SCHEMA_VERSION, Accelerator, Metric, Profile

_MARKUP = re.compile(r"[<>]|javascript:", re.IGNORECASE)


def _plain(value: str) -> str:
    if _MARKUP.search(value):
        raise ValueError("contains HTML or script markup")
    return value


def _safe_name(value: str) -> str:
    if not SAFE_NAME.match(value):
        raise ValueError(f"{value[:40]!r} must be lower-case letters, digits, '.', '_', '-'")
    return value


def _iso_time(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an ISO 8601 time") from None
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_plain)]
MaybeText = Annotated[str, AfterValidator(_plain)] | None
Name = Annotated[str, AfterValidator(_safe_name)]
Count = Annotated[int, Field(ge=1)]
Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Seconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]
#: The first ten hex digits of a SHA-256 (whygpu.measure.provenance.HASH_DIGITS).
ShortHash = Annotated[str, Field(pattern=r"^[0-9a-f]{10}$")]
Param = Annotated[str, AfterValidator(_plain)] | int | float | bool | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Cpu(_Strict):
    """The CPU, named so that two machines can be told apart: its microarchitecture and the
    instruction sets that change speed (whygpu.contract.cpus); null where not identified."""

    model: Text
    physical_cores: Count
    logical_cpus: Count | None
    arch: Text
    vendor: MaybeText  # as the CPU says it: "AuthenticAMD", "GenuineIntel"
    family: Annotated[int, Field(ge=0)] | None
    model_number: Annotated[int, Field(ge=0)] | None
    microarchitecture: MaybeText  # "Zen 4", "Sapphire Rapids"
    isa: list[Name] | None  # of whygpu.contract.cpus.SPEED_ISA, those it has; null: not read


class GpuEnd(_Strict):
    """A GPU's driver, clocks, power limit and link; at the sweep's end as `gpu_end`, where a
    clock that fell explains a slow second half."""

    driver: MaybeText
    sm_clock_mhz: Count | None
    memory_clock_mhz: Count | None
    power_limit_w: Annotated[float, Field(gt=0)] | None
    pcie_gen: Count | None
    pcie_width: Count | None


class Gpu(GpuEnd):
    """The GPU a run used, and its state when the run started."""

    name: Text
    backend: Literal["cuda", "rocm", "mps"]
    memory_bytes: Count | None
    compute_capability: MaybeText
    multiprocessors: Count | None
    cuda: MaybeText
    hip: MaybeText
    cudnn: MaybeText


class Provenance(_Strict):
    """Where, when and with what software a run was measured."""

    date_utc: Annotated[str, AfterValidator(_iso_time)]
    git_commit: MaybeText
    git_dirty: bool | None  # None: not measured from a git checkout
    # The example file's content hash, where git_commit does not hold the file that was measured
    # (measured before it was committed, or changed since); null or absent (files written before
    # it was recorded) where the commit holds it. Optional so that those files stay valid.
    example_sha256: ShortHash | None = None
    whygpu: Text
    os: Text
    python: Text
    torch: Text
    lightning: MaybeText
    blas: MaybeText
    onednn: MaybeText
    cpu_capability: MaybeText
    cpu: Cpu
    ram_bytes: Count | None
    gpu: Gpu | None
    gpu_end: GpuEnd | None


class Settings(_Strict):
    """The switches that change speed; the GPU-only ones are null on a CPU run."""

    num_threads: Count
    flush_denormal: bool
    tf32_matmul: bool | None
    tf32_cudnn: bool | None
    cudnn_benchmark: bool | None
    matmul_precision: Literal["highest", "high", "medium"]
    pinned_memory: bool | None


class MeasuredPoint(_Strict):
    variant: Name
    size: Count
    status: Literal["ok"]
    params: dict[Name, Param]
    flops: Amount
    bytes_moved: Amount
    items: Amount
    median_s: Seconds
    iqr_s: Amount
    samples_s: Annotated[list[Seconds], Field(min_length=1)]
    calls_per_sample: Count
    noisy: bool
    rounds_s: Annotated[list[Seconds], Field(min_length=1)]  # each round's median
    round_spread: Amount  # (slowest round - fastest) / median_s
    rounds_disagree: bool  # round_spread over 10%: the value depends on when it was measured
    wall_s: Amount


class SkippedPoint(_Strict):
    variant: Name
    size: Count
    status: Literal["skipped"]
    reason: Text


class LoadSample(_Strict):
    """What other processes did while the harness sat idle for a moment."""

    when: Text
    other_cores: Amount  # CPU seconds they used per second
    other_threads: Annotated[int, Field(ge=0)]  # their threads that ran most of the moment
    busiest: MaybeText


class Load(_Strict):
    """Was the machine quiet? Sampled before the sweep and after every round."""

    busy: bool
    threshold_cores: Amount
    samples: list[LoadSample]


class Derived(_Strict):
    value: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    how: Text


class CpuPeak(_Strict):
    """Peak FP32 FLOP/s = cores x FLOPs per cycle x clock, each with how it was found."""

    flops: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    cores: Derived
    flops_per_cycle: Derived
    clock_hz: Derived


class CpuLimits(_Strict):
    """The CPU's roofs: its compute peak and its sustained memory bandwidth (a triad)."""

    peak: CpuPeak
    memory_bytes_per_s: Derived


class Run(_Strict):
    """One accelerator's sweep: its device, settings, provenance, rounds, load and points."""

    accelerator: Accelerator
    device: Text
    device_name: Text
    profile: Profile
    provenance: Provenance
    settings: Settings
    rounds: Count
    load: Load | None  # null: measured before the harness sampled the machine's load (version 1)
    cpu_limits: CpuLimits | None  # measured on CPU runs; null on GPU runs or when not measured
    points: list[Annotated[MeasuredPoint | SkippedPoint, Field(discriminator="status")]]


class ResultsFile(_Strict):
    """`results/<machine>/<example>.json`: one example on one machine, a run per accelerator."""

    schema_version: Literal[SCHEMA_VERSION]  # type: ignore[valid-type]  # pydantic reads it, mypy not
    example: Name
    machine: Name
    benchmark_version: Count
    title: Text
    size_label: Text
    metric: Metric
    item_unit: MaybeText  # what "items" counts; null for the other metrics
    runs: Annotated[list[Run], Field(min_length=1)]


def json_schema() -> str:
    """The JSON Schema of a results file, as published on the Contribute page."""
    schema = ResultsFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Why GPUs? results file, schema version {SCHEMA_VERSION}"
    return json.dumps(schema, indent=1, sort_keys=True) + "\n"
