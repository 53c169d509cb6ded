"""One round of one point: build the workload, time it, and turn what stopped it (out of
memory, an unsupported variant) into a skipped point with its reason, instead of a crash."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import torch

from whygpu.contract import Unsupported
from whygpu.contract.examples import Example
from whygpu.measure.timing import Timing, TimingPlan, measure


def measure_round(
    example: Example,
    variant: str,
    size: int,
    device: torch.device,
    threads: int,
    plan: TimingPlan,
) -> tuple[Timing, Any, float] | dict[str, Any]:
    """Build and time one round of one point, or the skipped point (out of memory, unsupported)."""
    started = time.perf_counter()
    cost = example.work(size, variant)
    where = {"variant": variant, "size": size}
    try:
        if example.times_itself:  # e.g. several processes: the example runs its own clock
            timing = example.module.measure(size, device, variant, threads=threads, plan=plan)
            # its processes may split the threads among themselves: record what each one had
            cost = replace(cost, params={**cost.params, "threads_per_process": timing.num_threads})
        else:
            fn = example.workload(size, device, variant)
            timing = measure(fn, device, num_threads=threads, plan=plan)
    except Unsupported as exc:
        return _skipped(where, f"unsupported: {_first_line(exc)}", device)
    except torch.OutOfMemoryError as exc:
        return _skipped(where, f"out of memory: {_first_line(exc)}", device)
    except (NotImplementedError, TypeError) as exc:
        return _skipped(where, f"unsupported: {_first_line(exc)}", device)
    except RuntimeError as exc:
        text = str(exc).lower()
        if "out of memory" in text or "not implemented" in text or "not supported" in text:
            return _skipped(where, _first_line(exc), device)
        raise
    return timing, cost, time.perf_counter() - started


def _skipped(where: dict[str, Any], reason: str, device: torch.device) -> dict[str, Any]:
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return {**where, "status": "skipped", "reason": reason[:300]}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__).replace("<", "‹").replace(">", "›")
