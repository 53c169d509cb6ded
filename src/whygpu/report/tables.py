"""The generated Markdown tables the pages include from the results: the crossover table, the
results page and the machines side by side (the Sources page's are in whygpu.report.sources).
Like the figures, they come from results files alone, and a test fails when a committed one no
longer matches."""

from __future__ import annotations

from typing import Any

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared
from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report.crossover import crossing_text, crossovers
from whygpu.report.declared import or_default
from whygpu.report.limits import cpu_ceilings, cpu_limits
from whygpu.report.reference import reference_machine
from whygpu.report.series import (
    best_point,
    group_series,
    rate_of,
    rate_unit,
    round_summary,
)
from whygpu.report.staleness import staleness
from whygpu.report.text import md_escape as md
from whygpu.report.text import number
from whygpu.report.ticks import short
from whygpu.store.types import ResultsDoc


def render(
    docs: list[ResultsDoc],
    versions: dict[str, int],
    crossings: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
) -> dict[str, str]:
    """`crossings`: the crossover rows, where the caller has them already."""
    declared = or_default(declared)
    return {
        "crossover-table.md": crossover_table(docs, crossings, declared),
        "results-table.md": results_page(docs, versions, declared),
        "comparison-table.md": comparison_table(docs, declared),
    }


def crossover_table(
    docs: list[ResultsDoc],
    crossings: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
) -> str:
    """The crossover rows as the Markdown table the pages include."""
    rows = crossovers(docs, declared) if crossings is None else crossings
    if not rows:
        return "No example that finds where the GPU starts to win has results yet.\n"

    def cell(row: dict[str, Any], column: str) -> str:
        if column not in row:
            return "-"
        return crossing_text(row, column, none="not reached")

    lines = [
        f"| {r['op']} | {md(r['machine'])} ({md(r['cpu'])}) | {md(r['gpu'])}, {r['kind']} | "
        f"{cell(r, 'compute')} | {cell(r, 'e2e')} |"
        for r in rows
    ]
    header = (
        "| workload | CPU | GPU | GPU faster from (compute only) | GPU faster from "
        "(end to end) |\n| --- | --- | --- | --- | --- |\n"
    )
    labels = {d["example"]: d["size_label"] for d in docs}
    sizes = " and ".join(
        f"{md(labels[e])} of the {md(e)} example" for e in sorted({r["example"] for r in rows})
    )
    note = (
        f"\nSizes are the {sizes}, "
        f'compared point by point with the CPU\'s compute time; "not reached" means the CPU was '
        f"faster at every size measured. Model rows use the {MODEL_GPU.name}'s "
        "datasheet, with fixed costs and the PCIe link calibrated by cited measurements (see "
        "Sources); they are a best case, not a measurement. Measured rows ran on the machine "
        "named.\n"
    )
    return header + "\n".join(lines) + "\n" + note


def results_page(
    docs: list[ResultsDoc], versions: dict[str, int], declared: Declared | None = None
) -> str:
    """Every machine in results/ with its provenance and links to its raw files."""
    declared = or_default(declared)
    stale = staleness(docs, versions)
    machines: dict[str, list[ResultsDoc]] = {}
    for doc in docs:
        machines.setdefault(doc["machine"], []).append(doc)
    out = []
    for machine, mdocs in sorted(machines.items()):
        first = mdocs[0]["runs"][0]["provenance"]
        cpu = first.get("cpu") or {}
        gpu = first.get("gpu")
        ram = first.get("ram_bytes")
        out.append(f"## {md(machine)}\n")
        out.append(f"| part | {md(machine)} |\n| --- | --- |")
        out.append(
            f"| CPU | {md(str(cpu.get('model', '?')))}, "
            f"{cpu.get('physical_cores', '?')} physical cores |"
        )
        if ram:
            out.append(f"| memory | {ram / 2**30:.0f} GiB |")
        out.append(f"| GPU | {md(str(gpu['name'])) if gpu else 'none'} |")
        out.append(f"| OS | {md(str(first.get('os', '?')))} |")
        out.append(
            f"| BLAS / oneDNN | {md(str(first.get('blas')))} / {md(str(first.get('onednn')))} |\n"
        )
        out += _limits_rows(machine, mdocs, declared)
        out += _rounds_rows(mdocs)
        # the accelerator column only where it changes: most machines have a CPU alone
        gpu_runs = any(r["accelerator"] == "gpu" for d in mdocs for r in d["runs"])
        out.append(
            f"| example |{' accelerator |' if gpu_runs else ''} torch | date | commit | points "
            "| raw file |"
        )
        out.append("| --- |" + " --- |" * (6 if gpu_runs else 5))
        for doc in sorted(mdocs, key=lambda d: d["example"]):
            for run in doc["runs"]:
                prov = run["provenance"]
                ok = sum(p["status"] == "ok" for p in run["points"])
                skipped = len(run["points"]) - ok
                note = stale.get((machine, doc["example"], run["accelerator"]))
                flag = f" **stale**: {md(note)}" if note else ""
                acc = f" {run['accelerator']} |" if gpu_runs else ""
                out.append(
                    f"| {md(doc['example'])} |{acc}"
                    f" {md(prov['torch'])} | "
                    f"{md(prov['date_utc'][:10])} | `{md((prov.get('git_commit') or '?')[:10])}`"
                    f" | {ok} measured, {skipped} skipped{flag} | "
                    f"[{md(doc['example'])}.json](results/{machine}/{doc['example']}.json) |"
                )
        out.append("")
    return "\n".join(out) + "\n"


def _limits_rows(machine: str, mdocs: list[ResultsDoc], declared: Declared) -> list[str]:
    """The CPU's peak with its derivation, its triad bandwidth, and the share of it the best
    point of a variant read against the compute ceiling reached."""
    limits = cpu_limits(mdocs).get(machine)
    if not limits:
        return ["No CPU peak was recorded for this machine.\n"]
    peak = limits["peak"]
    cores, per_cycle, clock = (peak[k] for k in ("cores", "flops_per_cycle", "clock_hz"))
    ceiling = cpu_ceilings(mdocs, declared).get(machine, {})
    best = ceiling.get("best")
    rows = [
        f"| CPU limit of {md(machine)} | value | how it was found |",
        "| --- | --- | --- |",
        f"| FP32 peak | **{number(peak['flops'] / 1e9)} GFLOP/s** = {cores['value']:g} cores x "
        f"{per_cycle['value']:g} FLOPs/cycle x {clock['value'] / 1e9:.2f} GHz | |",
        f"| cores | {cores['value']:g} | {md(cores['how'])} |",
        f"| FLOPs per cycle, per core | {per_cycle['value']:g} | {md(per_cycle['how'])} |",
        f"| clock | {clock['value'] / 1e9:.2f} GHz | {md(clock['how'])} |",
        f"| memory bandwidth | {number(limits['memory_bytes_per_s']['value'] / 1e9)} GB/s | "
        f"{md(limits['memory_bytes_per_s']['how'])} |",
    ]
    if best:
        share = best / (peak["flops"] / 1e9)
        rows.append(
            f"| best FP32 matrix multiply | {number(best)} GFLOP/s, {share:.0%} of peak | "
            f"the {md(ceiling['best_of'][0])} example's best point |"
        )
    return [*rows, ""]


def _rounds_rows(mdocs: list[ResultsDoc]) -> list[str]:
    """How the machine's points were measured: rounds, how far they agree, and the load."""
    points = [p for d in mdocs for r in d["runs"] for p in r["points"] if p["status"] == "ok"]
    if not points:
        return []
    summary = round_summary(points)
    loads = [r["load"] for d in mdocs for r in d["runs"] if r["load"] is not None]
    samples = [(s, load["threshold_cores"]) for load in loads for s in load["samples"]]
    busy = [s for s, limit in samples if s["other_cores"] > limit]
    most = max((s["other_cores"] for s, _ in samples), default=0.0)
    if not loads:
        load = "Its load was not sampled (measured before the harness checked)."
    elif busy:
        load = f"Machine busy: other processes used up to {most:.2f} CPUs in {len(busy)} samples."
    else:
        load = f"Machine quiet: other processes used at most {most:.2f} CPUs while it measured."
    if summary.rounds < 2:
        how = "Each point: one round (measured before the harness took rounds)."
    else:
        how = (
            f"Each point: the median of {summary.rounds} rounds; {summary.disagree} of "
            f"{summary.points} points have rounds more than {ROUND_DISAGREE_FRACTION:.0%} apart, "
            f"the widest {summary.widest['round_spread']:.0%}."
        )
    return [f"{how} {load}\n"]


def comparison_table(docs: list[ResultsDoc], declared: Declared | None = None) -> str:
    """Every machine side by side: a row per example and variant, a column per machine (and its
    GPU, where it has one), each cell the best throughput and its size. Columns that would never
    change (the accelerator, the device) are in the column's name; a variant that is another
    example's quantity (`same_as`) is that example's row, so one quantity has one number."""
    declared = or_default(declared)
    reference = reference_machine(docs)
    columns: dict[tuple[str, str], str] = {}
    cells: dict[tuple[str, str], dict[tuple[str, str], str]] = {}
    for slug, series in sorted(group_series(docs).items()):
        for s in series:
            if declared.variant(slug, s["variant"]).same_as:
                continue
            doc, run = s["doc"], s["run"]
            where = (doc["machine"], run["accelerator"])
            mark = ", reference" if doc["machine"] == reference else ""
            device = (
                run["device_name"] if run["accelerator"] == "cpu" else f"GPU: {run['device_name']}"
            )
            columns.setdefault(where, f"{doc['machine']} ({device}{mark})")
            unit, div = rate_unit(doc)
            best = best_point(doc, s["points"])
            cells.setdefault((slug, s["variant"]), {})[where] = (
                f"{number(rate_of(doc, best) / div)} {md(unit)} at {short(best['size'])}"
            )
    order = sorted(columns, key=lambda w: (w[0] != reference, w))
    lines = [
        "| example | " + " | ".join(md(columns[w]) for w in order) + " |",
        "| --- |" + " ---: |" * len(order),
    ]
    for (slug, variant), row in cells.items():
        lines.append(
            f"| {md(slug)} {md(variant)} | " + " | ".join(row.get(w, "-") for w in order) + " |"
        )
    return "\n".join(lines) + "\n"
