"""MkDocs hook: every example is in the navigation's Examples section.

Each example missing from the section is appended, titled by its TITLE (read without importing
it), so a new example needs no edit to mkdocs.yml: the file alone puts its page on the site.
"""

from __future__ import annotations

from hook_common import ROOT

from whygpu.contract import examples
from whygpu.contract.names import EXAMPLES_DIR


def on_config(config):
    listed = set()
    section = None
    for item in config["nav"] or []:
        if isinstance(item, dict) and "Examples" in item:
            section = item["Examples"]
    if section is None:
        return config
    for entry in section:
        listed.update(entry.values() if isinstance(entry, dict) else [entry])
    for path in examples.paths(ROOT / EXAMPLES_DIR):
        uri = f"{EXAMPLES_DIR.as_posix()}/{path.name}"
        if uri not in listed:
            section.append({examples.read(path).title: uri})
    return config
