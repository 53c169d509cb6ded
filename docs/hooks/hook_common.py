"""What the site's hooks share: where the repository is, which pages are examples, and where
the generated figures sit. Not a hook itself (mkdocs.yml does not list it); each hook imports it
at load time, when MkDocs puts this folder on the import path."""

from __future__ import annotations

from pathlib import Path

from whygpu.contract.names import FIGURES_IN_DOCS

ROOT = Path(__file__).resolve().parents[2]


def is_example(page) -> bool:
    """An example page: one of `examples/*.py`, rendered as a notebook by mkdocs-jupyter."""
    src = page.file.src_uri
    return src.startswith("examples/") and src.endswith(".py")


def figures_dir(config) -> Path:
    """The generated figures, captions and CSVs, as the docs hold them."""
    return Path(config["docs_dir"]) / FIGURES_IN_DOCS
