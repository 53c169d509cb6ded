"""One sweep: every point of one example on one device, round by round, with progress kept.

Split from the runner, which decides what to measure and publishes the file: here are the
round-robin order, the points measured so far (`_Progress`), the machine's load between rounds
(`_LoadWatch`) and the progress bar. A sweep gets what it measures as one `Target`, hands each
step's points to a `save` callback (the runner writes them to the in-progress file) and returns
what it measured as one `Swept`; it changes none of its arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import torch
from tqdm.auto import tqdm

from whygpu.contract.examples import Example
from whygpu.contract.thresholds import ROUNDS
from whygpu.contract.work import amount
from whygpu.measure import load
from whygpu.measure.hardware import logical_cpus
from whygpu.measure.point import Outcome, measure_round
from whygpu.measure.progress import eta
from whygpu.measure.rounds import Rounds
from whygpu.measure.timing import TimingPlan
from whygpu.store.types import Point


class MachineBusy(RuntimeError):
    """`--require-quiet` and other processes were using the CPU; nothing was published."""


Key = tuple[str, int]  # (variant, size): one point of a sweep
Save = Callable[[list[dict[str, Any]], dict[str, Any]], None]  # points so far, load record


@dataclass(frozen=True)
class Target:
    """What one sweep measures, where and how: fixed from its first point to its last."""

    example: Example
    accelerator: str
    profile: str
    device: torch.device
    threads: int
    plan: TimingPlan
    require_quiet: bool = False
    rounds: int | None = None  # None: the profile's (contract.thresholds.ROUNDS)

    @property
    def round_count(self) -> int:
        return self.rounds or ROUNDS[self.profile]

    def todo(self) -> list[Key]:
        """Every point in sweep order: size by size, every variant in turn."""
        sizes = self.example.sizes(self.profile)
        return [(v, s) for s in sizes for v in self.example.variants]


@dataclass
class Swept:
    """What a sweep leaves: its points and load record for the file, counts for the report."""

    points: list[dict[str, Any]]
    load: dict[str, Any]
    measured: int
    reused: int
    busy: list[str]


def sweep(target: Target, earlier: Mapping[Key, Point], save: Save) -> Swept:
    """Measure every variant at every size once per round, saving progress after each point.

    Within a round, size by size and every variant in turn: variants compared at one size (one
    process against two, fp32 against bf16) are measured minutes apart at most, so a slow spell
    cannot tilt their ratio much; across rounds, a slow spell lands on different points.
    """
    example, plan = target.example, target.plan
    todo = target.todo()
    progress = _Progress.resumed(example, todo, earlier)
    watch = _LoadWatch(example.slug, target.threads, target.require_quiet)
    rounds = target.round_count
    left = progress.left(rounds)
    watch.check("before the sweep")
    with _bar(target, len(left)) as bar:
        for index, (round_no, key) in enumerate(left):
            if index and left[index - 1][0] != round_no:
                watch.check(f"after round {round_no}")
            if key not in progress.skipped:  # skipped earlier in this run: it stays skipped
                guess = progress.eta(example, [k for _, k in left[index:]], plan)
                bar.set_postfix_str(f"round {round_no + 1}/{rounds} {key[0]} size {key[1]}{guess}")
                outcome = measure_round(example, *key, target.device, target.threads, plan)
                progress.add(key, outcome, example.metric)
                save(progress.points(), watch.record())
            bar.update(1)
    watch.check("after the sweep")
    return Swept(
        progress.points(),
        watch.record(),
        measured=len(progress.measured - set(progress.skipped)),
        reused=sum(1 for k in todo if k in earlier),  # points with a round from before
        busy=list(watch.busy),
    )


def _bar(target: Target, total: int) -> tqdm:
    return tqdm(
        total=total,
        unit="pt",
        desc=f"{target.example.slug} · {target.accelerator}",
        dynamic_ncols=True,
        file=sys.stderr,
    )


@dataclass
class _Progress:
    """A sweep's points so far: the rounds of each, the points skipped, and what paces the ETA."""

    todo: list[Key]
    rounds: dict[Key, Rounds] = field(default_factory=dict)
    skipped: dict[Key, dict[str, Any]] = field(default_factory=dict)
    measured: set[Key] = field(default_factory=set)  # measured in this run, not resumed
    rates: dict[str, float] = field(default_factory=dict)  # per variant, best throughput yet
    last_call: dict[str, float] = field(default_factory=dict)  # per variant, seconds
    walls: list[float] = field(default_factory=list)  # each round's seconds, for self-timed ones

    @classmethod
    def resumed(cls, example: Example, todo: list[Key], earlier: Mapping[Key, Point]) -> _Progress:
        """Start from the points an earlier, interrupted run of the same settings measured."""
        progress = cls(todo)
        for (variant, size), point in earlier.items():
            if point["status"] == "skipped":
                progress.skipped[(variant, size)] = dict(point)
            else:
                cost = replace(example.work(size, variant), params=dict(point["params"]))
                progress.rounds[(variant, size)] = Rounds.resumed(point, cost)
        return progress

    def left(self, rounds: int) -> list[tuple[int, Key]]:
        """(round, point) still to measure, round by round; a skipped point is not retried."""
        have = {k: len(self.rounds[k].medians) if k in self.rounds else 0 for k in self.todo}
        return [
            (r, k)
            for r in range(rounds)
            for k in self.todo
            if k not in self.skipped and have[k] <= r
        ]

    def add(self, key: Key, outcome: Outcome, metric: str) -> None:
        """One round's outcome (see measure_round): a timed round, or the point skipped."""
        if outcome.timing is None:
            self.skipped[key] = outcome.skipped_point()
            self.rounds.pop(key, None)
            return
        timing, cost, wall = outcome.timing, outcome.cost, outcome.wall_s
        self.rounds.setdefault(key, Rounds(cost)).add(timing, wall)
        self.measured.add(key)
        self.walls.append(wall)
        variant = key[0]
        work = amount({**vars(cost), "status": "ok"}, metric)
        if work:
            self.rates[variant] = max(self.rates.get(variant, 0.0), work / timing.median_s)
        self.last_call[variant] = timing.median_s

    def eta(self, example: Example, remaining: list[Key], plan: TimingPlan) -> str:
        return eta(self.rates, self.last_call, example, remaining, plan, self.walls)

    def points(self) -> list[dict[str, Any]]:
        """Every point with at least one round, in sweep order."""
        out = []
        for variant, size in self.todo:
            if (variant, size) in self.skipped:
                out.append(self.skipped[(variant, size)])
            elif (variant, size) in self.rounds:
                out.append(self.rounds[(variant, size)].point({"variant": variant, "size": size}))
        return out


@dataclass
class _LoadWatch:
    """What other processes did to the machine, sampled before, between rounds and after."""

    example: str
    threads: int
    require_quiet: bool
    samples: list[dict[str, Any]] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)  # what each busy sample saw

    def check(self, when: str) -> None:
        """Sample the load; say so loudly when busy, or stop under --require-quiet."""
        seen = load.sample(when)
        self.samples.append(seen.record())
        if not seen.busy:
            return
        text = seen.describe(self.threads, logical_cpus() or self.threads)
        self.busy.append(text)
        if self.require_quiet:
            raise MachineBusy(f"{self.example}: {text}; nothing was published (--require-quiet)")
        tqdm.write(
            f"WARNING: the machine is busy: {text}. Timings will be slow and noisy; "
            "--require-quiet makes this an error.",
            file=sys.stderr,
        )

    def record(self) -> dict[str, Any]:
        """The run's `load` as results files hold it."""
        return {
            "busy": bool(self.busy),
            "threshold_cores": load.BUSY_CORES,
            "samples": list(self.samples),
        }
