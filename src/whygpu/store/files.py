"""Results files on disk, behind one import: `from whygpu.store import files`.

Layout: `results/<machine>/<slug>.json`, one run per accelerator ("cpu", "gpu") inside. Each
job has its own module, so each can be read on its own: `reading` (bytes to a checked document),
`errors` (ResultsError, and pydantic's errors in the file's own terms), `finding` (which files
are results) and `writing` (canonical text, atomic replacement, merging a run in). The CLI, the
runner, the report and the tests use the names below through this module.
"""

from __future__ import annotations

from whygpu.store.errors import ResultsError
from whygpu.store.finding import find, published
from whygpu.store.reading import MAX_FILE_BYTES, load, load_all, load_any, validate
from whygpu.store.writing import dumps, merge_run, write_atomic

__all__ = [
    "MAX_FILE_BYTES",
    "ResultsError",
    "dumps",
    "find",
    "load",
    "load_all",
    "load_any",
    "merge_run",
    "published",
    "validate",
    "write_atomic",
]
