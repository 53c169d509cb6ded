"""What an example chart writes on itself besides its lines (whygpu.report.charts): each line's
short name at its end, the measurements cited from elsewhere as stars with their GPU's name,
and the sizes from which the GPU wins end to end, as vertical lines with a note."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes

from whygpu.report.style import CITED_MARKER, SMALL_FONT

#: Where a line ends on the throughput panel (size, value), its short name, and its colour.
End = tuple[float, float, str, str]


def label_ends(ax: Axes, ends: list[End], log: bool) -> None:
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


def cited_marks(
    ax_time: Axes,
    ax_rate: Axes,
    cited: list[dict[str, Any]],
    smallest: int,
    theme: dict[str, Any],
) -> None:
    """Measurements published elsewhere: a star each on its panel, never a line of ours, named
    beside it (to the right where it sits at the smallest size, else to the left)."""
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
        first = mark["size"] <= smallest
        ax.annotate(
            mark["tag"],
            (mark["size"], mark["value"]),
            xytext=(9 if first else -9, 0),
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
