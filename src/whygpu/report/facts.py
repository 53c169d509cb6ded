"""Named numbers the concept pages quote, computed from the results files and the datasheets.

A page writes `{{ fact:matmul.cpu.fp32.best }}` instead of typing a measured number; the site
hook replaces it with the text computed here, so the prose changes when the results do. Every
fact records where it came from (a results file, or the datasheet table), and `facts.json` is
regenerated with the figures, so a test fails when it is stale.
"""

from __future__ import annotations

from typing import Any

from whygpu.contract import datasheet
from whygpu.contract.meaning import Declared, ExampleMeaning
from whygpu.report import cited, evidence, machine_facts, models, quantities
from whygpu.report.crossover import crossing_text, crossovers
from whygpu.report.declared import or_default
from whygpu.report.lines import Line, Series, is_model, key_of
from whygpu.report.machine_facts import Put
from whygpu.report.reference import reference_machine
from whygpu.report.series import (
    all_flagged,
    best_point,
    group_series,
    rate_of,
    rate_range,
    rate_unit,
)
from whygpu.report.text import duration, json_text, number, ratio
from whygpu.store.types import ResultsDoc


def compute(
    docs: list[ResultsDoc],
    sides: dict[str, evidence.Side] | None = None,
    crossings: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
) -> dict[str, dict[str, Any]]:
    """Every fact: key -> {"text": what the page shows, "value": the number, "source": where}.

    `sides` and `crossings` are the examples' evidence and the crossover rows, where the caller
    has computed them already; `declared`, what the examples say their variants mean.
    """
    declared = or_default(declared)
    sides = evidence.sides(docs, declared) if sides is None else sides
    crossings = crossovers(docs, declared) if crossings is None else crossings
    facts: dict[str, dict[str, Any]] = {}

    def put(
        key: str,
        text: str,
        value: float | str | None,
        source: str,
        quantity: str | None = None,
    ) -> None:
        facts[key] = {"text": text, "value": value, "source": source}
        if quantity:
            facts[key]["quantity"] = quantity

    _datasheet_facts(put, models.launch_row(docs, declared))
    machine_facts.harness_facts(put)
    ref = reference_machine(docs)
    if ref is None:
        return facts
    put("machine", ref, ref, "results/")
    machine_facts.hardware_facts(put, docs, ref)
    for slug, side in sides.items():
        if side.machine != ref or not side.cpu:
            continue
        doc = side.cpu[0]["doc"]
        source = f"results/{ref}/{slug}.json"
        gpu_source = source if side.kind == "measured" else f"{source} and the datasheet table"
        unit, div = rate_unit(doc)
        every_size = declared.of(slug).finds_crossover  # its questions quote any size
        for s in side.cpu:
            key = f"{slug}.cpu.{s['variant']}"
            what = quantities.Quantity(ref, "cpu", slug, s["variant"], declared, docs)
            _series_facts(put, key, s, doc, unit, div, source, every_size, what)
            said = quantities.comparison_text(docs, ref, slug, s["variant"], declared)
            if said:
                put(f"{key}.same_as", said, declared.variant(slug, s["variant"]).same_as, source)
        _comparison_facts(put, slug, side.cpu, declared.of(slug), source)
        if side.kind == "none":
            continue
        name = side.gpu_name or ""  # a measured or model side always names its GPU
        put(f"{slug}.gpu.name", name, name, gpu_source)
        put(f"{slug}.gpu.kind", side.kind, side.kind, gpu_source)
        put(f"{slug}.gpu.evidence", side.evidence, side.kind, gpu_source)
        for line in side.gpu:
            key = f"{slug}.gpu.{key_of(line)}"
            what = quantities.Quantity(ref, f"gpu {name}", slug, key_of(line), declared, docs)
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
    _crossover_facts(put, crossings, ref)
    _scaling_facts(put, group_series(docs), ref, declared)
    machine_facts.noise_facts(put, docs, ref)
    machine_facts.peak_facts(put, docs, ref, declared)
    machine_facts.roof_facts(put, docs, ref, declared)
    machine_facts.runtime_facts(put, docs, ref)
    return facts


def _scaling_facts(
    put: Put, by_slug: dict[str, list[Series]], ref: str, declared: Declared
) -> None:
    """Scaling efficiency of examples whose variants declare how many processes run a step.

    Efficiency at a size = rate with N processes / (N x rate with one), at the same size.
    """
    for slug, series in sorted(by_slug.items()):
        meaning = declared.of(slug)
        mine = {
            s["variant"]: s
            for s in series
            if s["doc"]["machine"] == ref and s["run"]["accelerator"] == "cpu"
        }
        counts = {v: n for v in mine if (n := meaning.of(v).processes)}
        single = next((v for v, n in counts.items() if n == 1), None)
        if single is None:
            continue
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
            key, src = f"{slug}.cpu.{variant}.efficiency", f"results/{ref}/{slug}.json"
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


def _crossover_facts(put: Put, crossings: list[dict[str, Any]], ref: str) -> None:
    """Where the GPU starts to win on the reference machine: measured if any, else the model."""
    rows = [r for r in crossings if r["machine"] == ref]
    for slug, op in sorted({(r["example"], r["op"]) for r in rows}):
        mine = sorted(
            (r for r in rows if (r["example"], r["op"]) == (slug, op)),
            key=lambda r: r["kind"] != "measured",
        )
        row = mine[0]
        src = f"results/{ref}/{slug}.json" + (
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


def _datasheet_facts(put: Put, launch: cited.Cited) -> None:
    model = datasheet.MODEL_GPU
    put("gpu.model", model.name, model.name, "src/whygpu/contract/datasheet.py")
    over = model.memory_gbps / datasheet.PCIE_GBPS[model.pcie_gen]
    put("gpu.model.memory_over_link", ratio(over), over, "src/whygpu/contract/datasheet.py")
    for g in datasheet.REFERENCE_GPUS.values():
        src = f"{g.source} (src/whygpu/contract/datasheet.py)"
        put(f"gpu.{g.key}.name", g.name, g.name, src)
        for precision, tflops in g.peaks().items():
            put(f"gpu.{g.key}.{precision}", f"{tflops:g} TFLOP/s", tflops, src)
        put(f"gpu.{g.key}.memory", f"{g.memory_gbps:,g} GB/s", g.memory_gbps, src)
        put(f"gpu.{g.key}.cuda_cores", f"{g.cuda_cores:,}", g.cuda_cores, src)
        put(f"gpu.{g.key}.sms", str(g.sms), g.sms, src)
    for gen, gbps in datasheet.PCIE_GBPS.items():
        put(f"pcie.gen{gen}", f"{gbps:g} GB/s", gbps, datasheet.PCIE_SOURCE)
    launch_s = launch.value * 1e-6
    sync_s = models.SYNC_CALLS * launch_s
    put("gpu.launch", duration(launch_s), launch_s, launch.url)
    put("gpu.launch.gpu", launch.gpu, launch.gpu, launch.url)
    put("gpu.sync_call", duration(sync_s), sync_s, launch.url)
    for name, row in models.shares(datasheet.MODEL_GPU).items():
        put(f"gpu.model.share.{name}", f"{row.share:.0%}", row.share, row.url)
    for row in cited.CITED:
        put(row.key, f"{row.value:,g} {row.unit}", row.value, row.url)
        put(f"{row.key}.gpu", row.gpu, row.gpu, row.url)
        if row.share is not None:
            put(f"{row.key}.share", f"{row.share:.0%}", row.share, row.url)


def render(
    docs: list[ResultsDoc],
    sides: dict[str, evidence.Side] | None = None,
    crossings: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
) -> dict[str, str]:
    """facts.json: sorted, one fact per line group, so diffs read well."""
    found = compute(docs, sides, crossings, declared)
    return {"facts.json": json_text(found)}
