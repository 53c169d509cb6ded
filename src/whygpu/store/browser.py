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

from whygpu.contract.names import BROWSER_FORMAT
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


def relations(data: BrowserDoc) -> tuple[str, str] | None:
    """What the schema cannot say, as (field, problem): quartiles around their median, a GPU
    point only with an adapter and only when its product was checked."""
    for i, p in enumerate(data["points"]):
        if not p["q1_s"] <= p["median_s"] <= p["q3_s"]:
            return f"points[{i}].median_s", "must lie between q1_s and q3_s"
        if p["side"] != "cpu-wasm":
            if data["adapter"] is None:
                return f"points[{i}].side", "is a GPU point, but the file names no adapter"
            if p.get("verified") is not True:  # the page may leave it out: unchecked
                return f"points[{i}].verified", "must be true: an unchecked GPU product is no data"
    return None


def json_schema() -> str:
    """The JSON Schema published beside the harness's, for contributors' tools."""
    return json.dumps(BrowserResults.model_json_schema(), indent=1, sort_keys=True) + "\n"
