"""Whether a drawn chart's words collide: a label over another, or a label past the figure's
edge. Measured in matplotlib's own display coordinates after the layout has settled, the same
boxes the SVG is written from, so a test can hold every figure to it."""

from __future__ import annotations

import itertools
from typing import Any


def text_collisions(fig: Any) -> list[str]:
    """Each pair of the axes' texts (line names, star names, notes) whose boxes overlap, and
    each such text that leaves the figure, by its words."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for ax in fig.axes
        for t in ax.texts
        if t.get_visible() and t.get_text().strip()
    ]
    found = [
        f"{text!r} runs past the figure's edge"
        for text, box in boxes
        if box.x0 < fig.bbox.x0 - 1 or box.x1 > fig.bbox.x1 + 1
        or box.y0 < fig.bbox.y0 - 1 or box.y1 > fig.bbox.y1 + 1
    ]  # fmt: skip
    found += [
        f"{a!r} overprints {b!r}"
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]
    return found
