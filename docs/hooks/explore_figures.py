"""MkDocs hook: a place for the interactive figure under every figure that has its data.

The report writes `<name>.explore.json` beside an example's static SVG; this hook puts an empty
`<div class="xp">` after the paragraph that holds the figure, naming that JSON. The page's
script (docs/javascripts/explore.js) turns it into an "Explore" button; without JavaScript the
div stays empty and the static figure is the whole story.
"""

from __future__ import annotations

import re

from hook_common import figures_dir

from whygpu.contract.names import FIGURES_IN_DOCS

_FIGURES = re.escape(FIGURES_IN_DOCS)
# the dark variant comes second: the place goes after the paragraph that holds it
DARK = re.compile(
    rf'<img [^>]*?src="(?P<base>[^"]*?{_FIGURES})/(?P<name>[\w-]+?)-dark\.svg#only-dark"[^>]*>'
)


def on_page_content(html: str, page, config, files) -> str:
    figures = figures_dir(config)
    out, at = [], 0
    for m in DARK.finditer(html):
        if not (figures / f"{m['name']}.explore.json").exists():
            continue
        end = html.find("</p>", m.end())
        if end < 0:
            continue
        end += len("</p>")
        out += [
            html[at:end],
            f'<div class="xp" data-figure="{m["name"]}" '
            f'data-explore="{m["base"]}/{m["name"]}.explore.json"></div>',
        ]
        at = end
    return "".join(out) + html[at:]
