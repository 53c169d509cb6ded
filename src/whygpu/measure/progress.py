"""How long a sweep has left, guessed from what it has measured so far, for the progress bar."""

from __future__ import annotations

import math

from whygpu.contract.examples import Example
from whygpu.contract.thresholds import ROUNDS
from whygpu.measure.timing import TimingPlan


def eta(
    rates: dict[str, float],
    last_call: dict[str, float],
    example: Example,
    remaining: list[tuple[str, int]],
    plan: TimingPlan,
    walls: list[float],
) -> str:
    """A rough time left: each point costs its warm-up plus max(min run time, blocks x call).

    A call is guessed from the variant's best throughput so far (small sizes run below it), and
    never shorter than the variant's last call, since sizes only grow. An example that times
    itself (starting processes, say) is not paced by its calls: there each point is taken to
    cost what the points so far did.
    """
    if not rates and not example.times_itself:
        return ""
    seconds = 0.0
    if example.times_itself:
        if not walls:
            return ""
        seconds = sum(walls) / len(walls) * len(remaining)
        remaining = []
    fallback = max(rates.values(), default=0.0)
    for variant, size in remaining:
        work = example.work(size, variant).amount(example.metric)
        rate = rates.get(variant, fallback)
        call = max(work / rate if work and rate else 0.0, last_call.get(variant, 0.0))
        seconds += plan.warmup_calls * call + max(plan.min_run_time, plan.min_blocks * call)
    return f", ~{math.ceil(seconds)} s left" if seconds >= 1 else ""


#: A guess of what one point costs beyond its timed blocks (building inputs, warm-up, Timer's
#: own calibration), and what a point of an example that starts its own processes costs.
POINT_OVERHEAD_S = 0.3
SELF_TIMED_POINT_S = 10.0


def estimate(examples: list[Example], plan: TimingPlan, profile: str) -> tuple[int, float]:
    """Points to measure and a rough time for them (every round), printed before a sweep."""
    points, seconds = 0, 0.0
    for example in examples:
        n = len(example.sizes(profile)) * len(example.variants)
        points += n
        per_point = SELF_TIMED_POINT_S if example.times_itself else plan.min_run_time
        seconds += n * (per_point + POINT_OVERHEAD_S)
    return points, seconds * ROUNDS[profile]
