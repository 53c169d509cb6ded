"""The chart on every example page: time per call and throughput against size, one line per
machine, accelerator and variant, with bars from the fastest to the slowest round, a red bar on
every point whose rounds disagree, and the model lines dashed beside them."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report import chart_notes
from whygpu.report.lines import Line, ModelLine, Series, is_model
from whygpu.report.models import borrowed, borrowed_text, line_uses, model_name, short_gpu
from whygpu.report.series import bar_ends, rate_unit, variant_order, work_of
from whygpu.report.style import (
    ACCELERATOR_MARKERS,
    CITED_MARKER,
    MODEL_DASHES,
    SMALL_FONT,
    THEMES,
    rc_params,
    to_svg,
)
from whygpu.report.ticks import plain, size_ticks


def render(
    slug: str,
    series: list[Series],
    models: list[ModelLine],
    marks: list[tuple[int, str]] | None = None,
    cited: list[dict[str, Any]] | None = None,
) -> dict[str, str]:
    """The example's chart in each theme: `<slug>.svg` and `<slug>-dark.svg`.

    `series` are one machine's measured runs (CPU, and GPU where it has one), `models` the
    datasheet model lines drawn where it has no GPU run, `marks` (size, workload) where the GPU
    starts to win end to end, `cited` measurements published elsewhere, drawn as marks.
    Each comes wide (two panels side by side) and for phones (`-phone`, the panels stacked).
    """
    out = {}
    for theme in THEMES.values():
        for layout, suffix in (("wide", ""), ("phone", "-phone")):  # phone: panels stacked
            out[f"{slug}{suffix}{theme['suffix']}.svg"] = _draw(
                series, models, theme, list(marks or []), list(cited or []), layout
            )
    return out


def _tag(s: Line) -> str:
    """The short name written at the end of a line, so it reads without the legend: the GPU and
    the kind of evidence for a model ("A100 model, fp32"), the device for a measured line."""
    if is_model(s):
        return model_name(s)
    device = s["run"]["device_name"]
    if s["run"]["accelerator"] == "gpu" and device.startswith("NVIDIA"):
        return f"{short_gpu(device).split(' ')[0]} {s['variant']}"
    return f"{s['run']['accelerator'].upper()} {s['variant']}"


def _star(mark: dict[str, Any]) -> str:
    """A cited star's name in the names' column: the star, its GPU, its kind of evidence."""
    return f"\u2605 {mark['tag']}, cited"


def _style(s: Line, variants: list[str], theme: dict[str, Any]) -> dict[str, Any]:
    """Measured: solid, coloured, marked by accelerator. Model: grey, dashed, thick: calibrated."""
    if is_model(s):
        return {
            "color": theme["model"],
            "linestyle": MODEL_DASHES["e2e" if s["crosses_pcie"] else "compute"],
            "linewidth": 2.2 if s["calibrated"] else 1.4,  # calibrated: told apart at a glance
            "marker": "none",
        }
    gpu = s["run"]["accelerator"] == "gpu"
    return {
        "color": theme["colors"][variants.index(s["variant"]) % len(theme["colors"])],
        "linestyle": "-",
        "linewidth": 2.4 if gpu else 1.8,
        "marker": ACCELERATOR_MARKERS[s["run"]["accelerator"]],
        "markersize": 4.5,
        "markerfacecolor": "none" if gpu else None,
        "capsize": 3,
    }


def _flag_bars(
    ax: Axes, x: ArrayLike, low: ArrayLike, high: ArrayLike, theme: dict[str, Any]
) -> None:
    """Redraw the round bars of points whose rounds disagree in the flag colour: a thin range,
    not a ring that shouts over every point; labelled once per panel for the legend."""
    label = f"red bar: rounds more than {ROUND_DISAGREE_FRACTION:.0%} apart"
    seen = label in ax.get_legend_handles_labels()[1]
    ax.vlines(
        x,
        low,
        high,
        colors=theme["flag"],
        linewidth=1.4,
        label="_nolegend_" if seen else label,
        zorder=6,
    )


def _draw(
    series: list[Series],
    models: list[ModelLine],
    theme: dict[str, Any],
    marks: list[tuple[int, str]],
    cited: list[dict[str, Any]],
    layout: str = "wide",
) -> str:
    """One SVG: the lines on both panels, the notes on them, the axes, then the legend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    doc = series[0]["doc"]
    log_rate = doc["metric"] == "bytes" or bool(models) or _decades(series) > 2
    phone = layout == "phone"
    smallest = min(p["size"] for p in series[0]["points"])
    with plt.rc_context(rc_params(theme, "whygpu")):
        rows, cols, size = (2, 1, (4.6, 11.0)) if phone else (1, 2, (9.6, 5.0))
        fig, (ax_time, ax_rate) = plt.subplots(rows, cols, figsize=size, layout="constrained")
        chart_notes.PLACES.clear()
        if phone:  # the plot takes the width: at least 300 px of a 358 px phone column
            fig.get_layout_engine().set(w_pad=0.01)  # type: ignore[union-attr,call-arg]
        else:  # a column at the right for the lines' names, which the layout leaves free
            drawn: list[Line] = [*series, *models]
            names = [_tag(s) for s in drawn] + [_star(m) for m in cited if m["panel"] == "rate"]
            free = chart_notes.names_width(names) / size[0]
            fig.get_layout_engine().set(rect=(0, 0, 1 - free, 1))  # type: ignore[union-attr,call-arg]
        variants = variant_order(series)
        lines: list[Line] = [*series, *models]  # the models drawn over the measurements
        ends = [_plot_line(ax_time, ax_rate, s, variants, theme) for s in lines]
        chart_notes.cited_marks(ax_time, ax_rate, cited, smallest, theme, column=not phone)
        _set_panels(ax_time, ax_rate, series, log_rate, [int(m["size"]) for m in cited])
        chart_notes.crossings(ax_time, ax_rate, marks, theme, phone)
        for ax in (ax_time, ax_rate):
            _style_axes(ax, series, phone)
        _legend(fig, phone, lines, variants, cited, theme)
        # last: the legend takes its room from the axes, and the names' gap is measured on them;
        # a phone has no room beside the plot for them (its legend names every line)
        if not phone:
            stars = [m for m in cited if m["panel"] == "rate"]
            ends += [(m["size"], m["value"], _star(m), theme["fg"]) for m in stars]
            chart_notes.label_ends(ax_rate, ends, log_rate)
        chart_notes.untangle(
            fig, theme
        )  # last: every note's spot is chosen against the final layout
        fig.patch.set_alpha(0)
        return to_svg(fig)


def _decades(series: list[Series]) -> float:
    """How many decades the measured rates span: past two, a linear axis flattens the slower
    lines onto zero (a CPU beside a GPU), so the axis stays logarithmic."""
    rates = [work_of(s["doc"], p) / p["median_s"] for s in series for p in s["points"]]
    positive = [r for r in rates if r > 0]
    return float(np.log10(max(positive) / min(positive))) if positive else 0.0


def _plot_line(
    ax_time: Axes, ax_rate: Axes, s: Line, variants: list[str], theme: dict[str, Any]
) -> chart_notes.End:
    """One line on both panels: a measured one with its bars (red where rounds disagree), a
    model one bare.
    Returns where it ends on the throughput panel, for its name."""
    doc = s["doc"]
    rate_div = rate_unit(doc)[1]
    sizes = np.array([p["size"] for p in s["points"]], dtype=float)
    med = np.array([p["median_s"] for p in s["points"]])
    work = np.array([work_of(doc, p) for p in s["points"]]) / rate_div
    rate = work / med
    style = {**_style(s, variants, theme), "label": _tag(s)}
    if is_model(s):  # one value per size: no error bars
        ax_time.plot(sizes, med * 1e3, **style)
        ax_rate.plot(sizes, rate, **style)
    else:
        q = np.array([bar_ends(p) for p in s["points"]])
        ax_time.errorbar(
            sizes, med * 1e3, yerr=[(med - q[:, 0]) * 1e3, (q[:, 1] - med) * 1e3], **style
        )
        ax_rate.errorbar(sizes, rate, yerr=[rate - work / q[:, 1], work / q[:, 0] - rate], **style)
        flagged = [i for i, p in enumerate(s["points"]) if p["rounds_disagree"]]
        if flagged:
            low, high = q[flagged, 0], q[flagged, 1]
            _flag_bars(ax_time, sizes[flagged], low * 1e3, high * 1e3, theme)
            _flag_bars(ax_rate, sizes[flagged], work[flagged] / high, work[flagged] / low, theme)
    return sizes[-1], rate[-1], _tag(s), style["color"]


def _set_panels(
    ax_time: Axes, ax_rate: Axes, series: list[Series], log_rate: bool, marks: list[int]
) -> None:
    """Each panel's scales, labels and title. A phone's panels (stacked, the taller figure)
    say their unit in the title, not beside the axis, so the plot takes the width."""
    doc = series[0]["doc"]
    unit = rate_unit(doc)[0]
    phone = ax_rate.get_subplotspec().get_geometry()[:2] == (2, 1)  # type: ignore[union-attr]
    ax_time.set(
        xscale="log",
        yscale="log",
        xlabel=doc["size_label"],
        ylabel="" if phone else "time per call (ms)",
        title="ms per call, lower is better" if phone else "Time per call (lower is better)",
    )
    ax_rate.set(
        xscale="log",
        yscale="log" if log_rate else "linear",
        xlabel=doc["size_label"],
        ylabel="" if phone else unit,
        title=f"{unit}, higher is better" if phone else "Throughput (higher is better)",
    )
    if not log_rate:
        ax_rate.set_ylim(bottom=0)
    low, high = (
        min(p["size"] for p in series[0]["points"]),
        max([p["size"] for s in series for p in s["points"]] + marks),  # cited stars too
    )
    for ax in (ax_time, ax_rate):  # the names at the lines' ends take the figure's room
        ax.set_xlim(low / 1.4, high * 1.4)


def _style_axes(ax: Axes, series: list[Series], phone: bool) -> None:
    """Grid, size ticks, plain numbers with SI prefixes on the value axis, and no box."""
    from matplotlib.ticker import FuncFormatter, LogFormatter, NullLocator

    ax.grid(True, which="major", linewidth=0.6)
    ax.set_facecolor("none")
    ax.set_xticks(*size_ticks(series, 3 if phone else 6))
    ax.xaxis.set_minor_locator(NullLocator())
    # plain numbers with SI prefixes (60, 100k), not 6x10^1 or an offset "1e6" above the axis
    ax.yaxis.set_major_formatter(FuncFormatter(plain))
    if ax.get_yscale() == "log":
        ax.yaxis.set_minor_formatter(LogFormatter(minor_thresholds=(1, 0.4)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _legend(
    fig: Figure,
    phone: bool,
    lines: list[Line],
    variants: list[str],
    cited: list[dict[str, Any]],
    theme: dict[str, Any],
) -> None:
    """One legend under both panels. Wide, the lines carry their names at their ends, so it
    says only what each kind of mark means (at most four entries); a phone has no room beside
    its plot, so there each line is named, short, its kind of evidence in its name."""
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    labels: list[str] = []

    def entry(label: str, **style: Any) -> None:
        handles.append(Line2D([], [], **style))
        labels.append(label)

    star = {"linestyle": "none", "marker": CITED_MARKER, "markersize": 11}
    star |= {"markerfacecolor": theme["cited"], "markeredgecolor": theme["fg"]}
    model = [s for s in lines if is_model(s)]
    # what the models borrow from other GPUs, said once (the caption and Sources say more)
    lent = {p.what: p for m in model for p in borrowed(m["gpu"], line_uses(m), m["launch"])}
    lent_text = borrowed_text(list(lent.values()))
    if phone:
        for s in lines:
            look = {k: v for k, v in _style(s, variants, theme).items() if k != "capsize"}
            entry(textwrap.fill(_tag(s), 32), **look)  # the phone's width, at 12 points
        for mark in cited:
            entry(textwrap.fill(f"{mark['tag']}, measured elsewhere (cited)", 32), **star)
        if lent_text:
            entry(textwrap.fill(f"model lines {lent_text}", 32), linestyle="none")
    else:
        entry("measured here: solid, circles CPU, squares GPU;\nbars span the rounds",
            color=theme["fg"], marker="o", markersize=4.5, linewidth=1.8)  # fmt: skip
        if model:
            said = "model, not measured: dashed compute only, dotted end to end; thick: calibrated"
            entry(textwrap.fill(f"{said}; {lent_text}" if lent_text else said, 50),
                color=theme["model"], linestyle=MODEL_DASHES["compute"], linewidth=1.5)  # fmt: skip
        if cited:
            entry(chart_notes.CITED_ENTRY, **star)
    if any(p.get("rounds_disagree") for s in lines for p in s["points"]):
        entry(f"red bar: rounds more than {ROUND_DISAGREE_FRACTION:.0%} apart",
            color=theme["flag"], linestyle="none", marker="|", markersize=11)  # fmt: skip
    fig.legend(
        handles, labels, loc="outside lower center", ncols=1 if phone else 2, fontsize=SMALL_FONT
    )
