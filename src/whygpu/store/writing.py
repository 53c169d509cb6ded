"""Writing results: one canonical text, replaced whole, one run per accelerator in a file.

A results file is only ever replaced all at once (write a temporary file beside it, fsync,
rename), so an interrupted run or a full disk leaves the previous file intact, and a reader sees
the old file or the new, never half of one. The text is canonical (sorted keys, one indent) so
that a rerun's diff shows only what changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from whygpu.contract.names import ACCELERATORS, SCHEMA_VERSION
from whygpu.store.types import ResultsDoc


def dumps(data: dict[str, Any]) -> str:
    """The canonical text of a results file: stable key order, so diffs stay readable."""
    return json.dumps(data, indent=1, sort_keys=True, allow_nan=False) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` all at once: readers see the old file or the new, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; results and figures are meant to be shared
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def merge_run(
    existing: ResultsDoc | None, header: Mapping[str, Any], run: Mapping[str, Any]
) -> dict[str, Any]:
    """The document that results from putting `run` into `existing` (replacing its accelerator).

    `header` and `run` are built by the runner and checked once merged (files.validate)."""
    runs: list[Mapping[str, Any]] = [
        r for r in (existing["runs"] if existing else []) if r["accelerator"] != run["accelerator"]
    ]
    runs.append(run)
    runs.sort(key=lambda r: ACCELERATORS.index(r["accelerator"]))
    return {"schema_version": SCHEMA_VERSION, **header, "runs": runs}
