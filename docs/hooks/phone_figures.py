"""MkDocs hook: on a phone, a figure shows its stacked layout when it has one.

A two-panel figure is unreadable at 390 px, so the report draws `<name>-phone(-dark).svg`
beside `<name>(-dark).svg` for the wide ones; this hook wraps each such figure in a `<picture>`
whose `<source>` a screen narrower than PHONE_WIDTH takes. PHONE_WIDTH is the site's one phone
breakpoint: docs/stylesheets/site.css's media queries use the same number, and a test fails when
they differ.
"""

from __future__ import annotations

import re

from hook_common import figures_dir

from whygpu.contract.names import FIGURES_IN_DOCS

PHONE_WIDTH = 600  # px: below this, figures with a stacked variant show it

_FIGURES = re.escape(FIGURES_IN_DOCS)
FIGURE = re.compile(
    rf'<img [^>]*?src="(?P<base>[^"]*?{_FIGURES}/(?P<name>[\w-]+?))(?P<dark>-dark)?'
    r'\.svg#only-(?:light|dark)"[^>]*>'
)


def on_page_content(html: str, page, config, files) -> str:
    """Wrap each figure that has a `-phone` variant in a <picture>, so a phone gets the stacked
    layout, legible at 390 px, and a desktop the wide one; light and dark alike."""
    figures = figures_dir(config)

    def wrap(m: re.Match) -> str:
        phone = f"{m['name']}-phone{m['dark'] or ''}.svg"
        if not (figures / phone).exists():
            return m.group(0)
        source = f"{m['base'].rsplit('/', 1)[0]}/{phone}"
        return (
            f'<picture><source media="(max-width: {PHONE_WIDTH}px)" srcset="{source}">'
            f"{m.group(0)}</picture>"
        )

    return FIGURE.sub(wrap, html)
