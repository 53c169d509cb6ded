"""The GPUs a reader may put beside an example's CPU: the model of each, on the sizes the
example's figure machine measured, and what it says at the largest size. The interactive
figures draw these lines (whygpu.report.explore); the facts quote the largest size's factor, so
"how much faster would an H100 be here?" has an answer with its kind of evidence named."""

from __future__ import annotations

from whygpu.contract.datasheet import REFERENCE_GPUS
from whygpu.contract.meaning import Declared
from whygpu.report.evidence import Side
from whygpu.report.machine_facts import Put
from whygpu.report.models import launch_row, model_lines, short_gpu
from whygpu.report.text import ratio
from whygpu.store.types import ResultsDoc

#: The GPUs a reader may switch the model lines to: the site's model GPU first.
PICKABLE = ("a100-sxm-80gb", "h100-sxm", "h200-sxm", "l4", "rtx-4090")


def largest_size_facts(
    put: Put, slug: str, side: Side, declared: Declared, docs: list[ResultsDoc]
) -> None:
    """`<slug>.model.<gpu>.<variant>.largest`: how many times faster than the CPU's own variant
    each GPU's model is at the largest size both have, named as a model (calibrated or not)."""
    if side.gpu_runs or not side.cpu:
        return  # a GPU measured it, or no CPU did: nothing to model beside
    cpu = {s["variant"]: s for s in side.cpu}
    launch, meaning = launch_row(docs, declared), declared.of(slug)
    for key in PICKABLE:
        gpu = REFERENCE_GPUS[key]
        for line in model_lines(side.cpu, meaning, launch, gpu):
            base = cpu.get(line["key"])
            if base is None or line["crosses_pcie"]:
                continue  # a copy, or end to end: no like-for-like CPU line
            cpu_at = {p["size"]: p["median_s"] for p in base["points"]}
            size = max(p["size"] for p in line["points"] if p["size"] in cpu_at)
            model_s = next(p["median_s"] for p in line["points"] if p["size"] == size)
            factor = cpu_at[size] / model_s
            kind = "calibrated model" if line["calibrated"] else "model"
            src = f"results/{side.machine}/{slug}.json and the datasheet table"
            name = f"{slug}.model.{key}.{line['key']}"
            put(f"{name}.largest", ratio(factor), factor, src)
            put(f"{name}.largest_size", f"{size:,}", size, src)
            put(f"{name}.kind", f"the {short_gpu(gpu.name)} {kind}", kind, src)
