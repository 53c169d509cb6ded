"""What an example chart writes on itself besides its lines (whygpu.report.charts): each line's
short name at its end, the measurements cited from elsewhere as stars with their GPU's name,
and the sizes from which the GPU wins end to end, as vertical lines with a note."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # matplotlib is imported where a chart is drawn, not at import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from whygpu.report.collisions import crossed, line_segments
from whygpu.report.style import CITED_MARKER, SMALL_FONT

#: Stars closer than this in log10 of their value get their names stacked a line apart.
NEAR_DECADES = 0.15
#: The legend's entry for the cited stars, which names those whose names found no room.
CITED_ENTRY = "measured elsewhere (cited)"
#: The notes drawn so far, each with the spots it may take (offset in points, alignment), for
#: untangle to choose from once the layout has settled; a chart empties it when it starts.
PLACES: list[tuple[Any, list[tuple[tuple[float, float], str]], str]] = []
#: Where a line ends on the throughput panel (size, value), its short name, and its colour.
End = tuple[float, float, str, str]


#: A line's name wraps at this many characters, so the names' column stays narrow.
NAME_WIDTH = 24


def wrapped(name: str) -> str:
    """A line's name as the figure writes it: on two lines where it is long."""
    return "\n".join(textwrap.wrap(name, NAME_WIDTH))


def names_width(names: list[str]) -> float:
    """Inches the names' column needs beside the plot (DejaVu Sans: about 0.6 em a character)."""
    longest = max((len(line) for n in names for line in wrapped(n).split("\n")), default=0)
    return longest * 0.6 * SMALL_FONT / 72 + 0.15


def label_ends(ax: Axes, ends: list[End], log: bool) -> None:
    """Write each line's name in a column just right of the plot, at the height where the line
    ends, nudged apart so that no two overlap. The figure's layout leaves that column free
    (charts sets its rect from names_width), so no name crosses a line or leaves the figure."""
    if not ends:
        return
    fig = _figure(ax)
    fig.draw_without_rendering()  # settle the layout: the gap is a line of text on the axes
    values = [np.log10(y) if log else y for _, y, _, _ in ends]
    low, high = (np.log10(v) if log else v for v in ax.get_ylim())
    texts = [wrapped(text) for _, _, text, _ in ends]
    lines = max(t.count("\n") + 1 for t in texts)
    line_px = (0.3 + 1.25 * lines) * SMALL_FONT * fig.dpi / 72
    gap = (high - low) * line_px / ax.get_window_extent().height
    order = sorted(range(len(ends)), key=lambda i: values[i])
    placed = [values[i] for i in order]
    for k in range(1, len(placed)):  # push up what would overlap the label below it
        placed[k] = max(placed[k], placed[k - 1] + gap)
    top = high - gap / 2
    for k in reversed(range(len(placed))):  # then down, so none leaves the axes
        placed[k] = min(placed[k], top if k == len(placed) - 1 else placed[k + 1] - gap)
    for i, y in zip(order, placed, strict=True):
        _, _, _, color = ends[i]
        ax.annotate(
            texts[i],
            (1.0, 10**y if log else y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=SMALL_FONT,
            color=color,
            annotation_clip=False,
            in_layout=False,
        )


def _figure(ax: Axes) -> Figure:
    """The figure an example chart's axes sit on (never a subfigure: charts draw none)."""
    fig = ax.get_figure(root=True)
    assert fig is not None
    return fig  # root=True gives the Figure itself, never a SubFigure


def cited_marks(
    ax_time: Axes,
    ax_rate: Axes,
    cited: list[dict[str, Any]],
    smallest: int,
    theme: dict[str, Any],
    column: bool = False,
) -> None:
    """Measurements published elsewhere: a star each on its panel, never a line of ours, named
    beside it (to the right where it sits at the smallest size, else to the left). Names of
    stars at nearly one height (within NEAR_DECADES) are stacked a line apart, in points, so
    no two overprint whatever the layout does to the axes. With a names `column` beside the
    throughput panel, the stars there are named in it (label_ends), at their height."""
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
        if column and mark["panel"] == "rate":
            continue  # named in the column, with the lines
        height = float(np.log10(mark["value"]))
        below = sum(p == mark["panel"] and abs(h - height) < NEAR_DECADES for p, h in placed)
        placed.append((mark["panel"], height))
        first = mark["size"] <= smallest
        side = 1 if first else -1
        stack = -1.3 * SMALL_FONT * below
        name = ax.annotate(
            mark["tag"],
            (mark["size"], mark["value"]),
            xytext=(9 * side, stack),
            textcoords="offset points",
            ha="left" if first else "right",
            va="center",
            fontsize=SMALL_FONT,
            color=theme["fg"],
            in_layout=False,
            # a leader from the name to its star: hidden in the gap beside it, shown further out
            arrowprops={
                "arrowstyle": "-",
                "color": theme["fg"],
                "lw": 0.6,
                "shrinkA": 2,
                "shrinkB": 7,
            },
        )
        # beside the star, then above or below it, then on its other side
        spots = [(9 * side, stack)]
        spots += [(6 * side, stack + dy) for dy in (12, -12, 24, -24, 36, -36)]
        spots += [(-9 * side, stack)]
        spots += [(-6 * side, stack + dy) for dy in (12, -12, 24, -24)]
        # further out, where the leader line shows which star it names
        spots += [(dx * side, dy) for dx in (30, 50) for dy in (40, -40, 60, -60, 80, -80)]
        PLACES.append((name, [(xy, "left" if xy[0] > 0 else "right") for xy in spots], "star"))


def crossings(
    ax_time: Axes,
    ax_rate: Axes,
    marks: list[tuple[int, str]],
    theme: dict[str, Any],
    phone: bool,
) -> None:
    """A dotted vertical line on both panels at each (size, workload) from which the GPU wins
    end to end, and one note naming them all on the time panel, whose upper left is empty
    (times grow with size), where no line passes (untangle chooses the spot)."""
    if not marks:
        return
    for at, _ in marks:
        for ax in (ax_time, ax_rate):
            ax.axvline(at, color=theme["fg"], linewidth=0.9, linestyle=(0, (2, 2)))
    lines = ["dotted: the GPU is faster", "end to end from"]
    lines += [f"n = {at:,} ({op})" for at, op in sorted(marks)]
    note = ax_time.annotate(
        "\n".join(lines),
        (0.0, 1.0),
        xycoords="axes fraction",
        xytext=(6, -4),
        ha="left",
        va="top",
        textcoords="offset points",
        fontsize=SMALL_FONT,
        color=theme["fg"],
        in_layout=False,
    )
    box = ax_time.get_window_extent()
    pt = 72 / _figure(ax_time).dpi  # points a pixel
    across = [6 + box.width * pt * k / 12 for k in range(8)]  # left to right, then down
    spots = [(dx, -4 - box.height * pt * k / 12) for k in range(8) for dx in across]
    PLACES.append((note, [(xy, "left") for xy in spots], "note"))


def untangle(fig: Figure, theme: dict[str, Any]) -> None:
    """Move each note to its first spot that no plotted line crosses and no other text covers,
    inside its panel. A star's name with no such spot moves into the legend's cited entry (a
    halo there would hide the data under it); a crossover note stays where it was first put,
    on a halo of the page's colour, so the lines pass under its words, not through them."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg's canvas has one
    unplaced: list[str] = []
    lines = line_segments(fig)  # the notes move; the lines do not
    for note, spots, kind in PLACES:
        others = [
            t.get_window_extent(renderer)
            for ax in fig.axes
            for t in ax.texts
            if t is not note and t.get_text().strip()
        ]
        first = (note.xyann, note.get_ha())
        for xy, ha in spots:
            note.xyann = xy
            note.set_ha(ha)
            box = note.get_window_extent(renderer)
            area = note.axes.get_window_extent(renderer)  # a note stays on its own panel
            inside = (
                area.x0 <= box.x0 and box.x1 <= area.x1 and area.y0 <= box.y0 <= box.y1 <= area.y1
            )
            if (
                inside
                and not crossed(fig, note, lines)
                and not any(box.overlaps(o) for o in others)
            ):
                break
        else:
            note.xyann, _ = first
            note.set_ha(first[1])
            if kind == "star":
                note.set_visible(False)
                unplaced.append(note.get_text())
            else:
                note.set_bbox({"boxstyle": "square,pad=0.15", "fc": theme["bg"], "ec": "none"})
    PLACES.clear()
    for legend in fig.legends if unplaced else ():
        for text in legend.get_texts():
            if text.get_text() == CITED_ENTRY:
                text.set_text(f"{CITED_ENTRY}:\n{', '.join(unplaced)}")
