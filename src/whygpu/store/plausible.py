"""What cannot be true of a measurement, whatever its file's shape: checks of physics and of
consistency that a schema cannot express.

A results file may be well formed and still impossible: a rate a thousand times its machine's
own peak, a date in the future, a peak its own factors contradict, a flag that says the
opposite of the numbers it summarizes. Each check here names the field, so `whygpu validate`
refuses such a file and the figures never draw it. Bounds are generous on purpose: they are
there to stop what cannot be, not to judge what is merely surprising.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from whygpu.contract import thresholds
from whygpu.contract.datasheet import REFERENCE_GPUS, Gpu, products_named
from whygpu.contract.thresholds import NOISY_IQR_FRACTION, ROUND_DISAGREE_FRACTION
from whygpu.contract.work import Work
from whygpu.store.errors import ResultsError

#: A measured CPU peak can read low (a probe once counted 1.59 FMA units for 2, a peak 21% under
#: the truth), so an FP32 rate is refused only beyond one and a half times the recorded peak.
CPU_PEAK_MARGIN = 1.5
#: Other precisions may run on units the FP32 peak leaves out: Intel's AMX does 1,024 bf16
#: FLOPs a cycle per core against AVX-512's 64 FP32, sixteen times as many.
OTHER_PRECISION_FACTOR = 16
#: Datasheet peaks are at the boost clock already; a tenth above one is not a measurement.
GPU_PEAK_MARGIN = 1.1
#: A peak is cores x FLOPs per cycle x clock; the record keeps each factor rounded.
PEAK_PRODUCT_TOLERANCE = 0.01
#: A clock on another machine may run ahead of ours; a day ahead is a date still to come.
FUTURE_SLACK = dt.timedelta(days=1)
#: The rounds' spread as recorded against the one recomputed from `rounds_s`.
SPREAD_TOLERANCE = 1e-6


def check_results(data: Mapping[str, Any], path: Path | str) -> None:
    """Refuse a harness results file that cannot be true, naming the field."""
    if isinstance(path, Path) and path.parent.name and path.parent.name != data["machine"]:
        raise ResultsError(
            path,
            "machine",
            f"{data['machine']!r} is not the folder it sits in ({path.parent.name!r}): a file "
            "lives in results/<machine>/",
        )
    for i, run in enumerate(data["runs"]):
        where = f"runs[{i}]"
        _check_date(run["provenance"]["date_utc"], path, f"{where}.provenance.date_utc")
        _check_load(run["load"], path, f"{where}.load")
        peak = _checked_peak(run["cpu_limits"], path, f"{where}.cpu_limits.peak")
        for j, point in enumerate(run["points"]):
            if point["status"] != "ok":
                continue
            at = f"{where}.points[{j}]"
            _check_flags(point, path, at)
            rate = point["flops"] / point["median_s"]
            if peak is not None:
                bound = peak * CPU_PEAK_MARGIN * _precision_factor(point)
                if rate > bound:
                    raise ResultsError(
                        path,
                        f"{at}.median_s",
                        f"gives {rate / 1e9:,.1f} GFLOP/s, over {bound / 1e9:,.1f} "
                        f"({CPU_PEAK_MARGIN}x the machine's recorded peak of "
                        f"{peak / 1e9:,.1f}{_precision_note(point)}): no CPU runs faster than its "
                        "peak",
                    )
            if run["accelerator"] == "gpu":
                limit, named = _gpu_limit(run, point)
                if rate > limit * GPU_PEAK_MARGIN:
                    raise ResultsError(
                        path,
                        f"{at}.median_s",
                        f"gives {rate / 1e12:,.1f} TFLOP/s, over {named} "
                        f"({limit / 1e12:,.1f} TFLOP/s, with a {GPU_PEAK_MARGIN - 1:.0%} margin)",
                    )


def future(value: str) -> str | None:
    """What is wrong with an ISO 8601 time still to come (a clock a day ahead is tolerated)."""
    when = dt.datetime.fromisoformat(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = dt.datetime.now(dt.timezone.utc)
    if when > now + FUTURE_SLACK:
        return f"{value} is in the future (now: {now:%Y-%m-%d %H:%M} UTC)"
    return None


def _check_date(value: str, path: Path | str, field: str) -> None:
    problem = future(value)
    if problem:
        raise ResultsError(path, field, problem)


def _check_load(load: Mapping[str, Any] | None, path: Path | str, field: str) -> None:
    if load is None:
        return
    over = [s for s in load["samples"] if s["other_cores"] > load["threshold_cores"]]
    if bool(over) != load["busy"]:
        said = "busy" if load["busy"] else "quiet"
        raise ResultsError(
            path,
            f"{field}.busy",
            f"says the machine was {said}, but {len(over)} of its {len(load['samples'])} samples "
            f"are over its own threshold of {load['threshold_cores']} cores",
        )


def _checked_peak(limits: Mapping[str, Any] | None, path: Path | str, field: str) -> float | None:
    """The recorded CPU peak, once its factors agree with it; None where none was measured."""
    if limits is None:
        return None
    peak = limits["peak"]
    product = peak["cores"]["value"] * peak["flops_per_cycle"]["value"] * peak["clock_hz"]["value"]
    if abs(peak["flops"] - product) > PEAK_PRODUCT_TOLERANCE * product:
        raise ResultsError(
            path,
            f"{field}.flops",
            f"is {peak['flops']:.4g} FLOP/s, but its factors give {product:.4g} "
            f"({peak['cores']['value']:g} cores x {peak['flops_per_cycle']['value']:g} FLOPs a "
            f"cycle x {peak['clock_hz']['value'] / 1e9:.3g} GHz)",
        )
    return float(peak["flops"])


def _check_flags(point: Mapping[str, Any], path: Path | str, at: str) -> None:
    """`round_spread`, `rounds_disagree` and `noisy` say what their numbers say."""
    rounds, median = point["rounds_s"], point["median_s"]
    spread = thresholds.round_spread(rounds, median)
    if abs(point["round_spread"] - spread) > SPREAD_TOLERANCE * max(1.0, spread):
        raise ResultsError(
            path,
            f"{at}.round_spread",
            f"is {point['round_spread']:.4g}, but its rounds spread by {spread:.4g} of the median",
        )
    if point["rounds_disagree"] != thresholds.rounds_disagree(spread):
        raise ResultsError(
            path,
            f"{at}.rounds_disagree",
            f"is {str(point['rounds_disagree']).lower()}, but the rounds spread by {spread:.0%} "
            f"(they disagree above {ROUND_DISAGREE_FRACTION:.0%})",
        )
    if point["noisy"] != thresholds.noisy(point["iqr_s"], median):
        raise ResultsError(
            path,
            f"{at}.noisy",
            f"is {str(point['noisy']).lower()}, but the IQR is {point['iqr_s'] / median:.0%} of "
            f"the median (noisy above {NOISY_IQR_FRACTION:.0%})",
        )


def _precision_factor(point: Mapping[str, Any]) -> int:
    return 1 if point["params"].get("dtype", "float32") == "float32" else OTHER_PRECISION_FACTOR


def _precision_note(point: Mapping[str, Any]) -> str:
    factor = _precision_factor(point)
    return "" if factor == 1 else f" FP32, x{factor} for {point['params']['dtype']}"


def _gpu_limit(run: Mapping[str, Any], point: Mapping[str, Any]) -> tuple[float, str]:
    """The datasheet peak a GPU point may not pass, and which peak it is. FP32 with TF32 off
    runs on the CUDA cores; anything else may use the tensor cores. A GPU the table lacks is
    held to the fastest one it has."""
    named = products_named(run["device_name"])
    gpus: list[Gpu] = named or list(REFERENCE_GPUS.values())
    which = f"the {gpus[0].name} datasheet" if named else "the fastest datasheet this site has"
    if point["params"].get("dtype") == "float32" and not run["settings"]["tf32_matmul"]:
        return max(g.fp32_tflops for g in gpus) * 1e12, f"{which}'s FP32 peak"
    return max(max(g.peaks().values()) for g in gpus) * 1e12, f"{which}'s highest peak"


def check_work(data: Mapping[str, Any], path: Path | str, work: Callable[[int, str], Work]) -> None:
    """Each measured point's `flops`, `bytes_moved` and `items` are what the example's `work()`
    says for its size and variant: a rate is only as true as the work it divides. Call it for a
    file of the example's current BENCHMARK_VERSION only (an older one may count otherwise)."""
    for i, run in enumerate(data["runs"]):
        for j, point in enumerate(run["points"]):
            if point["status"] != "ok":
                continue
            at, size, variant = f"runs[{i}].points[{j}]", point["size"], point["variant"]
            try:
                expected = work(size, variant)
            except Exception as exc:  # the example's own code: whatever it raises, say so
                raise ResultsError(
                    path, f"{at}.variant", f"the example's work() refuses {variant!r}: {exc}"
                ) from None
            for name in ("flops", "bytes_moved", "items"):
                should = float(getattr(expected, name))
                if not math.isclose(point[name], should, rel_tol=1e-9, abs_tol=1e-9):
                    raise ResultsError(
                        path,
                        f"{at}.{name}",
                        f"is {point[name]:.6g}, but the example's work() gives {should:.6g} "
                        f"for {variant!r} at size {size}",
                    )
