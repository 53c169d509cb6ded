"""The roofline chart: every measured point against its arithmetic intensity, under ceilings.

A call that does F FLOPs on B bytes can run no faster than min(peak, bandwidth x F/B). Each
CPU's ceilings come from its hardware, as its runs recorded them: the FP32 peak derived from
cores x FLOPs per cycle x clock, and the memory bandwidth of a STREAM-style triad; its best
measured matrix multiply is named beside them, with its share of the peak. A machine whose runs
recorded no limits falls back to its best measured points as ceilings, and says so. The GPUs'
ceilings come from their datasheets (whygpu.contract.datasheet) and are dashed.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from whygpu.contract.datasheet import REFERENCE_GPUS
from whygpu.contract.meaning import Declared
from whygpu.report.limits import cpu_ceilings, roof_reading
from whygpu.report.reference import reference_machine
from whygpu.report.style import SMALL_FONT, THEMES, rc_params, to_svg
from whygpu.report.text import TIMES, folded_caption, md_escape
from whygpu.store.types import ResultsDoc

MAX_MACHINES = 4
#: Point shapes, one per example in order of slug (the legend names each).
MARKER_CYCLE = ("s", "D", "^", "o", "v", "P", "X", "*", "h", "<")
DASHES = [(0, (5, 3)), (0, (1, 2)), (0, (8, 2, 2, 2)), (0, (3, 3)), (0, (10, 3))]


def _points(docs: list[ResultsDoc]) -> list[tuple[str, str, str, float, float]]:
    """(machine, example, variant, intensity, GFLOP/s) for every measured FP32 compute point.

    Only FP32, so every point sits under the FP32 ceilings drawn with it."""
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
        _gpu_roofs(ax, x, theme)
        for machine, c in sorted(ceilings.items()):
            _cpu_roof(ax, x, machine, c, colour.get(machine, theme["fg"]))
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
        _keys(ax, colour, marker, theme)
        _axes(ax, phone)
        _legend(fig, ax, phone)
        fig.patch.set_alpha(0)
        return to_svg(fig)


def _gpu_roofs(ax: Axes, x: np.ndarray, theme: dict[str, Any]) -> None:
    """Each reference GPU's datasheet roof, grey and dashed, its name on it."""
    for i, gpu in enumerate(REFERENCE_GPUS.values()):
        roof = np.minimum(gpu.fp32_tflops * 1e3, gpu.memory_gbps * x)
        ax.plot(  # models: grey, a dash pattern each, named at the line's end
            x,
            roof,
            linestyle=DASHES[i % len(DASHES)],
            linewidth=1.3,
            color=theme["model"],
            label=f"model: {gpu.name} datasheet (FP32, {gpu.memory_gbps:g} GB/s)",
        )
    # each GPU's name on its ceiling, alternately at the ridge and at the right end, so
    # ceilings of similar height do not stack their names
    for i, gpu in enumerate(sorted(REFERENCE_GPUS.values(), key=lambda g: g.fp32_tflops)):
        ridge = gpu.fp32_tflops * 1e3 / gpu.memory_gbps
        ax.annotate(
            gpu.name.removeprefix("NVIDIA ").removeprefix("GeForce "),
            (ridge if i % 2 else x[-1], gpu.fp32_tflops * 1e3),
            xytext=(3 if i % 2 else -2, 3),
            textcoords="offset points",
            ha="left" if i % 2 else "right",
            fontsize=SMALL_FONT,
            color=theme["model"],
        )


def _cpu_roof(ax: Axes, x: np.ndarray, machine: str, c: dict[str, Any], colour: str) -> None:
    """A machine's CPU ceilings, solid in its colour, and its best point's share of the peak."""
    roof = np.minimum(c["gflops"], c["gbps"] * x)
    hardware = c["kind"] == "hardware"
    ax.plot(
        x,
        roof,
        color=colour,
        linewidth=2.4,
        label=f"{machine} CPU: "
        + ("FP32 peak and triad bandwidth" if hardware else "best measured points")
        + f" ({c['gflops']:.0f} GFLOP/s, {c['gbps']:.0f} GB/s)",
    )
    if hardware and c["best"]:
        ax.annotate(
            f"best {c['best_of'][0]} {c['best']:.0f} GFLOP/s\n"
            f"= {c['best'] / c['gflops']:.0%} of peak",
            (x[-1], c["best"]),
            xytext=(-2, -4),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=SMALL_FONT,
            color=colour,
        )


def _keys(ax: Axes, colour: dict[str, str], marker: dict[str, str], theme: dict[str, Any]) -> None:
    """The legend's keys to the points: a colour per machine, a marker per example."""
    for machine, c in colour.items():
        ax.plot([], [], linestyle="none", marker="o", color=c, label=machine)
    for example, m in marker.items():
        ax.scatter(
            [],
            [],
            s=16,
            marker=m,
            color=theme["fg"],
            label=f"measured: {example} (coloured by machine)",
        )


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
    """Every ceiling and key under the chart, wrapped to a phone's width."""
    handles, labels = ax.get_legend_handles_labels()
    if phone:
        labels = ["\n".join(textwrap.wrap(label, 40)) for label in labels]
    fig.legend(handles, labels, loc="outside lower center", ncols=1, fontsize=SMALL_FONT - 1)


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


def _ceiling_text(machine: str, c: dict[str, Any]) -> str:
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


def _notice(
    docs: list[ResultsDoc], ceilings: dict[str, dict[str, Any]], declared: Declared | None
) -> str:
    """The reference machine's points against its two roofs, counted from the data, and how
    close its best matrix product came."""
    ref = reference_machine(docs)
    c = ceilings.get(ref) if ref else None
    reading = roof_reading(docs, ref, declared) if ref else None
    gpu = max(REFERENCE_GPUS.values(), key=lambda g: g.fp32_tflops)
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
    named = "; ".join(_ceiling_text(m, c) for m, c in sorted(ceilings.items()))
    caption = [
        f"Measured on {', '.join(f'**{md_escape(m)}**' for m in sorted({p[0] for p in pts}))}, "
        "one colour per machine; each point is one size of one example, placed by its FLOPs per "
        "byte of minimum memory traffic. Solid: each machine's CPU ceilings, in its colour: "
        f"{named}. Grey dashed: datasheet models of reference GPUs (FP32 CUDA-core peak and "
        "memory bandwidth; see Sources), not measurements. FP32 points only. Points above a "
        "CPU's memory slope ran from cache, which is faster than main memory."
    ]
    if not ceilings:
        caption.append(
            "No machine has results of variants read against both ceilings (compute and "
            "memory), so no CPU ceiling."
        )
    if left_out:
        caption.append(
            f"{left_out} more machines are left out of the chart (it shows the reference machine "
            f"and the {MAX_MACHINES - 1} newest); the table above compares them all."
        )
    svgs = {
        "roofline.svg": (THEMES["light"], False),
        "roofline-dark.svg": (THEMES["dark"], False),
        "roofline-phone.svg": (THEMES["light"], True),
        "roofline-phone-dark.svg": (THEMES["dark"], True),
    }
    out = {name: _draw(docs, ceilings, t, phone=p) for name, (t, p) in svgs.items() if draw}
    out["roofline.csv"] = "\n".join(rows) + "\n"
    out["roofline.caption.md"] = folded_caption(_notice(docs, ceilings, declared), caption)
    return out
