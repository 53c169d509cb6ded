"""An example's own facts, on the machine its figure shows: each line's best rate and where, its
smallest and largest sizes' times and rates, the GPU side against the CPU, declared comparisons,
scaling efficiency and the crossover.

Every example gets them, whichever machine measured it: its reference machine is the one its
figure and caption show (whygpu.report.reference), and `<slug>.machine` names it, so a page can
say where its numbers come from. The key pattern is in CONTRIBUTING ("Quote your numbers").
"""

from __future__ import annotations

from typing import Any

from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.report import evidence, quantities
from whygpu.report.crossover import crossing_text
from whygpu.report.lines import Line, Series, is_model, key_of
from whygpu.report.machine_facts import Put
from whygpu.report.series import (
    all_flagged,
    best_point,
    group_series,
    rate_of,
    rate_range,
    rate_unit,
)
from whygpu.report.text import number, ratio
from whygpu.store.types import ResultsDoc


def example_facts(
    put: Put,
    slug: str,
    side: evidence.Side,
    docs: list[ResultsDoc],
    crossings: list[dict[str, Any]],
    declared: Declared,
) -> None:
    """Every fact of one example, from its reference machine `side.machine`."""
    machine = side.machine
    source = f"results/{machine}/{slug}.json"
    put(f"{slug}.machine", machine, machine, source)
    if not side.cpu:
        return
    doc = side.cpu[0]["doc"]
    gpu_source = source if side.kind == "measured" else f"{source} and the datasheet table"
    unit, div = rate_unit(doc)
    every_size = declared.of(slug).finds_crossover  # its questions quote any size
    for s in side.cpu:
        key = f"{slug}.cpu.{s['variant']}"
        what = quantities.Quantity(machine, "cpu", slug, s["variant"], declared, docs)
        _series_facts(put, key, s, doc, unit, div, source, every_size, what)
        said = quantities.comparison_text(docs, machine, slug, s["variant"], declared)
        if said:
            put(f"{key}.same_as", said, declared.variant(slug, s["variant"]).same_as, source)
    _comparison_facts(put, slug, side.cpu, declared.of(slug), source)
    if side.kind != "none":
        _gpu_facts(put, slug, side, declared, docs, every_size, gpu_source)
    _crossover_facts(put, slug, crossings, machine)
    _scaling_facts(put, slug, group_series(docs).get(slug, []), machine, declared)


def _gpu_facts(
    put: Put,
    slug: str,
    side: evidence.Side,
    declared: Declared,
    docs: list[ResultsDoc],
    every_size: bool,
    gpu_source: str,
) -> None:
    """The GPU side: measured, or the datasheet model; each line's facts and, against the CPU
    running the same variant, how many times faster its best is."""
    doc = side.cpu[0]["doc"]
    unit, div = rate_unit(doc)
    name = side.gpu_name or ""  # a measured or model side always names its GPU
    put(f"{slug}.gpu.name", name, name, gpu_source)
    put(f"{slug}.gpu.kind", side.kind, side.kind, gpu_source)
    put(f"{slug}.gpu.evidence", side.evidence, side.kind, gpu_source)
    for line in side.gpu:
        key = f"{slug}.gpu.{key_of(line)}"
        what = quantities.Quantity(side.machine, f"gpu {name}", slug, key_of(line), declared, docs)
        _series_facts(put, key, line, doc, unit, div, gpu_source, every_size, what)
        # against the CPU running the same variant (a PCIe copy has no CPU counterpart)
        base = next((s for s in side.cpu if s["variant"] == key_of(line)), None)
        crosses_pcie = is_model(line) and line["crosses_pcie"]
        if base and doc["metric"] != "items" and not crosses_pcie and what.quoted_here:
            cpu_p, gpu_p = best_point(doc, base["points"]), best_point(doc, line["points"])
            cpu_best = rate_of(doc, cpu_p)
            gpu_best = rate_of(doc, gpu_p)
            put(
                f"{key}.ratio",
                ratio(gpu_best / cpu_best),
                gpu_best / cpu_best,
                gpu_source,
                f"{what.name} best over the CPU's",
            )


def _scaling_facts(
    put: Put, slug: str, series: list[Series], machine: str, declared: Declared
) -> None:
    """Scaling efficiency, where the example's variants declare how many processes run a step.

    Efficiency at a size = rate with N processes / (N x rate with one), at the same size.
    """
    meaning = declared.of(slug)
    mine = {
        s["variant"]: s
        for s in series
        if s["doc"]["machine"] == machine and s["run"]["accelerator"] == "cpu"
    }
    counts = {v: n for v in mine if (n := meaning.of(v).processes)}
    single = next((v for v, n in counts.items() if n == 1), None)
    if single is None:
        return
    doc = mine[single]["doc"]
    one = {p["size"]: rate_of(doc, p) for p in mine[single]["points"]}
    for variant, n in counts.items():
        if n == 1:
            continue
        eff = {
            p["size"]: rate_of(doc, p) / (n * one[p["size"]])
            for p in mine[variant]["points"]
            if p["size"] in one
        }
        if not eff:
            continue
        key, src = f"{slug}.cpu.{variant}.efficiency", f"results/{machine}/{slug}.json"
        best = max(eff, key=lambda z: eff[z])
        put(f"{key}.best", f"{eff[best]:.0%}", eff[best], src)
        put(f"{key}.best_size", f"{best:,}", best, src)
        for end, size in (("smallest", min(eff)), ("largest", max(eff))):
            put(f"{key}.{end}", f"{eff[size]:.0%}", eff[size], src)


def _comparison_facts(
    put: Put, slug: str, cpu: list[Series], meaning: ExampleMeaning, src: str
) -> None:
    """A variant declared `compare_with` another, on the CPU: the ratio of their best rates, and
    size by size at the smallest and largest size both measured."""
    mine = {s["variant"]: s for s in cpu}
    for variant, s in mine.items():
        other = meaning.of(variant).compare_with
        if other not in mine:
            continue
        doc, key = s["doc"], f"{slug}.cpu.{variant}.vs_{other}"
        best = rate_of(doc, best_point(doc, s["points"]))
        base = rate_of(doc, best_point(doc, mine[other]["points"]))
        put(key, ratio(best / base), best / base, src)
        rate = {
            v: {p["size"]: rate_of(doc, p) for p in mine[v]["points"]} for v in (variant, other)
        }
        vs = {z: r / rate[other][z] for z, r in rate[variant].items() if z in rate[other]}
        for end, size in (("smallest", min(vs, default=None)), ("largest", max(vs, default=None))):
            if size is not None:
                put(f"{key}.{end}", ratio(vs[size]), vs[size], src)
                put(f"{key}.{end}_size", f"{size:,}", size, src)


def _crossover_facts(put: Put, slug: str, crossings: list[dict[str, Any]], machine: str) -> None:
    """Where the GPU starts to win on the example's machine: measured if any, else the model."""
    rows = [r for r in crossings if r["machine"] == machine and r["example"] == slug]
    for op in sorted({r["op"] for r in rows}):
        mine = sorted((r for r in rows if r["op"] == op), key=lambda r: r["kind"] != "measured")
        row = mine[0]
        src = f"results/{machine}/{slug}.json" + (
            " and the datasheet table" if row["kind"] != "measured" else ""
        )
        put(f"{slug}.{op}.gpu", f"{row['gpu']}, {row['kind']}", row["gpu"], src)
        for column in ("compute", "e2e"):
            if column in row:
                n = row[column]
                put(f"{slug}.{op}.{column}", crossing_text(row, column), n, src)


def _series_facts(
    put: Put,
    key: str,
    s: Line,
    doc: ResultsDoc,
    unit: str,
    div: float,
    source: str,
    every_size: bool,
    what: quantities.Quantity,
) -> None:
    """Best rate (and where), and the smallest and largest sizes' time and rate; where another
    example's numbers are quoted for this quantity, the sizes and times only."""
    pts = s["points"]

    def at(p: Any) -> Any:
        return what.alias.get(p["size"], p)

    if what.quoted_here:
        best = best_point(doc, pts)
        rate = rate_of(doc, best) / div
        text = f"{number(rate)} {unit}"
        if all_flagged(pts):  # the site's rule: a flagged point is never quoted as one number
            low, high = (r / div for r in rate_range(doc, best))
            text = (
                f"{number(low)} to {number(high)} {unit} (every size is flagged: its rounds' range)"
            )
        put(f"{key}.best", text, rate, source, f"{what.name} best rate")
        put(f"{key}.best_size", f"{best['size']:,}", best["size"], source, f"{what.name} best size")

    def put_time(name: str, p: Any) -> None:
        quoted = at(p)
        put(
            name,
            quantities.time_text(quoted),
            quoted["median_s"],
            source,
            f"{what.name} time at {p['size']}",
        )

    for end, p in (("smallest", pts[0]), ("largest", pts[-1])):
        put(f"{key}.{end}_size", f"{p['size']:,}", p["size"], source)
        put_time(f"{key}.{end}_time", p)
        if what.quoted_here:
            r = rate_of(doc, p) / div
            put(
                f"{key}.{end}_rate",
                quantities.rate_text(doc, p, unit, div),
                r,
                source,
                f"{what.name} rate at {p['size']}",
            )
    if every_size:
        for p in pts:
            put_time(f"{key}.at.{p['size']}", p)
