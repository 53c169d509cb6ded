"""`whygpu validate`: every results file found under the paths given, checked, one line each.

Each file gets the schema, its relations and what cannot be true (whygpu.store.reading); where
the examples can be imported (they need torch), each point's FLOPs and bytes are also held to
its example's `work()`. The figures need none of this to draw, so a machine without torch still
validates, and says what it left out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from whygpu.contract import examples
from whygpu.contract.work import Work
from whygpu.store import files, plausible

Works = dict[str, tuple[int, Callable[[int, str], Work]]]


def validate_paths(paths: list[Path], examples_dir: Path | None) -> int:
    """Print `ok` or `INVALID` (naming the field) for each file; the exit status."""
    known = [p.stem for p in examples.paths(examples_dir)] if examples_dir else None
    works = _works(examples_dir) if examples_dir else {}
    bad = 0
    found: list[Path] = []
    for given in paths:
        try:
            found += files.find([given])
        except files.ResultsError as exc:
            print(f"INVALID {exc}", file=sys.stderr)
            bad += 1
    if not found and not bad:
        where = ", ".join(map(str, paths))
        print(f"validate: no results files found under {where}", file=sys.stderr)
        return 1
    for path in found:
        try:
            doc = files.load_any(path, known)
            version, work = works.get(str(doc.get("example")), (None, None))
            if work is not None and doc.get("benchmark_version") == version:
                plausible.check_work(doc, path, work)
        except files.ResultsError as exc:
            print(f"INVALID {exc}", file=sys.stderr)
            bad += 1
        else:
            print(f"ok      {path}")
    return 1 if bad else 0


def _works(folder: Path) -> Works:
    """Each example's BENCHMARK_VERSION and work(); none, saying so, where the examples cannot
    be imported."""
    try:
        found = examples.discover(folder)
    except ImportError as exc:
        why = f"importing {folder} needs {exc.name or exc} (the figures need only the results)"
    except Exception as exc:  # an example that fails to import: the results are still checked
        why = f"an example in {folder} does not import: {exc}"
    else:
        return {e.slug: (e.benchmark_version, e.work) for e in found}
    note = "note: FLOPs and bytes not checked against each example's work()"
    print(f"{note}: {why}", file=sys.stderr)
    return {}
