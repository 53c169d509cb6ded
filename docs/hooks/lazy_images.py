"""MkDocs hook: every image on every page loads lazily.

The figures are SVGs of tens of kilobytes each and a concept page holds several, most of them
below the first screen; `loading="lazy"` lets a phone fetch only what the reader scrolls to. An
image that already says how to load keeps its own choice.
"""

from __future__ import annotations

import re

EAGER = re.compile(r"<img (?![^>]*\bloading=)")


def on_page_content(html: str, page, config, files) -> str:
    return EAGER.sub('<img loading="lazy" ', html)
