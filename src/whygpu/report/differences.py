"""What tells the machines apart: each machine's CPU named by what explains its speed, and for
each pair, their largest differences with what explains them (the Results page).

Two machines that both call themselves "AMD EPYC, 2 cores" measured up to twice apart, with no
word of why. Each results file records the CPU's microarchitecture and the instruction sets that
change speed (whygpu.contract.cpus); this renderer compares them where the numbers differ most,
and says so plainly where a machine did not record them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

from whygpu.contract.cpus import ISA_FOR_DTYPE, SPEED_ISA, isa_text
from whygpu.report.series import flagged, group_series, rate_of, rate_unit
from whygpu.report.text import TIMES, number
from whygpu.report.text import md_escape as md
from whygpu.store.types import ResultsDoc

FILE = "machine-differences.md"
#: How many of a pair's largest differences the page lists.
LARGEST = 3


def render(docs: list[ResultsDoc]) -> dict[str, str]:
    cpus = _cpus(docs)
    lines = ["| machine | CPU | microarchitecture | instruction sets that change speed |"]
    lines.append("| --- | --- | --- | --- |")
    for machine, cpu in sorted(cpus.items()):
        lines.append(
            f"| {md(machine)} | {md(str(cpu.get('model')))}, {cpu.get('physical_cores')} cores | "
            f"{md(_generation(cpu))} | {md(_isa(cpu))} |"
        )
    lines.append("")
    rates = _rates(docs)
    for a, b in itertools.combinations(sorted(cpus), 2):
        lines += _pair(a, b, cpus, rates)
    return {FILE: "\n".join(lines).rstrip() + "\n"}


def _cpus(docs: list[ResultsDoc]) -> dict[str, Mapping[str, Any]]:
    """Each machine's CPU record, from its newest CPU run."""
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for doc in docs:
        for run in doc["runs"]:
            if run["accelerator"] != "cpu":
                continue
            prov = run["provenance"]
            cpu = {**prov["cpu"], "torch_capability": prov.get("cpu_capability")}
            when = prov["date_utc"]
            if doc["machine"] not in found or when > found[doc["machine"]][0]:
                found[doc["machine"]] = (when, cpu)
    return {machine: cpu for machine, (_, cpu) in found.items()}


def _generation(cpu: Mapping[str, Any]) -> str:
    numbers = (
        f" (family {cpu['family']}, model {cpu['model_number']})"
        if cpu.get("family") is not None and cpu.get("model_number") is not None
        else ""
    )
    if cpu.get("microarchitecture"):
        return f"{cpu['microarchitecture']}{numbers}"
    return f"not identified{numbers}"


def _isa(cpu: Mapping[str, Any]) -> str:
    if cpu.get("isa") is not None:
        return isa_text(cpu["isa"]) or "none of " + isa_text(SPEED_ISA)
    seen = cpu.get("torch_capability")
    return f"not recorded (torch saw {seen})" if seen else "not recorded"


def _rates(docs: list[ResultsDoc]) -> dict[tuple[str, str, str, int], tuple[float, str, str]]:
    """(machine, example, variant, size) -> (rate, unit, precision): CPU runs, and only points
    not flagged (noisy or rounds apart), since a difference there may be when, not where."""
    out = {}
    for slug, series in group_series(docs).items():
        for s in series:
            doc, run = s["doc"], s["run"]
            if run["accelerator"] != "cpu":
                continue
            unit, div = rate_unit(doc)
            for p in s["points"]:
                rate = rate_of(doc, p)
                if rate > 0 and not flagged(p):  # a flagged point is no evidence
                    precision = str(p["params"].get("dtype", "float32"))
                    key = (doc["machine"], slug, s["variant"], p["size"])
                    out[key] = (rate / div, unit, precision)
    return out


def _pair(
    a: str,
    b: str,
    cpus: Mapping[str, Mapping[str, Any]],
    rates: Mapping[tuple[str, str, str, int], tuple[float, str, str]],
) -> list[str]:
    shared = [
        (slug, variant, size)
        for (machine, slug, variant, size) in rates
        if machine == a and (b, slug, variant, size) in rates
    ]
    if not shared:
        return []
    largest: dict[tuple[str, str], tuple[float, int]] = {}  # per workload, its widest size
    for slug, variant, size in shared:
        gap = abs(math.log(rates[(b, slug, variant, size)][0] / rates[(a, slug, variant, size)][0]))
        if gap > largest.get((slug, variant), (-1.0, 0))[0]:
            largest[(slug, variant)] = (gap, size)
    top = sorted(largest.items(), key=lambda item: -item[1][0])[:LARGEST]
    lines = [f"**{md(a)} and {md(b)}**: their largest differences", ""]
    for (slug, variant), (_, size) in top:
        rate_a, unit, precision = rates[(a, slug, variant, size)]
        rate_b = rates[(b, slug, variant, size)][0]
        faster, slower = (b, a) if rate_b > rate_a else (a, b)
        ratio = max(rate_a, rate_b) / min(rate_a, rate_b)
        lines.append(
            f"- {md(slug)} {md(variant)} at {size:,}: {number(rate_a)} against "
            f"{number(rate_b)} {md(unit)}, {md(faster)} {number(ratio)}{TIMES} faster; "
            f"{_explained(cpus[faster], cpus[slower], faster, slower, precision)}"
        )
    lines.append("")
    return lines


def _explained(
    fast: Mapping[str, Any], slow: Mapping[str, Any], faster: str, slower: str, precision: str
) -> str:
    """Why one machine ran a workload faster, in what the two CPUs' records can say."""
    if fast.get("isa") is not None and slow.get("isa") is not None:
        relevant = ISA_FOR_DTYPE.get(precision, tuple(SPEED_ISA))
        only_fast = [f for f in relevant if f in fast["isa"] and f not in slow["isa"]]
        if only_fast:
            return f"only {md(faster)} has {isa_text(only_fast)}, which {precision} work uses"
        if fast.get("microarchitecture") != slow.get("microarchitecture"):
            return f"{md(_generation(fast))} against {md(_generation(slow))}: another core design"
        return (
            "the same microarchitecture and instruction sets: the difference is the run (clocks, "
            "memory, other tenants), which the rounds' spread on each machine shows"
        )
    said = (fast.get("torch_capability"), slow.get("torch_capability"))
    if said[0] and said[1] and said[0] != said[1]:
        return (
            f"torch ran its {md(str(said[0]))} kernels on {md(faster)} and its "
            f"{md(str(said[1]))} ones on {md(slower)}; finer instruction sets were not recorded "
            "(measured before schema 3)"
        )
    return (
        "not recorded well enough to say why (measured before schema 3): "
        f"{md(_generation(fast))} against {md(_generation(slow))}"
    )
