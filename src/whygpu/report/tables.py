"""The generated Markdown tables the pages include: the crossover table, the results page and
the datasheet table on the Sources page. Like the figures, they come from results files (and
the datasheet) alone, and a test fails when a committed one no longer matches."""

from __future__ import annotations

from typing import Any

from whygpu.report.crossover import crossovers
from whygpu.report.datasheet import (
    LAUNCH_OVERHEAD_S,
    LAUNCH_SOURCE,
    MODEL_GPU,
    PCIE_GBPS,
    PCIE_SOURCE,
    REFERENCE_GPUS,
    SYNC_CALL_OVERHEAD_S,
    SYNC_SOURCE,
)
from whygpu.report.staleness import staleness
from whygpu.report.text import md_escape as md


def render(docs: list[dict[str, Any]], versions: dict[str, int]) -> dict[str, str]:
    return {
        "crossover-table.md": crossover_table(docs),
        "results-table.md": results_page(docs, versions),
        "gpu-peaks.md": datasheet_table(),
    }


def crossover_table(docs: list[dict[str, Any]]) -> str:
    """The crossover rows as the Markdown table the pages include."""
    rows = crossovers(docs)
    if not rows:
        return "No crossover results yet.\n"

    def cell(row: dict[str, Any], column: str) -> str:
        if column not in row:
            return "-"
        return f"n = {row[column]}" if row[column] is not None else "not reached"

    lines = [
        f"| {r['op']} | {md(r['machine'])} ({md(r['cpu'])}) | {md(r['gpu'])}, {r['kind']} | "
        f"{cell(r, 'compute')} | {cell(r, 'e2e')} |"
        for r in rows
    ]
    header = (
        "| workload | CPU | GPU | GPU faster from (compute only) | GPU faster from "
        "(end to end) |\n| --- | --- | --- | --- | --- |\n"
    )
    note = (
        f"\nSizes are the crossover example's n (matrix side, or image side for conv2d), "
        f'compared point by point with the CPU\'s compute time; "not reached" means the CPU was '
        f"faster at every size measured. Model rows use the {MODEL_GPU.name}'s "
        "datasheet (see Sources) and are a best case, not a measurement.\n"
    )
    return header + "\n".join(lines) + "\n" + note


def results_page(docs: list[dict[str, Any]], versions: dict[str, int]) -> str:
    """Every machine in results/ with its provenance and links to its raw files."""
    stale = staleness(docs, versions)
    machines: dict[str, list[dict[str, Any]]] = {}
    for doc in docs:
        machines.setdefault(doc["machine"], []).append(doc)
    out = []
    for machine, mdocs in sorted(machines.items()):
        first = mdocs[0]["runs"][0]["provenance"]
        cpu = first.get("cpu") or {}
        gpu = first.get("gpu")
        ram = first.get("ram_bytes")
        out.append(f"## {md(machine)}\n")
        out.append("| | |\n| --- | --- |")
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
        out.append("| example | accelerator | torch | date | commit | points | raw file |")
        out.append("| --- | --- | --- | --- | --- | --- | --- |")
        for doc in sorted(mdocs, key=lambda d: d["example"]):
            for run in doc["runs"]:
                prov = run["provenance"]
                ok = sum(p["status"] == "ok" for p in run["points"])
                skipped = len(run["points"]) - ok
                note = stale.get((machine, doc["example"], run["accelerator"]))
                flag = f" **stale**: {md(note)}" if note else ""
                out.append(
                    f"| {md(doc['example'])} | {run['accelerator']} | {md(prov['torch'])} | "
                    f"{md(prov['date_utc'][:10])} | `{md((prov.get('git_commit') or '?')[:10])}`"
                    f" | {ok} measured, {skipped} skipped{flag} | "
                    f"[{md(doc['example'])}.json](results/{machine}/{doc['example']}.json) |"
                )
        out.append("")
    return "\n".join(out) + "\n"


def datasheet_table() -> str:
    """The peak table with the source of every number, for the site's Sources page."""
    lines = [
        "| GPU | SMs | FP32 cores | FP32 TFLOP/s | BF16 tensor TFLOP/s (dense) | memory GB/s "
        "| PCIe | source |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for g in REFERENCE_GPUS.values():
        bf16 = f"{g.bf16_tflops:g}" if g.bf16_tflops else "-"
        note = f" ({g.note})" if g.note else ""
        lines.append(
            f"| {g.name} | {g.sms} | {g.cuda_cores:,} | {g.fp32_tflops:g} | {bf16}{note} | "
            f"{g.memory_gbps:g} | Gen{g.pcie_gen} x16 | {g.source} |"
        )
    lines += [
        "",
        "PCIe bandwidth per direction (GB/s): "
        + ", ".join(f"Gen{k} {v:g}" for k, v in PCIE_GBPS.items())
        + f". Source: {PCIE_SOURCE}.",
        "",
        f"Launch overhead in the model: {LAUNCH_OVERHEAD_S * 1e6:g} us; {LAUNCH_SOURCE}. "
        f"A call that moves data and waits for the result: {SYNC_CALL_OVERHEAD_S * 1e6:g} us; "
        f"{SYNC_SOURCE}.",
        "",
        f"Model lines on the figures use the {MODEL_GPU.name}.",
    ]
    return "\n".join(lines) + "\n"
