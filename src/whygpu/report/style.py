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
        "bg": "#ffffff",  # the page behind the figure: a note's halo where a line passes under it
        "grid": "#d0d7de",
        "suffix": "",
        "model": "#6e7781",  # models are grey: never mistaken for a measured line
        "cited": "#1f2328",  # measured elsewhere: a star in the text colour, no line's colour
        "flag": "#cf222e",  # the bar of a point whose rounds disagree
        # Okabe-Ito: stays distinct under the common kinds of colour blindness (a test checks)
        "colors": ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"],
    },
    "dark": {
        "fg": "#e6edf3",
        "bg": "#1e2129",  # Material's slate background
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
#: Points; a 9.6-inch figure (922 px) shown 658 px wide in a desktop page's column is drawn at
#: about 0.95 px a point, so SMALL_FONT (labels, legend) stays above 11 px there.
FONT_SIZE = 13
SMALL_FONT = 12


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


#: matplotlib names each clip path and marker by a hash of its coordinates at full precision
#: (`p3c1b4e0b35`, `m8dc87f426b`), although it writes them with six decimals: a last-bit
#: difference in one float, as another CPU's SIMD code path gives, renamed them.
_HASHED_ID = re.compile(r'(?<=id=")[pm][0-9a-f]{10}(?=")')


def _numbered_ids(svg: str) -> str:
    """Each hashed id renamed by its kind and order of first appearance (p0, m1, ...)."""
    names: dict[str, str] = {}
    for found in _HASHED_ID.finditer(svg):
        names.setdefault(found.group(0), f"{found.group(0)[0]}{len(names)}")
    if not names:
        return svg
    use = re.compile(r"(?<=[\"#])(" + "|".join(names) + r")(?=[\")])")
    return use.sub(lambda found: names[found.group(1)], svg)


#: Where an SVG holds positions: path data, x/y/width/height, and a transform's translate()
#: (never its scale(), which sizes the glyphs).
_POSITIONS = re.compile(r'(?<= )(?:d|x|y|width|height)="[^"]*"|translate\([^)]*\)')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _hundredth(found: re.Match[str]) -> str:
    text = f"{float(found.group(0)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rounded_positions(svg: str) -> str:
    """Positions to a hundredth of a point, a fraction of a pixel at any size the site shows:
    matplotlib writes six decimals, and a last-bit difference in the layout's arithmetic
    could move the sixth."""
    return _POSITIONS.sub(lambda found: _LONG_DECIMAL.sub(_hundredth, found.group(0)), svg)


def to_svg(fig: Any) -> str:
    """The figure as SVG text with no timestamp, ids that depend on nothing but the drawing
    order and positions rounded below what a reader can see, closed afterwards."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "whygpu"})
    plt.close(fig)
    return _rounded_positions(_numbered_ids(re.sub(r"[ \t]+\n", "\n", buf.getvalue())))
