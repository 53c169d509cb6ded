"""What a checked results file holds, as types: the schema's pydantic models (whygpu.store.schema,
whygpu.store.browser) mirrored as TypedDicts, for the code that reads the documents.

`load` and `load_all` return the JSON they read, unchanged, once the schema has accepted it, so
it has exactly these keys and types; the report is type-checked against them. One TypedDict per
pydantic model, with the same field names, types and nullability (tests/store/test_types.py
fails when the two drift apart). They are `@final` so that a checker can tell members of a union
apart by a key only one of them has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypedDict, final

from whygpu.contract.names import Accelerator, Metric, Profile

if TYPE_CHECKING:  # typing has it from Python 3.11; only the checker reads these annotations
    from typing_extensions import NotRequired

#: A value in a point's `params`: what its size means (a shape, a dtype).
Param = str | int | float | bool | None


@final
class Cpu(TypedDict):
    model: str
    physical_cores: int
    logical_cpus: int | None
    arch: str
    vendor: str | None
    family: int | None
    model_number: int | None
    microarchitecture: str | None
    isa: list[str] | None


class GpuEnd(TypedDict):
    driver: str | None
    sm_clock_mhz: int | None
    memory_clock_mhz: int | None
    power_limit_w: float | None
    pcie_gen: int | None
    pcie_width: int | None


@final
class Gpu(GpuEnd):
    name: str
    backend: Literal["cuda", "rocm", "mps"]
    memory_bytes: int | None
    compute_capability: str | None
    multiprocessors: int | None
    cuda: str | None
    hip: str | None
    cudnn: str | None


@final
class Provenance(TypedDict):
    date_utc: str
    git_commit: str | None
    git_dirty: bool | None
    example_sha256: NotRequired[str | None]  # files written before it was recorded lack it
    whygpu: str
    os: str
    python: str
    torch: str
    lightning: str | None
    blas: str | None
    onednn: str | None
    cpu_capability: str | None
    cpu: Cpu
    ram_bytes: int | None
    gpu: Gpu | None
    gpu_end: GpuEnd | None


@final
class Settings(TypedDict):
    num_threads: int
    flush_denormal: bool
    tf32_matmul: bool | None
    tf32_cudnn: bool | None
    cudnn_benchmark: bool | None
    matmul_precision: Literal["highest", "high", "medium"]
    pinned_memory: bool | None


@final
class MeasuredPoint(TypedDict):
    """A point the run measured (`status` "ok"): its median, spread, samples and rounds."""

    variant: str
    size: int
    status: Literal["ok"]
    params: dict[str, Param]
    flops: float
    bytes_moved: float
    items: float
    median_s: float
    iqr_s: float
    samples_s: list[float]
    calls_per_sample: int
    noisy: bool
    rounds_s: list[float]
    round_spread: float
    rounds_disagree: bool
    wall_s: float


@final
class SkippedPoint(TypedDict):
    """A point the run could not measure on its device, and why."""

    variant: str
    size: int
    status: Literal["skipped"]
    reason: str


#: A run's point: measured or skipped, told apart by `status`.
Point = MeasuredPoint | SkippedPoint


@final
class LoadSample(TypedDict):
    when: str
    other_cores: float
    other_threads: int
    busiest: str | None


@final
class Load(TypedDict):
    busy: bool
    threshold_cores: float
    samples: list[LoadSample]


@final
class Derived(TypedDict):
    value: float
    how: str


@final
class CpuPeak(TypedDict):
    flops: float
    cores: Derived
    flops_per_cycle: Derived
    clock_hz: Derived


@final
class CpuLimits(TypedDict):
    peak: CpuPeak
    memory_bytes_per_s: Derived


@final
class Run(TypedDict):
    """One accelerator's sweep."""

    accelerator: Accelerator
    device: str
    device_name: str
    profile: Profile
    provenance: Provenance
    settings: Settings
    rounds: int
    load: Load | None
    cpu_limits: CpuLimits | None
    points: list[Point]


@final
class ResultsDoc(TypedDict):
    """`results/<machine>/<example>.json` (schema.ResultsFile): one example on one machine."""

    schema_version: Literal[3]  # names.SCHEMA_VERSION, as a type
    example: str
    machine: str
    benchmark_version: int
    title: str
    size_label: str
    metric: Metric
    item_unit: str | None
    runs: list[Run]


# The Measure page's export (whygpu.store.browser), which `whygpu validate` also accepts.


class BrowserSummary(TypedDict):
    median_s: float
    q1_s: float
    q3_s: float
    samples: int


@final
class BrowserPoint(BrowserSummary):
    side: Literal["cpu-wasm", "gpu", "gpu-e2e"]
    size: int
    flops: float
    verified: NotRequired[bool | None]  # the page may leave both out
    max_rel_error: NotRequired[float | None]


@final
class BrowserCopy(BrowserSummary):
    direction: Literal["to-gpu", "from-gpu"]
    bytes: int


@final
class Browser(TypedDict):
    user_agent: str
    threads_used: int
    hardware_concurrency: int | None


@final
class Adapter(TypedDict):
    vendor: str
    architecture: str
    device: str
    description: str
    fallback: bool
    software: bool


@final
class BrowserDoc(TypedDict):
    """A file the Measure page exported (browser.BrowserResults); the figures never read one."""

    format: Literal["whygpu-browser-results"]  # names.BROWSER_FORMAT, as a type
    version: Literal[1]
    created_utc: str
    page: str
    browser: Browser
    adapter: Adapter | None
    budget_s: float
    stopped: bool
    points: list[BrowserPoint]
    round_trip: BrowserSummary | None
    copies: list[BrowserCopy]


#: Any document `whygpu validate` accepts.
Document = ResultsDoc | BrowserDoc
