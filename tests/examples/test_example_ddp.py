"""Data-parallel training: two CPU processes both train, and none is left behind."""

from __future__ import annotations

import sys

import pytest
import torch

from whygpu.measure.processes import GroupFailed, group_alive, run_group

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ddp(all_examples):
    return all_examples["ddp"].module


def test_two_process_ddp_trains_on_both_ranks(ddp):
    report = ddp.train_in_processes(64, torch.device("cpu"), "ddp-2", threads=1, steps=25, block=5)
    ranks = sorted(report["ranks"], key=lambda r: r["rank"])
    assert [r["rank"] for r in ranks] == [0, 1]
    for rank in ranks:
        assert rank["world_size"] == 2 and rank["strategy"] == "DDPStrategy"
        assert rank["steps"] == 25
        assert rank["loss_last"] < rank["loss_first"], f"rank {rank['rank']} did not learn"
    assert len(ranks[0]["block_s"]) == (25 - ddp.WARMUP_STEPS) // 5
    assert all(s > 0 for s in ranks[0]["block_s"])


def test_one_global_step_counts_every_process_samples(ddp):
    assert ddp.work(64, "ddp-2").items == 2 * ddp.work(64, "ddp-1").items == 128


def test_one_process_does_the_two_processes_step_with_all_their_cores(ddp):
    """The fair baseline: the same samples per step as ddp-2, in one process with both shares."""
    assert ddp.work(64, "one-process").items == ddp.work(64, "ddp-2").items
    assert ddp.work(64, "one-process").params["batch_per_process"] == 128
    assert ddp.threads_per_process(2, "one-process") == 2 * ddp.threads_per_process(2, "ddp-2")
    report = ddp.train_in_processes(
        64, torch.device("cpu"), "one-process", threads=2, steps=16, block=5
    )
    (rank,) = report["ranks"]
    assert rank["world_size"] == 1 and rank["loss_last"] < rank["loss_first"]


def test_every_variant_batch_fits_the_images_its_rank_trains_on(ddp):
    x_train = ddp.train_cnn().load_data()[0]
    for variant in ddp.VARIANTS:
        batch = ddp.batch_per_process(max(ddp.SIZES["full"]), variant)
        assert batch <= len(x_train) // ddp.data_shards(variant), variant


def test_ddp_on_apple_gpu_is_skipped_with_a_reason(ddp):
    from whygpu.contract import Unsupported

    with pytest.raises(Unsupported, match="not on 'mps'"):
        ddp.accelerator_for(torch.device("mps"), 2)


SPAWNER = (
    "import subprocess, sys, time;"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
    "time.sleep(float(sys.argv[1])); sys.exit(int(sys.argv[2]))"
)


def _spawn(seconds: float, code: int, timeout: float):
    return run_group([sys.executable, "-c", SPAWNER, str(seconds), str(code)], timeout=timeout)


@pytest.fixture
def launched(monkeypatch) -> list[int]:
    """The pids (and so process groups) run_group starts during the test."""
    import whygpu.measure.processes as processes

    seen: list[int] = []
    real = processes.subprocess.Popen

    def remember(*args, **kwargs):
        proc = real(*args, **kwargs)
        seen.append(proc.pid)
        return proc

    monkeypatch.setattr(processes.subprocess, "Popen", remember)
    return seen


def test_a_finished_run_leaves_no_process_behind(launched):
    _spawn(0.2, 0, timeout=30)  # exits at once; the child it started would sleep for a minute
    assert launched and not group_alive(launched[0]), "the run's child outlived it"


@pytest.mark.parametrize(("seconds", "code", "timeout"), [(0.2, 3, 30), (30, 0, 1)])
def test_a_failed_or_stuck_run_is_stopped_with_all_its_processes(launched, seconds, code, timeout):
    with pytest.raises(GroupFailed, match=r"exited 3|ran past"):
        _spawn(seconds, code, timeout)
    assert launched and not group_alive(launched[0]), "a process of the run is still alive"
