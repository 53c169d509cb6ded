"""Which files are results: a path given on the command line, or every file under a folder.

Kept apart from reading because what counts as a results file is a rule of the layout, not of
the format: `results/<machine>/<slug>.json`, and never a hidden file (a run's in-progress state,
`.<slug>.<accelerator>.partial.json`, lives beside the results it will replace).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from whygpu.store.errors import ResultsError


def find(paths: Iterable[Path]) -> list[Path]:
    """Results files named by `paths`: a file as given, a folder as every results file under it.

    Hidden files (a run's in-progress state) are not results. A missing path is an error.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*.json")
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            found.append(path)
        else:
            raise ResultsError(path, "(file)", "does not exist")
    return found


def published(root: Path) -> list[Path]:
    """The results files of a results folder, `<machine>/<slug>.json`, by path; hidden ones (a
    sweep's progress, kept beside the file it will replace) are left out."""
    return sorted(
        p
        for p in Path(root).glob("*/*.json")
        if not p.name.startswith(".") and not p.parent.name.startswith(".")
    )
