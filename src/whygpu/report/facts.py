"""Named numbers the concept pages quote, computed from the results files and the datasheets.

A page writes `{{ fact:matmul.cpu.fp32.best }}` instead of typing a measured number; the site
hook replaces it with the text computed here, so the prose changes when the results do. Every
fact records where it came from (a results file, or the datasheet table), and `facts.json` is
regenerated with the figures, so a test fails when it is stale.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from whygpu.contract.names import PROFILES
from whygpu.report import cited, datasheet, evidence, models
from whygpu.report.crossover import crossing_text, crossovers
from whygpu.report.limits import cpu_ceilings, cpu_limits
from whygpu.report.reference import reference_machine
from whygpu.report.series import (
    best_point,
    group_series,
    rate_of,
    rate_unit,
    round_summary,
)
from whygpu.report.text import duration, number, ratio


def compute(
    docs: list[dict[str, Any]],
    sides: dict[str, evidence.Side] | None = None,
    crossings: list[dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Every fact: key -> {"text": what the page shows, "value": the number, "source": where}.

    `sides` and `crossings` are the examples' evidence and the crossover rows, where the caller
    has computed them already.
    """
    sides = evidence.sides(docs) if sides is None else sides
    crossings = crossovers(docs) if crossings is None else crossings
    facts: dict[str, dict[str, Any]] = {}

    def put(key: str, text: str, value: float | str | None, source: str) -> None:
        facts[key] = {"text": text, "value": value, "source": source}

    _datasheet_facts(put)
    ref = reference_machine(docs)
    if ref is None:
        return facts
    put("machine", ref, ref, "results/")
    _machine_facts(put, docs, ref)
    for slug, side in sides.items():
        if side.machine != ref or not side.cpu:
            continue
        doc = side.cpu[0]["doc"]
        source = f"results/{ref}/{slug}.json"
        gpu_source = source if side.kind == "measured" else f"{source} and the datasheet table"
        unit, div = rate_unit(doc)
        for s in side.cpu:
            _series_facts(put, f"{slug}.cpu.{s['variant']}", s, doc, unit, div, source)
        if side.kind == "none":
            continue
        put(f"{slug}.gpu.name", side.gpu_name, side.gpu_name, gpu_source)
        put(f"{slug}.gpu.kind", side.kind, side.kind, gpu_source)
        put(f"{slug}.gpu.evidence", side.evidence, side.kind, gpu_source)
        for line in side.gpu:
            key = f"{slug}.gpu.{evidence.key_of(line)}"
            _series_facts(put, key, line, doc, unit, div, gpu_source)
            # against the CPU running the same variant (a PCIe copy has no CPU counterpart)
            base = next((s for s in side.cpu if s["variant"] == evidence.key_of(line)), None)
            if base and doc["metric"] != "items" and not line.get("crosses_pcie"):
                cpu_p, gpu_p = best_point(doc, base["points"]), best_point(doc, line["points"])
                cpu_best = rate_of(doc, cpu_p)
                gpu_best = rate_of(doc, gpu_p)
                put(f"{key}.ratio", ratio(gpu_best / cpu_best), gpu_best / cpu_best, gpu_source)
    if {"matmul.cpu.bf16.best", "matmul.cpu.fp32.best"} <= facts.keys():
        bf16, fp32 = (facts[f"matmul.cpu.{d}.best"]["value"] for d in ("bf16", "fp32"))
        src = f"results/{ref}/matmul.json"
        put("matmul.cpu.bf16.vs_fp32", ratio(bf16 / fp32), bf16 / fp32, src)
    _crossover_facts(put, crossings, ref)
    _scaling_facts(put, group_series(docs), ref)
    _noise_facts(put, docs, ref)
    _peak_facts(put, docs, ref)
    _runtime_facts(put, docs, ref)
    return facts


def _machine_facts(put, docs: list[dict[str, Any]], ref: str) -> None:
    """The reference machine's CPU, cores, threads and torch, from its first CPU run."""
    doc, run = next(
        (d, r) for d in docs if d["machine"] == ref for r in d["runs"] if r["accelerator"] == "cpu"
    )
    source = f"results/{ref}/{doc['example']}.json"
    prov = run["provenance"]
    cpu = prov.get("cpu") or {}
    put("machine.cpu", str(cpu.get("model", "?")), cpu.get("model"), source)
    put("machine.cores", str(cpu.get("physical_cores")), cpu.get("physical_cores"), source)
    threads = run["settings"]["num_threads"]
    put("machine.threads", str(threads), threads, source)
    put("machine.torch", prov["torch"], prov["torch"], source)


def _scaling_facts(put, by_slug: dict[str, list[dict[str, Any]]], ref: str) -> None:
    """Scaling efficiency of examples whose variants count processes ('ddp-1', 'ddp-2').

    Efficiency at a size = rate with N processes / (N x rate with one), at the same size.
    """
    for slug, series in sorted(by_slug.items()):
        mine = {
            s["variant"]: s
            for s in series
            if s["doc"]["machine"] == ref and s["run"]["accelerator"] == "cpu"
        }
        counts = {v: int(v.rsplit("-", 1)[1]) for v in mine if v.rsplit("-", 1)[-1].isdigit()}
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
            best = max(eff, key=eff.get)
            put(f"{key}.best", f"{eff[best]:.0%}", eff[best], src)
            put(f"{key}.best_size", f"{best:,}", best, src)
            for end, size in (("smallest", min(eff)), ("largest", max(eff))):
                put(f"{key}.{end}", f"{eff[size]:.0%}", eff[size], src)
            if "one-process" in mine:  # one process with all the cores, the same global batch
                _same_step_facts(
                    put, f"{slug}.cpu.one-process.vs_{variant}", doc, mine, variant, src
                )


def _same_step_facts(put, key: str, doc, mine: dict[str, dict[str, Any]], variant: str, src):
    """One process with all the cores against `variant`'s processes, size by size: both do the
    same samples per step, so the ratio is what splitting the machine into processes costs."""
    rate = {
        v: {p["size"]: rate_of(doc, p) for p in mine[v]["points"]} for v in ("one-process", variant)
    }
    vs = {z: r / rate[variant][z] for z, r in rate["one-process"].items() if z in rate[variant]}
    for end, size in (("smallest", min(vs, default=None)), ("largest", max(vs, default=None))):
        if size is not None:
            put(f"{key}.{end}", ratio(vs[size]), vs[size], src)
            put(f"{key}.{end}_size", f"{size:,}", size, src)


def _crossover_facts(put, crossings: list[dict[str, Any]], ref: str) -> None:
    """Where the GPU starts to win on the reference machine: measured if any, else the model."""
    rows = [r for r in crossings if r["machine"] == ref]
    for op in sorted({r["op"] for r in rows}):
        mine = sorted((r for r in rows if r["op"] == op), key=lambda r: r["kind"] != "measured")
        row = mine[0]
        src = f"results/{ref}/crossover.json" + (
            " and the datasheet table" if row["kind"] != "measured" else ""
        )
        put(f"crossover.{op}.gpu", f"{row['gpu']}, {row['kind']}", row["gpu"], src)
        for column in ("compute", "e2e"):
            if column in row:
                n = row[column]
                put(f"crossover.{op}.{column}", crossing_text(row, column), n, src)


def _series_facts(put, key: str, s: dict[str, Any], doc, unit: str, div: float, source: str):
    """Best rate (and where), and the smallest and largest sizes' time and rate."""
    pts = s["points"]
    best = best_point(doc, pts)
    rate = rate_of(doc, best) / div
    put(f"{key}.best", f"{number(rate)} {unit}", rate, source)
    put(f"{key}.best_size", f"{best['size']:,}", best["size"], source)
    for end, p in (("smallest", pts[0]), ("largest", pts[-1])):
        put(f"{key}.{end}_size", f"{p['size']:,}", p["size"], source)
        put(f"{key}.{end}_time", duration(p["median_s"]), p["median_s"], source)
        r = rate_of(doc, p) / div
        put(f"{key}.{end}_rate", f"{number(r)} {unit}", r, source)
    if doc["example"] == "crossover":  # the size-by-size page: questions quote any size
        for p in pts:
            put(f"{key}.at.{p['size']}", duration(p["median_s"]), p["median_s"], source)


def _datasheet_facts(put) -> None:
    model = datasheet.MODEL_GPU
    put("gpu.model", model.name, model.name, "src/whygpu/report/datasheet.py")
    for g in datasheet.REFERENCE_GPUS.values():
        src = f"{g.source} (src/whygpu/report/datasheet.py)"
        put(f"gpu.{g.key}.name", g.name, g.name, src)
        put(f"gpu.{g.key}.fp32", f"{g.fp32_tflops:g} TFLOP/s", g.fp32_tflops, src)
        put(f"gpu.{g.key}.memory", f"{g.memory_gbps:,g} GB/s", g.memory_gbps, src)
        put(f"gpu.{g.key}.cuda_cores", f"{g.cuda_cores:,}", g.cuda_cores, src)
        put(f"gpu.{g.key}.sms", str(g.sms), g.sms, src)
        if g.bf16_tflops:
            put(f"gpu.{g.key}.bf16", f"{g.bf16_tflops:g} TFLOP/s", g.bf16_tflops, src)
    for gen, gbps in datasheet.PCIE_GBPS.items():
        put(f"pcie.gen{gen}", f"{gbps:g} GB/s", gbps, datasheet.PCIE_SOURCE)
    put("gpu.launch", duration(models.LAUNCH_S), models.LAUNCH_S, models.LAUNCH_ROW.url)
    put("gpu.sync_call", duration(models.SYNC_CALL_S), models.SYNC_CALL_S, models.LAUNCH_ROW.url)
    for name, row in models.shares(datasheet.MODEL_GPU).items():
        put(f"gpu.model.share.{name}", f"{row.share:.0%}", row.share, row.url)
    for row in cited.CITED:
        put(row.key, f"{row.value:,g} {row.unit}", row.value, row.url)
        put(f"{row.key}.gpu", row.gpu, row.gpu, row.url)
        if row.share is not None:
            put(f"{row.key}.share", f"{row.share:.0%}", row.share, row.url)


def _noise_facts(put, docs: list[dict[str, Any]], ref: str) -> None:
    """How noisy the reference machine's measurements were: points, flagged points, IQR."""
    points = [
        p
        for d in docs
        if d["machine"] == ref
        for r in d["runs"]
        for p in r["points"]
        if p["status"] == "ok"
    ]
    if not points:
        return
    spread = [p["iqr_s"] / p["median_s"] * 100 for p in points if p["median_s"] > 0]
    src = f"results/{ref}/*.json"
    put("noise.points", f"{len(points):,}", len(points), src)
    noisy = sum(bool(p["noisy"]) for p in points)
    put("noise.noisy", f"{noisy:,}", noisy, src)
    put("noise.median_iqr_pct", f"{statistics.median(spread):.1f}%", statistics.median(spread), src)
    put("noise.max_iqr_pct", f"{max(spread):.0f}%", max(spread), src)
    rounds = round_summary(points)
    put("noise.rounds", str(rounds.rounds), rounds.rounds, src)
    put("noise.disagree", f"{rounds.disagree:,}", rounds.disagree, src)
    median, widest = rounds.median_spread * 100, rounds.widest["round_spread"] * 100
    put("noise.median_round_spread_pct", f"{median:.1f}%", median, src)
    put("noise.max_round_spread_pct", f"{widest:.0f}%", widest, src)


def _runtime_facts(put, docs: list[dict[str, Any]], ref: str) -> None:
    """How long the reference machine's CPU sweeps measured, per profile, from the seconds each
    point's rounds recorded (starting the run and the peak probes add a few seconds)."""
    for profile in PROFILES:
        runs = [
            (d, r)
            for d in docs
            if d["machine"] == ref
            for r in d["runs"]
            if r["accelerator"] == "cpu" and r["profile"] == profile
        ]
        if not runs:
            continue
        seconds = sum(p.get("wall_s", 0.0) for _, r in runs for p in r["points"])
        examples = len({d["example"] for d, _ in runs})
        src = f"results/{ref}/*.json (wall_s)"
        put(f"runtime.{profile}", f"about {max(1, round(seconds / 60))} min", seconds, src)
        put(f"runtime.{profile}.examples", str(examples), examples, src)


def _peak_facts(put, docs: list[dict[str, Any]], ref: str) -> None:
    """The reference machine's CPU peak and its factors, its triad bandwidth, and the share of
    the peak its best FP32 matrix multiply reached."""
    limits = cpu_limits(docs).get(ref)
    if not limits:
        return
    src = f"results/{ref}/*.json (cpu_limits)"
    peak = limits["peak"]
    put("machine.peak", f"{number(peak['flops'] / 1e9)} GFLOP/s", peak["flops"] / 1e9, src)
    cores, per_cycle, clock = (peak[k]["value"] for k in ("cores", "flops_per_cycle", "clock_hz"))
    put("machine.peak.cores", f"{cores:g}", cores, src)
    put("machine.peak.flops_per_cycle", f"{per_cycle:g}", per_cycle, src)
    put("machine.peak.clock", f"{clock / 1e9:.2f} GHz", clock, src)
    gbps = limits["memory_bytes_per_s"]["value"] / 1e9
    put("machine.memory_bandwidth", f"{number(gbps)} GB/s", gbps, src)
    best = cpu_ceilings(docs).get(ref, {}).get("best")
    if best:
        share = best / (peak["flops"] / 1e9)
        put("matmul.cpu.fp32.share_of_peak", f"{share:.0%}", share, src)


def render(docs: list[dict[str, Any]], sides=None, crossings=None) -> dict[str, str]:
    """facts.json: sorted, one fact per line group, so diffs read well."""
    return {
        "facts.json": json.dumps(compute(docs, sides, crossings), indent=1, sort_keys=True) + "\n"
    }
