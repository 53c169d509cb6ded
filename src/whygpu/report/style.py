"""How every chart looks: the light and dark themes, markers and dash patterns, matplotlib
settings, and the deterministic SVG save (fixed ids, no timestamp) that lets a test tell when a
committed figure is stale."""

from __future__ import annotations

import io
import re
from typing import Any

THEMES = {
    "light": {
        "fg": "#1f2328",
        "grid": "#d0d7de",
        "suffix": "",
        "model": "#6e7781",  # models are grey: never mistaken for a measured line
        "cited": "#1f2328",  # measured elsewhere: a star in the text colour, no line's colour
        "flag": "#cf222e",  # a ring around a point whose rounds disagree
        # Okabe-Ito: stays distinct under the common kinds of colour blindness (a test checks)
        "colors": ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"],
    },
    "dark": {
        "fg": "#e6edf3",
        "grid": "#3d444d",
        "suffix": "-dark",
        "model": "#9198a1",
        "cited": "#e6edf3",
        "flag": "#ff7b72",
        "colors": ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#d55e00"],
    },
}


#: Measured lines: the marker tells CPU from GPU, the colour the variant.
ACCELERATOR_MARKERS = {"cpu": "o", "gpu": "s"}
#: Model lines: grey, no markers; compute-only dashed, end to end (across PCIe) dotted.
MODEL_DASHES = {"compute": (0, (5, 3)), "e2e": (0, (1, 2))}
#: Measurements published elsewhere (cited), drawn as marks of their own, never as a line.
CITED_MARKER = "*"
#: A point whose rounds disagree (by more than 10%) gets a ring: its value depends on when.
FLAG_MARKER = "o"
#: Points; a 9.6-inch figure shown about 690 px wide on a desktop page is drawn at 0.75 px a
#: point, so SMALL_FONT (labels, legend) stays at least 11 px there.
FONT_SIZE = 13
SMALL_FONT = 11


def rc_params(theme: dict[str, Any], salt: str) -> dict[Any, Any]:
    """Matplotlib settings for one theme; a fixed hash salt keeps SVG ids deterministic."""
    return {
        "svg.hashsalt": salt,
        "svg.fonttype": "path",
        "font.size": FONT_SIZE,
        "text.color": theme["fg"],
        "axes.labelcolor": theme["fg"],
        "axes.edgecolor": theme["fg"],
        "xtick.color": theme["fg"],
        "ytick.color": theme["fg"],
        "grid.color": theme["grid"],
        "legend.frameon": False,
    }


def to_svg(fig: Any) -> str:
    """The figure as SVG text with no timestamp, closed afterwards."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "whygpu"})
    plt.close(fig)
    return re.sub(r"[ \t]+\n", "\n", buf.getvalue())
