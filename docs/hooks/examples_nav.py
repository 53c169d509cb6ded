"""MkDocs hook: the Examples section of the navigation, titled by each example's TITLE.

An example's title lives once, in its own file (`TITLE`, read without importing it). mkdocs.yml
lists the example pages in reading order by path alone; this hook titles each from its TITLE and
appends any example the list lacks, so a new example needs no edit to mkdocs.yml. A title
written in mkdocs.yml for an example fails the build, since it would be a second copy to drift.
"""

from __future__ import annotations

from hook_common import ROOT
from mkdocs.exceptions import PluginError

from whygpu.contract import examples
from whygpu.contract.names import EXAMPLES_DIR

SECTION = "Examples"


def on_config(config):
    for item in config["nav"] or []:
        if isinstance(item, dict) and SECTION in item:
            item[SECTION] = titled(item[SECTION])
    return config


def titled(section: list) -> list:
    """The section's entries with every example titled by its TITLE, unlisted examples last."""
    titles = {
        f"{EXAMPLES_DIR.as_posix()}/{path.name}": examples.read(path).title
        for path in examples.paths(ROOT / EXAMPLES_DIR)
    }
    out = []
    for entry in section:
        if isinstance(entry, str) and entry in titles:
            out.append({titles.pop(entry): entry})
            continue
        if isinstance(entry, dict):
            for title, uri in entry.items():
                if uri in titles:
                    raise PluginError(
                        f"mkdocs.yml titles {uri} '{title}': an example's title is its TITLE, "
                        f"'{titles[uri]}'; list the path alone"
                    )
        out.append(entry)
    out += [{title: uri} for uri, title in titles.items()]
    return out
