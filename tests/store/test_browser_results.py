"""Browser results (the Measure page's export): their own schema, the same kind of messages,
and never drawn into the figures."""

from __future__ import annotations

import copy
import json
import typing

import pytest

from whygpu.contract.names import BROWSER_FORMAT, BROWSER_VERSION
from whygpu.store import browser, files

GOOD = {
    "format": BROWSER_FORMAT,
    "version": 1,
    "created_utc": "2026-12-02T01:02:03Z",
    "page": "measure/",
    "browser": {
        "user_agent": "Mozilla/5.0 HeadlessChrome",
        "threads_used": 1,
        "hardware_concurrency": 2,
    },
    "adapter": {
        "vendor": "google",
        "architecture": "swiftshader",
        "device": "",
        "description": "SwiftShader Device (Subzero)",
        "fallback": False,
        "software": True,
    },
    "budget_s": 90,
    "stopped": False,
    "points": [
        {
            "side": "cpu-wasm",
            "size": 64,
            "median_s": 1e-4,
            "q1_s": 9e-5,
            "q3_s": 2e-4,
            "samples": 9,
            "flops": 524288,
        },
        {
            "side": "gpu",
            "size": 64,
            "median_s": 3e-4,
            "q1_s": 2e-4,
            "q3_s": 4e-4,
            "samples": 5,
            "flops": 524288,
            "verified": True,
            "max_rel_error": 1e-7,
        },
    ],
    "round_trip": {"median_s": 2e-4, "q1_s": 1e-4, "q3_s": 3e-4, "samples": 5},
    "copies": [
        {
            "direction": "to-gpu",
            "bytes": 65536,
            "median_s": 1e-4,
            "q1_s": 1e-4,
            "q3_s": 2e-4,
            "samples": 4,
        }
    ],
}


def _write(tmp_path, data, name="browser.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_a_browser_result_validates(tmp_path):
    assert files.load_any(_write(tmp_path, GOOD))["format"] == BROWSER_FORMAT


def test_a_browser_result_is_not_loaded_as_harness_results(tmp_path):
    """`load` hands out harness results only: the runner and the report never get this one."""
    with pytest.raises(files.ResultsError, match="is a browser result") as error:
        files.load(_write(tmp_path, GOOD))
    assert error.value.field == "format"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["points"][0].update(median_s=-1.0), "points[0].median_s"),
        (lambda d: d.pop("budget_s"), "budget_s"),
        (lambda d: d["adapter"].update(vendor="<script>x</script>"), "adapter.vendor"),
        (lambda d: d["points"][1].update(verified=False), "points[1].verified"),
        (lambda d: d["points"][1].pop("verified"), "points[1].verified"),
        (lambda d: d.update(adapter=None), "points[1].side"),
        (lambda d: d["points"][0].update(q1_s=1.0), "points[0].median_s"),
        (lambda d: d.update(extra=1), "extra"),
    ],
)
def test_a_tampered_browser_result_is_refused_naming_the_field(tmp_path, change, field):
    _refused(tmp_path, change, field)


def _refused(tmp_path, change, field: str) -> None:
    """GOOD with `change` made is refused, naming `field`."""
    data = copy.deepcopy(GOOD)
    change(data)
    with pytest.raises(files.ResultsError) as error:
        files.load_any(_write(tmp_path, data))
    assert error.value.field == field, str(error.value)


def _at_rate(point: dict, flop_per_s: float) -> None:
    """The point's times set so that it reads `flop_per_s`, its quartiles around them."""
    point.update(median_s=point["flops"] / flop_per_s)
    point.update(q1_s=point["median_s"] * 0.9, q3_s=point["median_s"] * 1.1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: _at_rate(d["points"][0], 10e15), "points[0].median_s"),  # one thread, 10 PFLOP/s
        (lambda d: _at_rate(d["points"][1], 1e18), "points[1].median_s"),  # a GPU at 1 EFLOP/s
        (lambda d: d["points"][0].update(size=10**12, flops=2e36), "points[0].size"),
        (lambda d: d["points"][1].update(flops=1e6), "points[1].flops"),  # not 2n³
        (lambda d: d.update(created_utc="2099-01-01T00:00:00Z"), "created_utc"),
    ],
    ids=["wasm at 10 PFLOP/s", "GPU at 1 EFLOP/s", "size 10^12", "flops not 2n3", "dated 2099"],
)
def test_an_impossible_browser_result_is_refused_naming_the_field(tmp_path, change, field):
    _refused(tmp_path, change, field)


def test_a_browser_result_under_results_is_refused_by_the_figures(tmp_path):
    (tmp_path / "some-machine").mkdir()
    _write(tmp_path / "some-machine", GOOD, "measure.json")
    with pytest.raises(files.ResultsError, match="is a browser result"):
        files.load_all(tmp_path)


def test_the_schema_accepts_the_version_the_page_is_given():
    """The page writes the version measure.json carries (BROWSER_VERSION): the schema's one."""
    annotation = browser.BrowserResults.model_fields["version"].annotation
    assert typing.get_args(annotation) == (BROWSER_VERSION,)
