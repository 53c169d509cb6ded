"""The Sources page's generated tables: the datasheet peaks, the cited GPU measurements, and
where each number of the model GPU comes from. They come from the datasheet table and the cited
rows alone, so the page and the figures cannot disagree on a GPU."""

from __future__ import annotations

from whygpu.contract.datasheet import MODEL_GPU, PCIE_GBPS, PCIE_SOURCE, PCIE_URL, REFERENCE_GPUS
from whygpu.contract.meaning import Declared
from whygpu.report import cited
from whygpu.report.models import LAUNCH_ROW, SYNC_CALLS, launch_row, parameters, shares
from whygpu.store.types import ResultsDoc


def render(docs: list[ResultsDoc], declared: Declared | None = None) -> dict[str, str]:
    """The three tables; `docs` may hold a GPU run that measured the model's launch cost."""
    launch = launch_row(docs, declared)
    return {
        "gpu-peaks.md": datasheet_table(launch),
        "cited-measurements.md": cited_table(),
        "model-parameters.md": model_parameters_table(launch),
    }


def datasheet_table(launch: cited.Cited = LAUNCH_ROW) -> str:
    """The peak table with the source of every number, for the site's Sources page."""
    lines = [
        "| GPU | SMs | FP32 cores | FP32 TFLOP/s | BF16 tensor TFLOP/s (dense) | memory GB/s "
        "| PCIe | source |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for g in REFERENCE_GPUS.values():
        tensor = f"{g.bf16_tflops:g}" if g.bf16_tflops else "-"
        note = f" ({g.note})" if g.note else ""
        lines.append(
            f"| {g.name} | {g.sms} | {g.cuda_cores:,} | {g.fp32_tflops:g} | {tensor}{note} | "
            f"{g.memory_gbps:g} | Gen{g.pcie_gen} x16 | {g.source} "
            + " ".join(f"[[{i}]]({url})" for i, url in enumerate(g.urls, 1))
            + " |"
        )
    lines += [
        "",
        "PCIe bandwidth per direction (GB/s): "
        + ", ".join(f"Gen{k} {v:g}" for k, v in PCIE_GBPS.items())
        + f". Source: [{PCIE_SOURCE}]({PCIE_URL}).",
        "",
        f"Fixed costs in the model: one launch {launch.value:.3g} µs, measured on the "
        f"{launch.gpu} ([source]({launch.url})); a call that moves "
        f"data and waits for its result {SYNC_CALLS * launch.value:.3g} µs, three such operations "
        "(copy in, kernel, copy back).",
        "",
        f"Model lines on the figures use the {MODEL_GPU.name}.",
    ]
    return "\n".join(lines) + "\n"


def model_parameters_table(launch: cited.Cited = LAUNCH_ROW) -> str:
    """Where each number of the model GPU comes from: its datasheet, or a cited measurement of
    it, or one borrowed from another GPU, named as borrowed."""
    g = MODEL_GPU
    sheet = f"{g.source} " + " ".join(f"[[{i}]]({url})" for i, url in enumerate(g.urls, 1))
    lines = [
        f"The model drawn where no GPU has run a benchmark is the **{g.name}**. Each of its "
        "numbers, and where it comes from:",
        "",
        "| parameter | value | measured on | source |",
        "| --- | ---: | --- | --- |",
        f"| FP32 peak | {g.fp32_tflops:g} TFLOP/s | datasheet | {sheet} |",
    ]
    if g.bf16_tflops:
        lines.append(
            f"| BF16 tensor peak (dense) | {g.bf16_tflops:g} TFLOP/s | datasheet | {sheet} |"
        )
    lines += [
        f"| memory bandwidth | {g.memory_gbps:,g} GB/s | datasheet | {sheet} |",
        f"| host link | PCIe Gen{g.pcie_gen} x16, {PCIE_GBPS[g.pcie_gen]:g} GB/s | "
        f"datasheet and the PCIe specification | [{PCIE_SOURCE}]({PCIE_URL}) |",
    ]
    for p in parameters(g, launch).values():
        whose = f"**borrowed**: {p.row.gpu}" if p.borrowed else f"this GPU ({p.row.gpu})"
        lines.append(f"| {p.what} | {p.text} | {whose} | [{p.row.tool}]({p.row.url}) |")
    lent = [p for p in parameters(g, launch).values() if p.borrowed]
    if lent:
        lines += [
            "",
            "A borrowed number comes from another GPU because no cited measurement of the "
            f"{g.name} gives it; the figures name it as borrowed on the line's label and in the "
            "caption.",
        ]
    return "\n".join(lines) + "\n"


def cited_table() -> str:
    """Every cited GPU measurement, with its tool, software, date and a link to where it stands."""
    lines = [
        "| GPU | measured | value | share of datasheet peak | tool | software | date | source |",
        "| --- | --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    for row in cited.CITED:
        what = cited.QUANTITIES[row.quantity][1]
        share = f"{row.share:.0%} of {row.peak():g}" if row.share is not None else "-"
        note = f" ({row.note})" if row.note else ""
        lines.append(
            f"| {row.gpu} | {what}{note} | {row.value:,g} {row.unit} | {share} | {row.tool} | "
            f"{row.stack} | {row.date} | [link]({row.url}) |"
        )
    calibrated = shares(MODEL_GPU)
    lines += ["", f"The {MODEL_GPU.name} model is calibrated by "]
    lines[-1] += (
        "; ".join(
            f"the measured {r.share:.0%} of peak for {cited.QUANTITIES[q][1]} ({r.gpu})"
            for q, r in calibrated.items()
        )
        or "nothing yet"
    )
    lines[-1] += (
        ": its line is drawn as a calibrated model, peak times measured share, still a model."
    )
    return "\n".join(lines) + "\n"
