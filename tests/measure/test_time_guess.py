"""The run's guess of its own time, printed before a sweep: from what earlier results recorded
for each point (its time per call and the rest of a round), else from the plan alone."""

from __future__ import annotations

import pytest

from whygpu.measure import progress
from whygpu.measure.runner import PLANS


@pytest.fixture
def matmul(all_examples):
    return all_examples["matmul"]


def test_recorded_points_guess_from_their_own_calls_and_overheads(make, matmul):
    run = make.run()
    run["profile"], run["rounds"] = "full", 3
    point = make.point(64, 0.01, "fp32")
    full = PLANS["full"]
    point["wall_s"] = 3 * (progress.round_seconds(0.01, full, 0.0) + 0.5)  # 0.5 s beyond blocks
    run["points"] = [point]
    known = progress.recorded([make.doc("matmul", runs=[run])], PLANS)
    assert known[("matmul", "fp32", 64)] == pytest.approx((0.01, 0.5))
    quick = PLANS["quick"]
    points, seconds = progress.estimate([matmul], quick, "quick", known=known)
    sizes = matmul.sizes("quick")
    assert points == len(sizes) * len(matmul.variants)
    recorded_round = (
        0.5 + quick.warmup_calls * 0.01 + max(quick.min_run_time, 0.01 * quick.min_blocks)
    )
    plain_round = quick.min_run_time + progress.POINT_OVERHEAD_S
    expected = recorded_round + (points - 1) * plain_round
    assert seconds == pytest.approx(expected * 2)  # the quick profile's two rounds


def test_more_rounds_make_a_longer_guess(matmul):
    _, two = progress.estimate([matmul], PLANS["quick"], "quick")
    _, five = progress.estimate([matmul], PLANS["quick"], "quick", rounds=5)
    assert five == pytest.approx(two * 5 / 2)


@pytest.mark.parametrize(("seconds", "said"), [(0.2, "1 s"), (40, "40 s"), (246, "4.1 min")])
def test_a_guess_is_never_about_zero_minutes(seconds, said):
    assert progress.spoken(seconds) == said
