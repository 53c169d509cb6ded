"""Generated Markdown the pages include: the crossover table, the results page, the sources.

Like the figures, these are drawn from results files (and the datasheet table) alone, and a
test fails when a committed one no longer matches.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from whygpu import gpu_peaks
from whygpu.figures import group_series, model_lines
from whygpu.figures import md_escape as md

STALE_AFTER_DAYS = 365
_VERSION = re.compile(r"^BENCHMARK_VERSION\s*=\s*(\d+)", re.MULTILINE)


def current_versions(examples_dir: Path) -> dict[str, int]:
    """Each example's BENCHMARK_VERSION, read from its source (no import, no torch)."""
    versions = {}
    for path in sorted(Path(examples_dir).glob("*.py")):
        match = _VERSION.search(path.read_text(encoding="utf-8"))
        if match:
            versions[path.stem] = int(match.group(1))
    return versions


def staleness(docs: list[dict[str, Any]], versions: dict[str, int]) -> dict[tuple, str]:
    """Why a run is stale, keyed by (machine, example, accelerator); absent when it is current.

    Age is judged against the newest run on the site, not the clock, so the same results
    always draw the same pages.
    """
    dates = [_date(r) for d in docs for r in d["runs"]]
    newest = max(dates) if dates else None
    stale = {}
    for doc in docs:
        for run in doc["runs"]:
            key = (doc["machine"], doc["example"], run["accelerator"])
            current = versions.get(doc["example"])
            if current is not None and doc["benchmark_version"] < current:
                stale[key] = (
                    f"benchmark version {doc['benchmark_version']}, the example is now at "
                    f"version {current}"
                )
            elif newest and (newest - _date(run)).days > STALE_AFTER_DAYS:
                stale[key] = "measured more than 12 months before the newest results here"
    return stale


def _date(run: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(run["provenance"]["date_utc"][:10])


def crossovers(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Smallest size at which each GPU (measured, or the datasheet model) beats the CPU.

    One row per (workload, CPU machine, GPU): `compute` and `e2e` hold the first size, or None
    where the CPU was faster at every size measured (absent where there is no such line).
    """
    series = group_series(docs).get("crossover", [])
    cpu = {
        (s["doc"]["machine"], s["variant"]): s for s in series if s["run"]["accelerator"] == "cpu"
    }
    rows = []
    for (machine, op), base in sorted(cpu.items()):
        cpu_time = {p["size"]: p["median_s"] for p in base["points"]}
        gpus = [
            s
            for s in series
            if s["run"]["accelerator"] == "gpu"
            and s["doc"]["machine"] == machine
            and s["variant"] in (op, f"{op}-e2e")
        ]
        candidates = [(s["run"]["device_name"], "measured", s) for s in gpus]
        candidates += [
            (gpu_peaks.MODEL_GPU.name, "model (datasheet)", m)
            for m in model_lines([base])
            if m["of"] == op
        ]
        by_gpu: dict[tuple[str, str], dict[str, Any]] = {}
        for name, kind, s in candidates:
            column = "e2e" if s["variant"].endswith("-e2e") else "compute"
            first = next(
                (
                    p["size"]
                    for p in s["points"]
                    if p["size"] in cpu_time and p["median_s"] < cpu_time[p["size"]]
                ),
                None,
            )
            row = by_gpu.setdefault(
                (name, kind),
                {
                    "op": op,
                    "machine": machine,
                    "cpu": base["run"]["device_name"],
                    "gpu": name,
                    "kind": kind,
                },
            )
            row[column] = first
        rows.extend(by_gpu.values())
    return rows


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
        f"faster at every size measured. Model rows use the {gpu_peaks.MODEL_GPU.name}'s "
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


def render(docs: list[dict[str, Any]], versions: dict[str, int]) -> dict[str, str]:
    return {
        "crossover-table.md": crossover_table(docs),
        "results-table.md": results_page(docs, versions),
        "gpu-peaks.md": gpu_peaks.sources_markdown(),
    }
