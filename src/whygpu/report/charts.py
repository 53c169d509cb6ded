"""The chart on every example page: time per call and throughput against size, one line per
machine, accelerator and variant, with bars from the fastest to the slowest round, a ring on
every point whose rounds disagree, and the model lines dashed beside them."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes

from whygpu.contract.thresholds import ROUND_DISAGREE_FRACTION
from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.lines import Line, ModelLine, Series, is_model
from whygpu.report.series import bar_ends, rate_unit, variant_order, work_of
from whygpu.report.style import (
    ACCELERATOR_MARKERS,
    CITED_MARKER,
    FLAG_MARKER,
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


def _mark_text(op: str, size: int, phone: bool) -> str:
    """The note beside a crossover line; shorter where a phone has less room."""
    if phone:
        return f"{op} e2e: n = {size}"
    return f"{op} end to end: GPU faster from n = {size}"


def _label_ends(ax: Axes, ends: list[tuple[float, float, str, str]], log: bool) -> None:
    """Write each line's short name at its end, nudged apart so that no two overlap."""
    if not ends:
        return
    values = [np.log10(y) if log else y for _, y, _, _ in ends]
    low, high = (np.log10(v) if log else v for v in ax.get_ylim())
    gap = 0.07 * (high - low)  # about one line of text on this axis
    order = sorted(range(len(ends)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for k in range(1, len(placed)):  # push up what would overlap the label below it
        placed[k] = max(placed[k], placed[k - 1] + gap)
    top = high - gap / 2
    for k in reversed(range(len(placed))):  # then down, so none leaves the axes
        placed[k] = min(placed[k], top if k == len(placed) - 1 else placed[k + 1] - gap)
    for i, y in zip(order, placed, strict=True):
        x, _, text, color = ends[i]
        ax.annotate(
            text,
            (x, 10**y if log else y),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_FONT,
            color=color,
        )


def _label(s: Line) -> str:
    """The legend's full name of a line: what ran where, or which datasheet."""
    if is_model(s) and s["calibrated"]:
        return (
            f"calibrated model, not measured: {MODEL_GPU.name} datasheet x cited share of peak, "
            f"{s['variant']}"
        )
    if is_model(s):
        return f"model, not measured: {MODEL_GPU.name} datasheet, {s['variant']}"
    run = s["run"]
    where = run["device_name"]
    if run["accelerator"] == "cpu":
        where += f", {run['settings']['num_threads']} threads"
    return f"{run['accelerator'].upper()} {s['variant']}: {where} ({s['doc']['machine']})"


def _tag(s: Line) -> str:
    """The short name written at the end of a line, so it reads without the legend."""
    if is_model(s):
        return f"{'calibrated ' if s['calibrated'] else ''}model {s['key']}"
    return f"{s['run']['accelerator'].upper()} {s['variant']}"


def _style(s: Line, variants: list[str], theme: dict[str, Any]) -> dict[str, Any]:
    """Measured: solid, coloured by variant, a marker per accelerator. Model: grey, dashed."""
    if is_model(s):
        return {
            "color": theme["model"],
            "linestyle": MODEL_DASHES["e2e" if s["crosses_pcie"] else "compute"],
            "linewidth": 1.5,
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


def _ring(ax: Axes, x: ArrayLike, y: ArrayLike, theme: dict[str, Any]) -> None:
    """Circle points whose rounds disagree, labelled once per panel for the legend."""
    label = f"rounds disagree by more than {ROUND_DISAGREE_FRACTION:.0%}"
    seen = label in ax.get_legend_handles_labels()[1]
    ax.plot(
        x,
        y,
        linestyle="none",
        marker=FLAG_MARKER,
        markersize=13,
        markerfacecolor="none",
        markeredgecolor=theme["flag"],
        markeredgewidth=1.6,
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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogFormatter, NullLocator

    rc = rc_params(theme, "whygpu")
    doc = series[0]["doc"]
    rate_label, rate_div = rate_unit(doc)
    variants = variant_order(series)
    log_rate = doc["metric"] == "bytes" or bool(models)
    with plt.rc_context(rc):
        phone = layout == "phone"
        rows, cols, size = (2, 1, (4.6, 11.0)) if phone else (1, 2, (9.6, 5.8))
        fig, (ax_time, ax_rate) = plt.subplots(rows, cols, figsize=size, layout="constrained")
        ends: list[tuple[float, float, str, str]] = []
        lines: list[Line] = [*series, *models]
        for s in lines:
            sizes = np.array([p["size"] for p in s["points"]], dtype=float)
            med = np.array([p["median_s"] for p in s["points"]])
            work = np.array([work_of(doc, p) for p in s["points"]]) / rate_div
            rate = work / med
            style = {**_style(s, variants, theme), "label": _label(s)}
            if is_model(s):  # one value per size: no error bars
                ax_time.plot(sizes, med * 1e3, **style)
                ax_rate.plot(sizes, rate, **style)
            else:
                q = np.array([bar_ends(p) for p in s["points"]])
                ax_time.errorbar(
                    sizes, med * 1e3, yerr=[(med - q[:, 0]) * 1e3, (q[:, 1] - med) * 1e3], **style
                )
                ax_rate.errorbar(
                    sizes, rate, yerr=[rate - work / q[:, 1], work / q[:, 0] - rate], **style
                )
                flagged = [i for i, p in enumerate(s["points"]) if p["rounds_disagree"]]
                if flagged:
                    _ring(ax_time, sizes[flagged], med[flagged] * 1e3, theme)
                    _ring(ax_rate, sizes[flagged], rate[flagged], theme)
            ends.append((sizes[-1], rate[-1], _tag(s), style["color"]))
        for mark in cited:  # their own marks, never a line of ours
            ax = ax_rate if mark["panel"] == "rate" else ax_time
            ax.plot(
                [mark["size"]],
                [mark["value"]],
                linestyle="none",
                marker=CITED_MARKER,
                markersize=12,
                markerfacecolor=theme["cited"],  # no line's colour
                markeredgecolor=theme["fg"],
                markeredgewidth=0.6,
                label=mark["label"],
                zorder=5,
            )
            first = mark["size"] <= min(p["size"] for p in series[0]["points"])
            ax.annotate(  # beside its star: to the right at the axis' left end, else to the left
                mark["tag"],
                (mark["size"], mark["value"]),
                xytext=(9 if first else -9, 0),
                textcoords="offset points",
                ha="left" if first else "right",
                va="center",
                fontsize=SMALL_FONT,
                color=theme["fg"],
            )
        size_label = doc["size_label"]
        ax_time.set(
            xscale="log",
            yscale="log",
            xlabel=size_label,
            ylabel="time per call (ms)",
            title="Time per call (lower is better)",
        )
        ax_rate.set(
            xscale="log",
            yscale="log" if log_rate else "linear",
            xlabel=size_label,
            ylabel=rate_label,
            title="Throughput (higher is better)",
        )
        if not log_rate:
            ax_rate.set_ylim(bottom=0)
        low, high = (
            min(p["size"] for p in series[0]["points"]),
            max(p["size"] for s in series for p in s["points"]),
        )
        ax_rate.set_xlim(low / 1.4, high * (high / low) ** 0.3)  # room for the labels at the end
        _label_ends(ax_rate, ends, log_rate)
        for i, (at, op) in enumerate(marks):
            for ax in (ax_time, ax_rate):
                ax.axvline(at, color=theme["fg"], linewidth=0.9, linestyle=(0, (2, 2)))
            left, right_end = ax_rate.get_xlim()
            right = np.log(at / left) / np.log(right_end / left) > 0.55  # write to the left
            ax_rate.annotate(
                _mark_text(op, at, phone),
                (at, 0.03 + 0.09 * i),
                xycoords=("data", "axes fraction"),
                xytext=(-4 if right else 4, 0),
                ha="right" if right else "left",
                textcoords="offset points",
                fontsize=SMALL_FONT,
                color=theme["fg"],
            )
        for ax in (ax_time, ax_rate):
            ax.grid(True, which="major", linewidth=0.6)
            ax.set_facecolor("none")
            ax.set_xticks(*size_ticks(series, 3 if phone else 6))
            ax.xaxis.set_minor_locator(NullLocator())
            if ax.get_yscale() == "log":  # plain numbers (60, 100 000), not 6x10^1
                ax.yaxis.set_major_formatter(FuncFormatter(plain))
                ax.yaxis.set_minor_formatter(LogFormatter(minor_thresholds=(1, 0.4)))
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
        handles, labels = ax_rate.get_legend_handles_labels()
        for handle, label in zip(*ax_time.get_legend_handles_labels(), strict=True):
            if label not in labels:  # cited marks on the time panel
                handles.append(handle)
                labels.append(label)
        if phone:  # the legend may be no wider than the figure
            labels = ["\n".join(textwrap.wrap(label, 40)) for label in labels]
        fig.legend(handles, labels, loc="outside lower center", ncols=1, fontsize=SMALL_FONT)
        fig.patch.set_alpha(0)
        return to_svg(fig)
