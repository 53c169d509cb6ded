"""The roofline's words: its caption, each machine's ceilings named with how they were found,
and what to notice on the reference machine, counted from the data (whygpu.report.limits)."""

from __future__ import annotations

from typing import Any

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared
from whygpu.report.limits import roof_reading
from whygpu.report.reference import reference_machine
from whygpu.report.text import TIMES, md_escape
from whygpu.store.types import ResultsDoc

PLAIN = (
    "In plain words: a point stays under its machine's ceiling lines unless its data fitted "
    "in the CPU's caches, which are faster than main memory; the grey dashed roof is what the "
    f"{MODEL_GPU.name}'s datasheet allows, not a measurement."
)


def caption(
    machines: list[str], ceilings: dict[str, dict[str, Any]], left_out: int, most: int
) -> list[str]:
    """The caption's paragraphs: what is drawn, each machine's ceilings, who is left out."""
    named = "; ".join(ceiling_text(m, c) for m, c in sorted(ceilings.items()))
    caption = [
        f"Measured on {', '.join(f'**{md_escape(m)}**' for m in machines)}, "
        "one colour per machine; each point is one size of one example, placed by its FLOPs per "
        "byte of minimum memory traffic. Each machine's CPU ceilings are in its colour (solid: "
        f"its measured peak; dash-dotted: its best points stand in): {named}. Grey dashed: the "
        f"datasheet model of the {MODEL_GPU.name} (FP32 CUDA-core peak and memory bandwidth; "
        "others on the Sources page), not a measurement. FP32 points only. Points above a CPU's "
        "memory slope ran from cache, which is faster than main memory."
    ]
    if not ceilings:
        caption.append(
            "No machine has results of variants read against both ceilings (compute and "
            "memory), so no CPU ceiling."
        )
    if left_out:
        caption.append(
            f"{left_out} more machines are left out of the chart (it shows the reference machine "
            f"and the {most - 1} newest); the table above compares them all."
        )
    return caption


def ceiling_text(machine: str, c: dict[str, Any]) -> str:
    """A machine's two ceilings in words, and where each came from."""
    if c["kind"] == "hardware":
        share = (
            f", and its best FP32 matrix multiply reached {c['best'] / c['gflops']:.0%} of it"
            if c["best"]
            else ""
        )
        return (
            f"**{md_escape(machine)}**: FP32 peak {c['gflops']:.0f} GFLOP/s (cores x FLOPs per "
            f"cycle x clock, each measured; the Results page shows how) and "
            f"{c['gbps']:.0f} GB/s measured by a STREAM-style triad{share}"
        )
    (example, variant), (slow, _) = c["best_of"], c["memory_of"]
    return (
        f"**{md_escape(machine)}**: no peak recorded, so its best measured points stand in: "
        f"{c['gflops']:.0f} GFLOP/s ({md_escape(example)} {md_escape(variant)}, its best point) "
        f"and {c['gbps']:.0f} GB/s ({md_escape(slow)}, its largest size)"
    )


def notice(
    docs: list[ResultsDoc], ceilings: dict[str, dict[str, Any]], declared: Declared | None
) -> str:
    """The reference machine's points against its two roofs, counted from the data, and how
    close its best matrix product came."""
    ref = reference_machine(docs)
    c = ceilings.get(ref) if ref else None
    reading = roof_reading(docs, ref, declared) if ref else None
    gpu = MODEL_GPU
    if not c or not ref or not reading:
        return "low-intensity points sit under the memory slope, matrix products under the peak."
    reach = (
        f"; its best FP32 matrix multiply reaches {c['best'] / c['gflops']:.0%} of the peak"
        if c.get("best") and c["kind"] == "hardware"
        else ""
    )
    return (
        f"on **{md_escape(ref)}**, {reading.peak_text()}{reach}; {reading.slope_text()}; the "
        f"{md_escape(gpu.name)}'s modelled roof is "
        f"{gpu.fp32_tflops * 1e3 / c['gflops']:.0f}{TIMES} "
        "higher."
    )
