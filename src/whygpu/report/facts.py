"""Named numbers the concept pages quote, computed from the results files and the datasheets.

A page writes `{{ fact:matmul.cpu.fp32.best }}` instead of typing a measured number; the site
hook replaces it with the text computed here, so the prose changes when the results do. Every
fact records where it came from (a results file, or the datasheet table), and `facts.json` is
regenerated with the figures, so a test fails when it is stale. The site-wide facts (`machine.*`,
`noise.*`, `roofline.*`) describe the site's reference machine; each example's own facts come
from the machine its figure shows (whygpu.report.example_facts), whichever that is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from whygpu.contract import datasheet
from whygpu.contract.meaning import Declared
from whygpu.report import cited, evidence, gpu_choices, machine_facts, models
from whygpu.report.crossover import crossovers
from whygpu.report.declared import or_default
from whygpu.report.example_facts import example_facts
from whygpu.report.machine_facts import Put
from whygpu.report.reference import reference_machine
from whygpu.report.text import duration, json_text, ratio
from whygpu.store.types import ResultsDoc


def compute(
    docs: list[ResultsDoc],
    sides: dict[str, evidence.Side] | None = None,
    crossings: list[dict[str, Any]] | None = None,
    declared: Declared | None = None,
    timed: Sequence[ResultsDoc] = (),
) -> dict[str, dict[str, Any]]:
    """Every fact: key -> {"text": what the page shows, "value": the number, "source": where}.

    `sides` and `crossings` are the examples' evidence and the crossover rows, where the caller
    has computed them already; `declared`, what the examples say their variants mean; `timed`,
    runs kept only for how long a profile takes (benchmarks/runtime: a quick run whose results
    would otherwise replace the published full ones).
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
    for slug, side in sides.items():  # each example from the machine its figure shows
        example_facts(put, slug, side, docs, crossings, declared)
        gpu_choices.largest_size_facts(put, slug, side, declared, docs)
    machine_facts.noise_facts(put, docs, ref)
    machine_facts.peak_facts(put, docs, ref, declared)
    machine_facts.roof_facts(put, docs, ref, declared)
    machine_facts.runtime_facts(put, [*docs, *timed], ref)
    return facts


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
    timed: Sequence[ResultsDoc] = (),
) -> dict[str, str]:
    """facts.json: sorted, one fact per line group, so diffs read well."""
    found = compute(docs, sides, crossings, declared, timed)
    return {"facts.json": json_text(found)}
