"""Sweeps: results land complete and valid; faults are recorded or leave earlier results intact."""

from __future__ import annotations

import json
import textwrap

import pytest

from whygpu.contract import examples
from whygpu.contract.names import SCHEMA_VERSION
from whygpu.measure import load, point, runner
from whygpu.measure.devices import DeviceUnavailable
from whygpu.measure.runner import RunOptions
from whygpu.measure.timing import Timing, TimingPlan
from whygpu.store import files as results

TOY = """
import os, time
import torch
from whygpu.contract import Work

TITLE = "toy"
SIZE_LABEL = "elements"
BENCHMARK_VERSION = 1
METRIC = "flops"
VARIANTS = ["default"]
SIZES = {"quick": [10, 20, 30, 40], "full": [10, 20, 30, 40, 50]}
OOM_AT = int(os.environ.get("TOY_OOM_AT", "0"))
INTERRUPT_AT = int(os.environ.get("TOY_INTERRUPT_AT", "0"))
BUILT = []

def work(size, variant):
    return Work(flops=2 * size, bytes_moved=8 * size, params={"n": size})

def workload(size, device, variant):
    BUILT.append(size)
    if size == OOM_AT:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 1 TiB")
    if size == INTERRUPT_AT:
        raise KeyboardInterrupt
    x = torch.ones(size, device=device)
    return lambda: (x * 2).sum()
"""


@pytest.fixture
def toy(tmp_path, monkeypatch):
    def load(**env):
        for key, value in env.items():
            monkeypatch.setenv(key, str(value))
        path = tmp_path / "examples" / "toy.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(textwrap.dedent(TOY))
        return examples.load(path)

    return load


def options(tmp_path, **kw):
    return RunOptions(
        accelerator="cpu", machine="test-machine", results_dir=tmp_path / "results", **kw
    )


@pytest.fixture(autouse=True)
def fast_plans(monkeypatch):
    monkeypatch.setattr(load, "SAMPLE_SECONDS", 0.01)
    fast = TimingPlan(min_run_time=0.005, min_blocks=3, warmup_calls=1)
    monkeypatch.setitem(runner.PLANS, "quick", fast)
    monkeypatch.setitem(runner.PLANS, "full", fast)


def test_sweep_writes_a_complete_valid_file(tmp_path, toy):
    report = runner.run_example(toy(), options(tmp_path))
    doc = results.load(report.path)
    run = doc["runs"][0]
    assert [p["size"] for p in run["points"]] == [10, 20, 30, 40]
    assert all(p["status"] == "ok" and p["median_s"] > 0 for p in run["points"])
    assert run["settings"]["num_threads"] >= 1
    assert run["provenance"]["cpu"]["physical_cores"] >= 1
    assert report.measured == 4 and report.reused == 0
    assert not list(report.path.parent.glob(".*.partial.json")), "progress file left behind"


def test_threads_option_is_recorded(tmp_path, toy):
    report = runner.run_example(toy(), options(tmp_path, num_threads=1))
    assert results.load(report.path)["runs"][0]["settings"]["num_threads"] == 1


def test_out_of_memory_at_one_size_is_skipped_and_the_sweep_goes_on(tmp_path, toy):
    report = runner.run_example(toy(TOY_OOM_AT=20), options(tmp_path))
    points = results.load(report.path)["runs"][0]["points"]
    assert [p["status"] for p in points] == ["ok", "skipped", "ok", "ok"]
    assert "out of memory" in points[1]["reason"]
    assert report.skipped and report.skipped[0][:2] == ("default", 20)


@pytest.mark.slow  # several sweeps
def test_interrupt_keeps_old_results_and_resume_finishes(tmp_path, toy):
    first = runner.run_example(toy(), options(tmp_path, num_threads=1))
    published = first.path.read_bytes()

    example = toy(TOY_INTERRUPT_AT=30)  # a run with other settings is killed at its third point
    with pytest.raises(KeyboardInterrupt):
        runner.run_example(example, options(tmp_path, num_threads=2))
    assert first.path.read_bytes() == published, "an interrupted run changed published results"
    partial = first.path.with_name(".toy.cpu.partial.json")
    assert [p["size"] for p in json.loads(partial.read_text())["runs"][0]["points"]] == [10, 20]

    example = toy(TOY_INTERRUPT_AT=0)
    example.module.BUILT.clear()
    report = runner.run_example(example, options(tmp_path, num_threads=2))
    # round 1 resumes at the third point; round 2 then visits every point
    assert example.module.BUILT == [30, 40, 10, 20, 30, 40], "resume remeasured finished rounds"
    assert report.reused == 2 and report.measured == 4
    assert [p["size"] for p in results.load(report.path)["runs"][0]["points"]] == [10, 20, 30, 40]
    assert not partial.exists()


@pytest.mark.slow  # several sweeps
def test_rerun_reuses_points_unless_forced(tmp_path, toy):
    example = toy()
    runner.run_example(example, options(tmp_path))
    example.module.BUILT.clear()
    again = runner.run_example(example, options(tmp_path))
    assert example.module.BUILT == [] and again.reused == 4
    forced = runner.run_example(example, options(tmp_path, force=True))
    assert example.module.BUILT == [10, 20, 30, 40] * 2 and forced.measured == 4


@pytest.mark.slow  # several sweeps
def test_changed_settings_are_not_reused(tmp_path, toy):
    example = toy()
    runner.run_example(example, options(tmp_path, num_threads=1))
    example.module.BUILT.clear()
    runner.run_example(example, options(tmp_path, num_threads=2))
    assert example.module.BUILT == [10, 20, 30, 40] * 2


@pytest.mark.slow  # several sweeps
def test_rounds_go_round_robin_and_the_value_is_their_median(tmp_path, toy):
    example = toy()
    report = runner.run_example(example, options(tmp_path, profile="full"))
    # every size once per round, not one size three times in a row
    assert example.module.BUILT == [10, 20, 30, 40, 50] * 3
    run = results.load(report.path)["runs"][0]
    assert run["rounds"] == 3
    for p in run["points"]:
        assert len(p["rounds_s"]) == 3
        assert p["median_s"] == sorted(p["rounds_s"])[1]
        spread = (max(p["rounds_s"]) - min(p["rounds_s"])) / p["median_s"]
        assert p["round_spread"] == pytest.approx(spread)
        assert p["rounds_disagree"] == (spread > 0.10)
    whens = [s["when"] for s in run["load"]["samples"]]
    assert whens == ["before the sweep", "after round 1", "after round 2", "after the sweep"]


def test_rounds_that_disagree_are_flagged_in_results_and_summary(tmp_path, toy, monkeypatch):
    slow = iter([1.0, 1.0, 1.0, 1.0, 1.5, 1.0, 1.0, 1.0])  # size 10's second round: 50% slower
    real = point.measure

    def measure(fn, device, *, num_threads, plan):
        # the call still runs, but its time is fixed: real times on a shared machine could
        # differ between rounds by more than the 50% this test puts in, or cancel it out
        t = real(fn, device, num_threads=num_threads, plan=plan)
        k = next(slow)
        samples = [1e-3 * k] * len(t.samples_s)
        return Timing(1e-3 * k, 0.0, samples, t.calls_per_sample, num_threads)

    monkeypatch.setattr(point, "measure", measure)
    report = runner.run_example(toy(), options(tmp_path))
    points = results.load(report.path)["runs"][0]["points"]
    flagged = [p["size"] for p in points if p["rounds_disagree"]]
    assert flagged == [10], "only the point whose rounds were put 50% apart"
    assert any("default size 10" in d for d in report.disagree)
    assert "rounds disagree" in "\n".join(report.summary())
    assert "--rounds 5" in "\n".join(report.summary()), "the summary says what to try"


def busy_sample(when, seconds=None):
    return load.LoadSample(when, 1.6, 2, "stress 1.60")


def test_a_busy_machine_is_recorded_and_said_loudly(tmp_path, toy, monkeypatch, capsys):
    monkeypatch.setattr(load, "sample", busy_sample)
    report = runner.run_example(toy(), options(tmp_path, num_threads=2))
    run = results.load(report.path)["runs"][0]
    assert run["load"]["busy"] is True
    assert run["load"]["samples"][0]["busiest"] == "stress 1.60"
    summary = "\n".join(report.summary())
    assert "BUSY MACHINE" in summary and "stress 1.60" in summary
    assert "oversubscribed" in summary  # 2 other threads beside 2 of ours
    assert "WARNING: the machine is busy" in capsys.readouterr().err


def test_require_quiet_stops_a_busy_run_and_publishes_nothing(tmp_path, toy, monkeypatch):
    first = runner.run_example(toy(), options(tmp_path))
    published = first.path.read_bytes()
    monkeypatch.setattr(load, "sample", busy_sample)
    with pytest.raises(runner.MachineBusy, match=r"stress 1\.60.*--require-quiet"):
        runner.run_example(toy(), options(tmp_path, require_quiet=True, force=True))
    assert first.path.read_bytes() == published


def test_gpu_run_without_a_gpu_says_why(tmp_path, toy, monkeypatch):
    monkeypatch.setattr("whygpu.measure.devices.gpu_device", lambda: None)
    with pytest.raises(DeviceUnavailable, match="no CUDA or MPS device"):
        runner.run_example(toy(), RunOptions(accelerator="gpu", results_dir=tmp_path))


def test_bad_example_names_file_and_attribute(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text(
        "TITLE = 'x'\nSIZE_LABEL = 'n'\nBENCHMARK_VERSION = 1\nMETRIC = 'flops'\n"
        "VARIANTS = ['a']\nSIZES = {'quick': [2, 1], 'full': [1]}\n"
    )
    with pytest.raises(examples.ExampleError, match=r"broken\.py: SIZES\['quick'\]"):
        examples.load(path)


def test_only_with_unknown_slug_is_a_clear_error(tmp_path, toy):
    toy()
    with pytest.raises(examples.ExampleError, match="--only: no example named nope"):
        examples.discover(tmp_path / "examples", ["nope"])


def test_a_second_sweep_on_the_same_accelerator_is_refused(tmp_path, toy):
    from whygpu.store import locks

    example = toy()
    lock = tmp_path / "results" / "test-machine" / ".cpu.lock"
    with (
        locks.hold(lock, wait=False, what="first run"),
        pytest.raises(locks.Busy, match="another whygpu run holds"),
    ):
        runner.run_example(example, options(tmp_path))
    assert not (tmp_path / "results" / "test-machine" / "toy.json").exists()


@pytest.mark.slow  # several sweeps
def test_runs_on_both_accelerators_both_land(tmp_path, toy, monkeypatch):
    import torch

    example = toy()
    runner.run_example(example, options(tmp_path))
    # Pretend the CPU is a GPU, to publish a second run into the same file.
    monkeypatch.setattr(runner, "resolve", lambda kind: torch.device("cpu"))
    report = runner.run_example(
        example,
        RunOptions(accelerator="gpu", machine="test-machine", results_dir=tmp_path / "results"),
    )
    doc = results.load(report.path)
    assert [r["accelerator"] for r in doc["runs"]] == ["cpu", "gpu"]


def test_malformed_published_file_stops_the_run_before_measuring(tmp_path, toy):
    example = toy()
    final = tmp_path / "results" / "test-machine" / "toy.json"
    final.parent.mkdir(parents=True)
    final.write_text(f'{{"schema_version": {SCHEMA_VERSION}}}')
    with pytest.raises(results.ResultsError, match=r"toy\.json: example: is missing"):
        runner.run_example(example, options(tmp_path))
    assert example.module.BUILT == []
    assert final.read_text() == f'{{"schema_version": {SCHEMA_VERSION}}}'


@pytest.mark.parametrize(
    "body, problem",
    [
        ("METRIC = 'watts'\nVARIANTS = ['a']", "METRIC must be one of"),
        ("METRIC = 'items'\nVARIANTS = ['a']", "needs ITEM_UNIT"),
        ("METRIC = 'flops'\nVARIANTS = ['Fast One']", "VARIANTS must be distinct"),
        ("METRIC = 'flops'\nVARIANTS = ['a', 'a']", "VARIANTS must be distinct"),
        ("METRIC = 'flops'\nVARIANTS = ['a']", r"must define work\(size, variant\)"),
    ],
)
def test_example_contract_errors_are_specific(tmp_path, body, problem):
    path = tmp_path / "broken.py"
    path.write_text(
        "TITLE = 'x'\nSIZE_LABEL = 'n'\nBENCHMARK_VERSION = 1\n"
        f"SIZES = {{'quick': [1], 'full': [1]}}\n{body}\n"
    )
    with pytest.raises(examples.ExampleError, match=problem):
        examples.load(path)


SELF_TIMED = (
    TOY
    + """
def measure(size, device, variant, *, threads, plan):
    from whygpu.measure.timing import summarize
    return summarize([1e-3 * size, 1.1e-3 * size, 0.9e-3 * size], 1, max(1, threads // 2))
"""
)


def test_an_example_that_times_itself_is_recorded_with_its_threads(tmp_path):
    path = tmp_path / "examples" / "toy.py"
    path.parent.mkdir()
    path.write_text(textwrap.dedent(SELF_TIMED))
    example = examples.load(path)
    assert example.times_itself
    report = runner.run_example(example, options(tmp_path, num_threads=4))
    points = results.load(report.path)["runs"][0]["points"]
    assert [p["median_s"] for p in points] == pytest.approx([1e-3 * s for s in (10, 20, 30, 40)])
    assert all(p["params"]["threads_per_process"] == 2 for p in points)
    assert example.module.BUILT == [], "the in-process workload was built anyway"


def test_a_sweep_hands_each_step_to_save_and_leaves_its_inputs_alone(toy):
    """The sweep's parts: one Target in, progress out through `save` after every point, one
    Swept back; the earlier points it resumes from are not changed."""
    import copy

    import torch

    from whygpu.measure import sweep

    example = toy(TOY_OOM_AT=20)
    earlier = {("default", 40): {"variant": "default", "size": 40, "status": "skipped",
                                 "reason": "unsupported: earlier"}}  # fmt: skip
    before = copy.deepcopy(earlier)
    saved = []
    target = sweep.Target(
        example, "cpu", "quick", torch.device("cpu"), 1, runner.PLANS["quick"], False
    )
    swept = sweep.sweep(target, earlier, lambda points, record: saved.append((points, record)))
    assert earlier == before
    # two rounds of sizes 10 and 30; size 20 is skipped at its first round, 40 came skipped
    assert len(saved) == 5 and saved[-1][0] == swept.points
    assert [p["size"] for p in saved[0][0]] == [10, 40]
    assert [p["status"] for p in swept.points] == ["ok", "skipped", "ok", "skipped"]
    assert swept.measured == 2 and swept.reused == 1
    whens = [s["when"] for s in swept.load["samples"]]
    assert whens == ["before the sweep", "after round 1", "after the sweep"]
