"""Text for pages and captions: escaping untrusted strings from results, and numbers written
the way a reader says them."""

from __future__ import annotations

import html
import json
import re


def md_escape(text: str) -> str:
    """Escape a results string for Markdown and HTML: strings from results are untrusted."""
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", html.escape(text, quote=True))


def number(value: float) -> str:
    """Three significant figures, thousands separated: 169, 2.31, 36,600, 0.0481."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{float(f'{value:.3g}'):,.0f}"
    return f"{value:.3g}"


def duration(seconds: float) -> str:
    """A time in the unit a reader would use: ns, us (microseconds), ms or s."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{number(seconds / scale)} {unit}"
    return f"{number(seconds / 1e-9)} ns"


#: The sign of a factor or a product in the site's text and figures (issue 25's one number style).
TIMES = "\u00d7"


def ratio(value: float) -> str:
    """A factor as a reader says it, with the multiplication sign: 'about 3×', 'about 100×'."""
    if value >= 10:
        return f"about {number(float(f'{value:.1g}'))}{TIMES}"
    return f"about {value:.1f}{TIMES}".replace(f".0{TIMES}", TIMES)


def folded_caption(notice: str, about: list[str], plain: str = "") -> str:
    """A figure's caption: one line that says what to notice, a line in plain words on what
    the figure's kinds of evidence are (before any term the details use), then the provenance
    folded in an "About this data" block (pymdownx.details), opened when a reader wants it."""
    body = "\n\n".join(f"    {line}" for line in about)
    plain = f"{plain}\n\n" if plain else ""
    return f'**What to notice:** {notice}\n\n{plain}??? info "About this data"\n\n{body}\n'


def json_text(value: object) -> str:
    """JSON for a generated file, every fraction to six significant figures: more than any
    figure or page quotes, and nothing that a last-bit difference in the arithmetic (another
    CPU's SIMD code path) could change, so the file is the same on every machine. Whole numbers
    (FLOPs, bytes, sizes) are counts, exact everywhere, and stay as they are."""
    return json.dumps(_rounded(value), indent=1, sort_keys=True) + "\n"


def _rounded(value: object) -> object:
    if isinstance(value, float) and not value.is_integer():
        return float(f"{value:.6g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value
