"""The roofline chart: every measured point against its arithmetic intensity, under ceilings.

A call that does F FLOPs on B bytes can run no faster than min(peak, bandwidth x F/B). Each
CPU's ceilings come from its hardware, as its runs recorded them: the FP32 peak derived from
cores x FLOPs per cycle x clock, and the memory bandwidth of a STREAM-style triad; its best
measured matrix multiply is named beside them, with its share of the peak. A machine whose runs
recorded no limits falls back to its best measured points as ceilings, drawn dash-dotted, and
says so. The model GPU's roof comes from its datasheet (whygpu.contract.datasheet) and is grey
and dashed; the other GPUs' are on the Sources page and in the interactive figures. Every
ceiling is named on the chart, so the legend keys only the examples' point shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared
from whygpu.report import roofline_text
from whygpu.report.collisions import crossed
from whygpu.report.limits import cpu_ceilings
from whygpu.report.reference import reference_machine
from whygpu.report.style import MODEL_DASHES, SMALL_FONT, THEMES, rc_params, to_svg
from whygpu.report.text import folded_caption
from whygpu.store.types import ResultsDoc

MAX_MACHINES = 4
#: Point shapes, one per example in order of slug (the legend names each).
MARKER_CYCLE = ("s", "D", "^", "o", "v", "P", "X", "*", "h", "<")


def _points(docs: list[ResultsDoc]) -> list[tuple[str, str, str, float, float]]:
    """(machine, example, variant, intensity, GFLOP/s) for every measured FP32 compute point
    (only FP32: every point sits under the FP32 ceilings drawn with it)."""
    out = []
    for doc in docs:
        if doc["metric"] == "items":
            continue
        for run in doc["runs"]:
            for p in run["points"]:
                if p["status"] != "ok":
                    continue
                single = p["params"].get("dtype", "float32") == "float32"
                if single and p["flops"] > 0 and p["bytes_moved"] > 0:
                    out.append(
                        (
                            doc["machine"],
                            doc["example"],
                            p["variant"],
                            p["flops"] / p["bytes_moved"],
                            p["flops"] / p["median_s"] / 1e9,
                        )
                    )
    return out


def _draw(
    docs: list[ResultsDoc],
    ceilings: dict[str, dict[str, Any]],
    theme: dict[str, Any],
    phone: bool = False,
) -> str:
    """One SVG: the GPUs' modelled roofs, each CPU's ceilings, the points, then the legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.logspace(-2, 4, 200)
    pts = _points(docs)
    machines = sorted({p[0] for p in pts})
    examples = sorted({p[1] for p in pts})
    marker = {e: MARKER_CYCLE[i % len(MARKER_CYCLE)] for i, e in enumerate(examples)}
    # one colour per machine, shared by its points and its ceilings
    colour = {m: theme["colors"][i % len(theme["colors"])] for i, m in enumerate(machines)}
    with plt.rc_context(rc_params(theme, "whygpu-roofline")):
        # a phone gets a narrow, taller chart whose text stays legible at 390 px
        fig, ax = plt.subplots(figsize=(4.6, 9.0) if phone else (9.6, 7.6), layout="constrained")
        names = [_gpu_roof(ax, x, theme, phone)]
        reference = reference_machine(docs)
        for machine, c in sorted(ceilings.items()):
            tint = colour.get(machine, theme["fg"])
            names += _cpu_roof(ax, x, machine, c, tint, (machine == reference, phone))
        for machine in machines:
            for example in sorted({p[1] for p in pts if p[0] == machine}):
                sel = [p for p in pts if p[0] == machine and p[1] == example]
                ax.scatter(
                    [p[3] for p in sel],
                    [p[4] for p in sel],
                    s=16,
                    marker=marker[example],
                    color=colour[machine],
                    alpha=0.8,
                    zorder=3,
                )
        for example, m in marker.items():  # the legend's keys: a shape per example
            ax.scatter([], [], s=16, marker=m, color=theme["fg"], label=example)
        _axes(ax, phone)
        _legend(fig, ax, phone)
        _spread(fig, ax, names, theme)
        fig.patch.set_alpha(0)
        return to_svg(fig)


def _gpu_roof(ax: Axes, x: np.ndarray, theme: dict[str, Any], phone: bool) -> tuple[Any, float]:
    """The model GPU's datasheet roof, grey and dashed, named on its flat part."""
    gpu, roof = MODEL_GPU, np.minimum(MODEL_GPU.fp32_tflops * 1e3, MODEL_GPU.memory_gbps * x)
    ax.plot(x, roof, linestyle=MODEL_DASHES["compute"], linewidth=1.5, color=theme["model"])
    name = f"{gpu.name.removeprefix('NVIDIA ')} model (datasheet)"
    name += "" if phone else f": FP32 peak, {gpu.memory_gbps:,g} GB/s"
    return _name(ax, name, gpu.fp32_tflops * 1e3, theme["model"]), gpu.fp32_tflops * 1e3


def _cpu_roof(
    ax: Axes, x: np.ndarray, machine: str, c: dict[str, Any], colour: str, how: tuple[bool, bool]
) -> list[tuple[Any, float]]:
    """A machine's CPU ceilings in its colour (solid where the hardware's peak was measured,
    dash-dotted where its best points stand in), named on the chart; on the reference machine,
    its best point's share of the peak too. `how`: (the reference machine, a phone)."""
    reference, phone = how
    roof = np.minimum(c["gflops"], c["gbps"] * x)
    hardware = c["kind"] == "hardware"
    ax.plot(x, roof, color=colour, linewidth=2.2, linestyle="-" if hardware else "-.")
    what = "FP32 peak and triad" if hardware else "best points (no peak recorded)"
    name = machine if phone else f"{machine} CPU: {what}"  # a phone's caption says the rest
    names = [(_name(ax, name, c["gflops"], colour), c["gflops"])]
    if hardware and c["best"] and reference:
        best = f"its best {c['best_of'][0]}: {c['best'] / c['gflops']:.0%} of the peak"
        names.append((_name(ax, best, c["best"], colour), c["best"]))
    return names


def _name(ax: Axes, text: str, value: float, colour: str) -> Any:
    """A ceiling's name, right-aligned at the chart's right end, just above `value`."""
    return ax.annotate(
        text,
        (1.0, value),
        xycoords=("axes fraction", "data"),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=SMALL_FONT,
        color=colour,
    )


def _spread(fig: Figure, ax: Axes, names: list[tuple[Any, float]], theme: dict[str, Any]) -> None:
    """Stack the CPU ceilings' names above the highest of them, in the order of their heights,
    where no point is (below, points crowd under their ceilings); the GPU's stays on its roof."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg's canvas has one
    gpu, cpus = names[0], sorted(names[1:], key=lambda n: n[1])
    top = max((v for _, v in cpus), default=0.0)
    placed = [gpu[0].get_window_extent(renderer)]
    for k, (text, _) in enumerate(cpus):
        text.xy = (1.0, top)
        text.xyann = (-2, 4 + 1.3 * SMALL_FONT * k)
        box = text.get_window_extent(renderer)
        if any(box.overlaps(other) for other in placed):
            text.set_visible(False)  # no room under the GPU's roof: the caption names it
        elif crossed(fig, text):  # a long name over the GPU's slope: the line passes under it
            text.set_bbox({"boxstyle": "square,pad=0.15", "fc": theme["bg"], "ec": "none"})
        placed.append(box)


def _axes(ax: Axes, phone: bool) -> None:
    """Log scales from 0.01 to 10,000 FLOPs per byte, the grid, and no box."""
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="arithmetic intensity (FLOPs per byte)",
        ylabel="GFLOP/s",
        title="Roofline" if phone else "Roofline: measured points under their ceilings",
    )
    ax.set_xlim(1e-2, 1e4)
    ax.grid(True, which="major", linewidth=0.6)
    ax.set_facecolor("none")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(fig: Figure, ax: Axes, phone: bool) -> None:
    """The examples' point shapes under the chart, in one row (two on a phone)."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=2 if phone else len(labels),
        fontsize=SMALL_FONT,
        title="measured points,\ncoloured as their machine's ceilings"
        if phone
        else "measured points, coloured as their machine's ceilings",
        title_fontsize=SMALL_FONT,
    )


def shown(docs: list[ResultsDoc]) -> list[str]:
    """The machines the chart draws: the reference first, then the newest, at most MAX_MACHINES
    (more would be a cloud of one colour; the Results page's table lists every machine)."""
    reference = reference_machine(docs)
    newest: dict[str, str] = {}
    for d in docs:
        for r in d["runs"]:
            newest[d["machine"]] = max(newest.get(d["machine"], ""), r["provenance"]["date_utc"])
    others = sorted((m for m in newest if m != reference), key=lambda m: (newest[m], m))[::-1]
    return ([reference] if reference in newest else []) + others[: MAX_MACHINES - 1]


def render(
    docs: list[ResultsDoc], declared: Declared | None = None, *, draw: bool = True
) -> dict[str, str]:
    """The roofline's SVGs (left out where not `draw`), its CSV and its caption."""
    machines = shown(docs)
    left_out = len({d["machine"] for d in docs}) - len(machines)
    docs = [d for d in docs if d["machine"] in machines]
    pts = _points(docs)
    if not pts:
        return {}
    rows = ["machine,example,variant,flops_per_byte,gflop_per_s"]
    rows += [f"{m},{e},{v},{i:.6g},{g:.6g}" for m, e, v, i, g in pts]
    ceilings = cpu_ceilings(docs, declared)
    caption = roofline_text.caption(sorted({p[0] for p in pts}), ceilings, left_out, MAX_MACHINES)
    views = [
        (t, p, f"roofline{'-phone' if p else ''}{t['suffix']}.svg")
        for p in (0, 1)
        for t in THEMES.values()
    ]
    out = {name: _draw(docs, ceilings, t, phone=bool(p)) for t, p, name in views if draw}
    out["roofline.csv"] = "\n".join(rows) + "\n"
    notice = roofline_text.notice(docs, ceilings, declared)
    out["roofline.caption.md"] = folded_caption(notice, caption, roofline_text.PLAIN)
    return out
