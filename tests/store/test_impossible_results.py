"""Well-formed results files that cannot be true are refused, naming the field: a rate past the
machine's own peak or the GPU's datasheet, FLOPs that are not the example's work, a date to come,
a file in another machine's folder, a peak its factors contradict, flags against their numbers.
The figures refuse them too, since they read results through the same check."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from whygpu import cli
from whygpu.report.build import draw_all
from whygpu.store import files

PEAK = 8 * 64 * 3e9  # tests/conftest.py's CPU: 8 cores x 64 FLOPs a cycle x 3 GHz


def _point(doc: dict, run: int = 0) -> dict:
    return doc["runs"][run]["points"][0]


def _at_rate(point: dict, flop_per_s: float) -> None:
    """The point's FLOPs set so that its own times read `flop_per_s`."""
    point["flops"] = flop_per_s * point["median_s"]


def _rounds(point: dict, *factors: float) -> None:
    point["rounds_s"] = [point["median_s"] * f for f in factors]
    point["round_spread"] = (max(factors) - min(factors)) / 1.0


def _gpu(doc: dict, make) -> dict:
    gpu = make.run("gpu", "NVIDIA A100-SXM4-80GB")
    doc["runs"].append(gpu)
    return gpu


IMPOSSIBLE = {
    "a point 1,000x its machine's recorded peak": (
        lambda d, make: _at_rate(_point(d), 1000 * PEAK),
        "runs[0].points[0].median_s",
    ),
    "a bf16 point past 16x the FP32 peak": (
        lambda d, make: (
            _point(d)["params"].update(dtype="bfloat16"),
            _at_rate(_point(d), 40 * PEAK),
        ),
        "runs[0].points[0].median_s",
    ),
    "a measurement dated 2099": (
        lambda d, make: d["runs"][0]["provenance"].update(date_utc="2099-01-01T00:00:00+00:00"),
        "runs[0].provenance.date_utc",
    ),
    "a machine field that is not its folder": (
        lambda d, make: d.update(machine="someone-else-4c"),
        "machine",
    ),
    "a CPU peak of 10^18 FLOP/s its factors contradict": (
        lambda d, make: d["runs"][0]["cpu_limits"]["peak"].update(flops=1e18),
        "runs[0].cpu_limits.peak.flops",
    ),
    "rounds 50% apart that do not disagree": (
        lambda d, make: (
            _rounds(_point(d), 0.8, 1.0, 1.3),
            _point(d).update(rounds_disagree=False),
        ),
        "runs[0].points[0].rounds_disagree",
    ),
    "a round spread its rounds do not have": (
        lambda d, make: _point(d).update(round_spread=0.5),
        "runs[0].points[0].round_spread",
    ),
    "a quiet point with an IQR of half its median": (
        lambda d, make: _point(d).update(iqr_s=_point(d)["median_s"] / 2, noisy=False),
        "runs[0].points[0].noisy",
    ),
    "a busy machine its load samples call quiet": (
        lambda d, make: d["runs"][0]["load"].update(busy=True),
        "runs[0].load.busy",
    ),
    "a GPU FP32 rate past its datasheet peak": (
        lambda d, make: _at_rate(_gpu(d, make)["points"][0], 100e12),  # A100: 19.5 TFLOP/s
        "runs[1].points[0].median_s",
    ),
    "an unknown GPU past every datasheet": (
        lambda d, make: _at_rate(
            (_gpu(d, make), d["runs"][1].update(device_name="Some Future GPU"))[0]["points"][0],
            1e18,
        ),
        "runs[1].points[0].median_s",
    ),
}


def _write(folder: Path, doc: dict, machine: str | None = None) -> Path:
    path = folder / (machine or "other-cpu-8c") / f"{doc['example']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def test_the_base_file_is_possible(tmp_path, make):
    """Each case below changes one thing in a file that passes."""
    assert files.load(_write(tmp_path, make.doc()))["machine"] == "other-cpu-8c"
    doc = make.doc()
    gpu = _gpu(doc, make)
    _at_rate(gpu["points"][0], 15e12)  # an A100 at 15 TFLOP/s FP32: under its 19.5
    files.load(_write(tmp_path, doc))


@pytest.mark.parametrize("case", list(IMPOSSIBLE))
def test_an_impossible_results_file_is_refused_naming_the_field(tmp_path, make, case):
    change, field = IMPOSSIBLE[case]
    doc = make.doc()
    change(doc, make)
    path = _write(tmp_path, doc)
    with pytest.raises(files.ResultsError) as error:
        files.load(path)
    assert error.value.field == field, str(error.value)
    assert str(path) in str(error.value)


def test_the_figures_refuse_to_draw_an_impossible_file(tmp_path, make):
    doc = make.doc()
    doc["runs"][0]["provenance"]["date_utc"] = "2099-01-01T00:00:00+00:00"
    _write(tmp_path / "results", doc)
    with pytest.raises(files.ResultsError, match=r"date_utc: 2099-01-01.* is in the future"):
        draw_all(tmp_path / "results", tmp_path / "figures")
    assert not (tmp_path / "figures").exists()


TOY = """
from whygpu.contract import Work

TITLE = "toy"
SIZE_LABEL = "n"
BENCHMARK_VERSION = 1
METRIC = "flops"
VARIANTS = ["default"]
SIZES = {"quick": [8, 16], "full": [8, 16]}

def work(size, variant="default"):
    return Work(flops=2 * size**3, bytes_moved=12 * size**2, params={"dtype": "float32"})

def workload(size, device, variant="default"):
    return lambda: None
"""


def test_validate_refuses_flops_that_are_not_the_examples_work(tmp_path, make, capsys):
    """The FLOPs a rate divides are the example's own count for that size (tests/conftest.py's
    points count 2n³ FLOPs and 12n² bytes, as the toy example's work() does)."""
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "conv2d.py").write_text(textwrap.dedent(TOY))
    good = _write(tmp_path / "a", make.doc())
    assert cli.main(["validate", str(good), "--examples", str(examples)]) == 0
    doc = make.doc()
    _point(doc)["flops"] *= 3
    bad = _write(tmp_path / "b", doc)
    assert cli.main(["validate", str(bad), "--examples", str(examples)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: runs[0].points[0].flops: is 3072, but the example's work() gives 1024" in err
    doc = make.doc()
    doc["benchmark_version"] = 2  # counted by another version of the example: not comparable
    _point(doc)["flops"] *= 3
    assert (
        cli.main(["validate", str(_write(tmp_path / "c", doc)), "--examples", str(examples)]) == 0
    )


def test_validate_says_what_it_left_out_when_an_example_does_not_import(tmp_path, make, capsys):
    examples = tmp_path / "examples"
    examples.mkdir()
    (examples / "conv2d.py").write_text(textwrap.dedent(TOY) + "\nraise RuntimeError('broken')\n")
    good = _write(tmp_path / "a", make.doc())
    assert cli.main(["validate", str(good), "--examples", str(examples)]) == 0
    captured = capsys.readouterr()
    assert "note: FLOPs and bytes not checked" in captured.err and "broken" in captured.err
    assert f"ok      {good}" in captured.out
