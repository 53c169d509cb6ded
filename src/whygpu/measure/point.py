"""One round of one point: build the workload, time it, and turn what stopped it (out of
memory, an unsupported variant) into a skipped point with its reason, instead of a crash."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import torch

from whygpu.contract import Unsupported
from whygpu.contract.examples import Example
from whygpu.contract.work import Work
from whygpu.measure.timing import Timing, TimingPlan, measure


@dataclass(frozen=True)
class Outcome:
    """One round of one point: timed (`timing`, its `cost`, the seconds it took), or skipped
    with the reason (`skipped` set, `timing` None)."""

    variant: str
    size: int
    cost: Work
    timing: Timing | None = None
    wall_s: float = 0.0
    skipped: str | None = None

    def skipped_point(self) -> dict[str, Any]:
        """The skipped point as a results file records it."""
        return {
            "variant": self.variant,
            "size": self.size,
            "status": "skipped",
            "reason": (self.skipped or "")[:300],
        }


def measure_round(
    example: Example,
    variant: str,
    size: int,
    device: torch.device,
    threads: int,
    plan: TimingPlan,
) -> Outcome:
    """Build and time one round of one point, or skip it (out of memory, unsupported)."""
    started = time.perf_counter()
    cost = example.work(size, variant)

    def skipped(reason: str) -> Outcome:
        if device.type == "cuda":
            torch.cuda.empty_cache()
        return Outcome(variant, size, cost, skipped=reason)

    try:
        if example.times_itself:  # e.g. several processes: the example runs its own clock
            timing = example.module.measure(size, device, variant, threads=threads, plan=plan)
            # its processes may split the threads among themselves: record what each one had
            cost = replace(cost, params={**cost.params, "threads_per_process": timing.num_threads})
        else:
            fn = example.workload(size, device, variant)
            timing = measure(fn, device, num_threads=threads, plan=plan)
    except Unsupported as exc:
        return skipped(f"unsupported: {_first_line(exc)}")
    except torch.OutOfMemoryError as exc:
        return skipped(f"out of memory: {_first_line(exc)}")
    except (NotImplementedError, TypeError) as exc:
        return skipped(f"unsupported: {_first_line(exc)}")
    except RuntimeError as exc:
        text = str(exc).lower()
        if "out of memory" in text or "not implemented" in text or "not supported" in text:
            return skipped(_first_line(exc))
        raise
    return Outcome(variant, size, cost, timing, time.perf_counter() - started)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).replace("<", "‹").replace(">", "›")
