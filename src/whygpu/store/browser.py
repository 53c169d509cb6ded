"""The "browser results" format: one run of the site's Measure page, in a reader's browser.

Its own schema beside the harness results, because it is a different measurement: WebAssembly
on one thread against a WebGPU shader, with the browser and the adapter as its provenance, not
a machine record. `whygpu validate` accepts it; the figures never read it, and a browser
result left under `results/` is refused there by name.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from whygpu.contract.datasheet import REFERENCE_GPUS
from whygpu.contract.names import BROWSER_FORMAT
from whygpu.contract.thresholds import CLOCK_BOUNDS_HZ
from whygpu.store import plausible
from whygpu.store.schema import Amount, Count, Seconds, Text, _iso_time, _plain, _Strict
from whygpu.store.types import BrowserDoc

SCHEMA_FILE = "browser-results.schema.json"

Side = Literal["cpu-wasm", "gpu", "gpu-e2e"]
Plain = Annotated[str, AfterValidator(_plain)]  # may be empty: a browser may not say


class Summary(_Strict):
    median_s: Seconds
    q1_s: Seconds
    q3_s: Seconds
    samples: Count


class Point(Summary):
    side: Side
    size: Count
    flops: Amount
    verified: bool | None = None  # GPU points: the product matched the CPU's
    max_rel_error: Amount | None = None


class Copy(Summary):
    direction: Literal["to-gpu", "from-gpu"]
    bytes: Count


class Browser(_Strict):
    user_agent: Text
    threads_used: Count
    hardware_concurrency: Count | None


class Adapter(_Strict):
    vendor: Plain
    architecture: Plain
    device: Plain
    description: Plain
    fallback: bool
    software: bool


class BrowserResults(_Strict):
    format: Literal[BROWSER_FORMAT]  # type: ignore[valid-type]  # pydantic reads it, mypy not
    version: Literal[1]
    created_utc: Annotated[str, AfterValidator(_iso_time)]
    page: Text
    browser: Browser
    adapter: Adapter | None
    budget_s: Seconds
    stopped: bool
    points: Annotated[list[Point], Field(min_length=1)]
    round_trip: Summary | None
    copies: list[Copy]


#: WebAssembly's 32-bit memory holds at most 4 GiB (65,536 pages of 64 KiB): one n x n float32
#: matrix past n = 32,768 cannot be in it, nor in a WebGPU buffer a browser grants.
MAX_SIZE = 32_768
#: One thread of 128-bit WebAssembly SIMD: 4 float32 lanes, x2 for a fused multiply-add, on at
#: most 4 vector pipes, at the highest clock the harness accepts: 208 GFLOP/s.
WASM_THREAD_FLOPS = 4 * 2 * 4 * CLOCK_BOUNDS_HZ[1]


def relations(data: BrowserDoc) -> tuple[str, str] | None:
    """What the schema cannot say, as (field, problem): quartiles around their median, a GPU
    point only with an adapter and only when its product was checked, and what cannot be true:
    a date to come, a size no browser holds, FLOPs that are not the product's 2n³, a rate past
    what one WebAssembly thread or the fastest GPU on the datasheets can do."""
    future = plausible.future(data["created_utc"])
    if future:
        return "created_utc", future
    fastest = max(max(g.peaks().values()) for g in REFERENCE_GPUS.values()) * 1e12
    for i, p in enumerate(data["points"]):
        if not p["q1_s"] <= p["median_s"] <= p["q3_s"]:
            return f"points[{i}].median_s", "must lie between q1_s and q3_s"
        if p["size"] > MAX_SIZE:
            return f"points[{i}].size", (
                f"is {p['size']:,}: past {MAX_SIZE:,} one float32 matrix is over 4 GiB, more than "
                "a browser can hold"
            )
        if p["flops"] != 2 * p["size"] ** 3:
            return f"points[{i}].flops", (
                f"is {p['flops']:.6g}, but an n x n matrix product does 2n³ = "
                f"{2 * p['size'] ** 3:.6g} FLOPs at n = {p['size']}"
            )
        rate = p["flops"] / p["median_s"]
        threads = data["browser"]["threads_used"]
        if p["side"] == "cpu-wasm" and rate > WASM_THREAD_FLOPS * threads:
            return f"points[{i}].median_s", (
                f"gives {rate / 1e9:,.1f} GFLOP/s, past what {threads} WebAssembly thread(s) "
                f"can do ({WASM_THREAD_FLOPS * threads / 1e9:,.0f})"
            )
        if p["side"] != "cpu-wasm" and rate > fastest * plausible.GPU_PEAK_MARGIN:
            return f"points[{i}].median_s", (
                f"gives {rate / 1e12:,.1f} TFLOP/s, past the fastest datasheet peak this site "
                f"has ({fastest / 1e12:,.0f} TFLOP/s)"
            )
        if p["side"] != "cpu-wasm":
            if data["adapter"] is None:
                return f"points[{i}].side", "is a GPU point, but the file names no adapter"
            if p.get("verified") is not True:  # the page may leave it out: unchecked
                return f"points[{i}].verified", "must be true: an unchecked GPU product is no data"
    return None


def json_schema() -> str:
    """The JSON Schema published beside the harness's, for contributors' tools."""
    return json.dumps(BrowserResults.model_json_schema(), indent=1, sort_keys=True) + "\n"
