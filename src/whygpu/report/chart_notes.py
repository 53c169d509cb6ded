"""What an example chart writes on itself besides its lines (whygpu.report.charts): each line's
short name at its end, the measurements cited from elsewhere as stars with their GPU's name,
and the sizes from which the GPU wins end to end, as vertical lines with a note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from whygpu.report.style import CITED_MARKER, SMALL_FONT

#: Stars closer than this in log10 of their value get their names stacked a line apart.
NEAR_DECADES = 0.15
#: Where a line ends on the throughput panel (size, value), its short name, and its colour.
End = tuple[float, float, str, str]


def label_ends(ax: Axes, ends: list[End], log: bool) -> None:
    """Write each line's short name at its end, nudged apart so that no two overlap, and widen
    the axis to the right where a name would run past the figure's edge."""
    if not ends:
        return
    fig = _figure(ax)
    fig.draw_without_rendering()  # settle the layout: the gap is a line of text on the axes
    values = [np.log10(y) if log else y for _, y, _, _ in ends]
    low, high = (np.log10(v) if log else v for v in ax.get_ylim())
    line_px = 1.6 * SMALL_FONT * fig.dpi / 72
    gap = (high - low) * line_px / ax.get_window_extent().height
    order = sorted(range(len(ends)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for k in range(1, len(placed)):  # push up what would overlap the label below it
        placed[k] = max(placed[k], placed[k - 1] + gap)
    top = high - gap / 2
    for k in reversed(range(len(placed))):  # then down, so none leaves the axes
        placed[k] = min(placed[k], top if k == len(placed) - 1 else placed[k + 1] - gap)
    names = []
    for i, y in zip(order, placed, strict=True):
        x, _, text, color = ends[i]
        names.append(
            ax.annotate(
                text,
                (x, 10**y if log else y),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=SMALL_FONT,
                color=color,
            )
        )
    _keep_inside(ax, names)


def _figure(ax: Axes) -> Figure:
    """The figure an example chart's axes sit on (never a subfigure: charts draw none)."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    return fig  # root=True gives the Figure itself, never a SubFigure


def _keep_inside(ax: Axes, names: list[Any]) -> None:
    """Widen a log x axis to the right by what the longest name runs past the figure's edge."""
    fig = _figure(ax)
    # label_ends settled the layout already: the names' boxes are read, not laid out again
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg's canvas has one
    over = max(n.get_window_extent(renderer).x1 for n in names) - fig.bbox.x1
    if over <= 0 or ax.get_xscale() != "log":
        return
    left, right = np.log10(ax.get_xlim())
    width = ax.get_window_extent().width
    ax.set_xlim(10**left, 10 ** (right + (right - left) * 1.15 * over / max(width - over, 1.0)))


def cited_marks(
    ax_time: Axes,
    ax_rate: Axes,
    cited: list[dict[str, Any]],
    smallest: int,
    theme: dict[str, Any],
) -> None:
    """Measurements published elsewhere: a star each on its panel, never a line of ours, named
    beside it (to the right where it sits at the smallest size, else to the left). Names of
    stars at nearly one height (within NEAR_DECADES) are stacked a line apart, in points, so
    no two overprint whatever the layout does to the axes."""
    placed: list[tuple[str, float]] = []  # (panel, log10 value) of the names written so far
    for mark in cited:
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
        height = float(np.log10(mark["value"]))
        below = sum(p == mark["panel"] and abs(h - height) < NEAR_DECADES for p, h in placed)
        placed.append((mark["panel"], height))
        first = mark["size"] <= smallest
        ax.annotate(
            mark["tag"],
            (mark["size"], mark["value"]),
            xytext=(9 if first else -9, -1.3 * SMALL_FONT * below),
            textcoords="offset points",
            ha="left" if first else "right",
            va="center",
            fontsize=SMALL_FONT,
            color=theme["fg"],
        )


def crossings(
    ax_time: Axes,
    ax_rate: Axes,
    marks: list[tuple[int, str]],
    theme: dict[str, Any],
    phone: bool,
) -> None:
    """A dotted vertical line on both panels at each (size, workload) from which the GPU wins
    end to end, and a note on the throughput panel, stacked from the bottom."""
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


def _mark_text(op: str, size: int, phone: bool) -> str:
    """The note beside a crossover line; shorter where a phone has less room."""
    if phone:
        return f"{op} e2e: n = {size}"
    return f"{op} end to end: GPU faster from n = {size}"
