"""How long a sweep has left, guessed from what it has measured so far, for the progress bar."""

from __future__ import annotations

import math

from whygpu.contract.examples import Example
from whygpu.contract.thresholds import ROUNDS
from whygpu.measure.timing import TimingPlan
from whygpu.store.types import ResultsDoc


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
#: own calibration), and what a point of an example that starts its own processes costs, where
#: no results file has recorded that point's time.
POINT_OVERHEAD_S = 0.3
SELF_TIMED_POINT_S = 10.0
#: (example, variant, size) -> (seconds per call, seconds of one round beyond its timed blocks)
Recorded = dict[tuple[str, str, int], tuple[float, float]]


def spoken(seconds: float) -> str:
    """A guessed duration as a person says it: "40 s", "4.1 min", never "0 min"."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{seconds / 60:.1f} min"


def round_seconds(call: float, plan: TimingPlan, overhead: float) -> float:
    """One round of a point: its warm-up calls, its timed blocks, and what else it costs."""
    return overhead + plan.warmup_calls * call + max(plan.min_run_time, plan.min_blocks * call)


def recorded(docs: list[ResultsDoc], plans: dict[str, TimingPlan]) -> Recorded:
    """What earlier results say each point costs: its time per call, and the rest of a round's
    wall time once its warm-up and timed blocks (under the plan it ran with) are taken away."""
    out: Recorded = {}
    for doc in docs:
        for run in doc["runs"]:
            plan, rounds = plans.get(run["profile"]), max(1, run["rounds"])
            if run["accelerator"] != "cpu" or plan is None:
                continue
            for p in run["points"]:
                if p["status"] != "ok":
                    continue
                call = p["median_s"]
                rest = p["wall_s"] / rounds - round_seconds(call, plan, 0.0)
                out.setdefault((doc["example"], p["variant"], p["size"]), (call, max(0.0, rest)))
    return out


def estimate(
    examples: list[Example],
    plan: TimingPlan,
    profile: str,
    rounds: int | None = None,
    known: Recorded | None = None,
) -> tuple[int, float]:
    """Points to measure and a guess of their time (every round), printed before a sweep: from
    the time per call and per round that earlier results recorded for a point (`known`), else
    from the plan's minimum time and a fixed cost a point."""
    points, seconds = 0, 0.0
    known = known or {}
    for example in examples:
        for size in example.sizes(profile):
            for variant in example.variants:
                points += 1
                if (example.slug, variant, size) in known:
                    call, rest = known[(example.slug, variant, size)]
                    seconds += round_seconds(call, plan, rest)
                elif example.times_itself:
                    seconds += SELF_TIMED_POINT_S + POINT_OVERHEAD_S
                else:
                    seconds += plan.min_run_time + POINT_OVERHEAD_S
    return points, seconds * (rounds or ROUNDS[profile])
