"""File locks that keep two benchmark runs from clobbering each other's results (or timings).

One lock per machine and accelerator is held for a whole sweep: two sweeps on the same CPU at
once would disturb each other's timings anyway, so the second one stops with a clear message.
A short lock per results file guards its read-merge-write, so a CPU run and a GPU run finishing
together both land. `filelock` makes them work on every OS.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout


class Busy(RuntimeError):
    """Another process holds the lock."""


@contextlib.contextmanager
def hold(path: Path, *, wait: bool, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the `with` block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, timeout=-1 if wait else 0)
    try:
        lock.acquire()
    except Timeout:
        raise Busy(
            f"{what}: another whygpu run holds {path}; wait for it to finish "
            "(two sweeps at once would also disturb each other's timings)"
        ) from None
    try:
        yield
    finally:
        lock.release()
