"""Whether a drawn chart's words collide: a label over another, a label crossed by a plotted
line, or a label past the figure's edge. Measured in matplotlib's own display coordinates after
the layout has settled, the same boxes the SVG is written from, so a test can hold every figure
to it, and a note can pick the place where it collides with nothing."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

#: Pixels a box is shrunk by before testing: a line that grazes a glyph's padding is no crossing.
SLACK = 1.5


def line_segments(fig: Any) -> list[tuple[str, np.ndarray]]:
    """Every plotted line and bar of the axes (not the grid or the spines) as display points."""
    from matplotlib.collections import LineCollection

    found = []
    for ax in fig.axes:
        grid = {id(g) for g in (*ax.get_xgridlines(), *ax.get_ygridlines())}
        for line in ax.get_lines():
            if id(line) in grid or not line.get_visible() or line.get_linestyle() in ("None", ""):
                continue
            path = line.get_transform().transform_path(line.get_path())
            found.append((line.get_label(), path.vertices))
        for coll in ax.collections:
            if isinstance(coll, LineCollection) and coll.get_visible():
                for seg in coll.get_segments():
                    found.append(("bar", coll.get_transform().transform(np.asarray(seg))))
    return found


def _crosses(box: Any, points: np.ndarray) -> bool:
    """Whether the polyline through `points` passes through `box` (shrunk by SLACK)."""
    x0, y0, x1, y1 = box.x0 + SLACK, box.y0 + SLACK, box.x1 - SLACK, box.y1 - SLACK
    if x1 <= x0 or y1 <= y0:
        return False
    for (ax_, ay), (bx, by) in itertools.pairwise(points):
        if not np.isfinite([ax_, ay, bx, by]).all():
            continue
        # clip the segment to the box (Liang-Barsky): any part left inside is a crossing
        t0, t1, dx, dy = 0.0, 1.0, bx - ax_, by - ay
        for p, q in ((-dx, ax_ - x0), (dx, x1 - ax_), (-dy, ay - y0), (dy, y1 - ay)):
            if p == 0:
                if q < 0:
                    break
                continue
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
        else:
            if t0 <= t1:
                return True
    return False


def _texts(fig: Any) -> list[tuple[str, Any, bool]]:
    """Each visible text of the axes: its words, its box, and whether it sits on a halo (a
    background patch the lines pass under)."""
    renderer = fig.canvas.get_renderer()
    return [
        (
            t.get_text().replace("\n", " "),
            t.get_window_extent(renderer),
            t.get_bbox_patch() is not None,
        )
        for ax in fig.axes
        for t in ax.texts
        if t.get_visible() and t.get_text().strip()
    ]


def crossed(fig: Any, text: Any, lines: list[tuple[str, np.ndarray]] | None = None) -> bool:
    """Whether any plotted line passes through `text` as it is drawn now; `lines`, the figure's
    line_segments where the caller tries many spots against lines that do not move."""
    box = text.get_window_extent(fig.canvas.get_renderer())
    return any(_crosses(box, pts) for _, pts in (lines or line_segments(fig)))


def text_collisions(fig: Any) -> list[str]:
    """Each pair of the axes' texts (line names, star names, notes) whose boxes overlap, each
    text a plotted line passes through, and each text that leaves the figure, by its words."""
    fig.canvas.draw()
    boxes = _texts(fig)
    renderer = fig.canvas.get_renderer()
    titles = [
        (t.get_text(), t.get_window_extent(renderer), True) for ax in fig.axes for t in (ax.title,)
    ]
    found = [
        "the legend runs past the figure's edge"
        for legend in fig.legends
        if legend.get_window_extent(renderer).x0 < fig.bbox.x0 - 1
        or legend.get_window_extent(renderer).x1 > fig.bbox.x1 + 1
    ]
    found += [
        f"{text!r} is not drawn: the point it names lies outside the axes"
        for text, box, _ in boxes
        if box.width <= 1 and box.height <= 1
    ]
    found += [
        f"{text!r} runs past the figure's edge"
        for text, box, _ in boxes + titles
        if box.x0 < fig.bbox.x0 - 1 or box.x1 > fig.bbox.x1 + 1
        or box.y0 < fig.bbox.y0 - 1 or box.y1 > fig.bbox.y1 + 1
    ]  # fmt: skip
    found += [
        f"{a!r} overprints {b!r}"
        for (a, box_a, _), (b, box_b, _) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]
    lines = line_segments(fig)
    found += [
        f"a plotted line ({name!r}) crosses {text!r}"
        for text, box, halo in boxes
        for name, pts in lines
        if not halo and _crosses(box, pts)
    ]
    return found
