"""File locks that keep two benchmark runs from clobbering each other's results (or timings).

One lock per machine and accelerator is held for a whole sweep: two sweeps on the same CPU at
once would disturb each other's timings anyway, so the second one stops with a clear message.
A short lock per results file guards its read-merge-write, so a CPU run and a GPU run finishing
together both land. POSIX only (fcntl); elsewhere the locks are no-ops.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class Busy(RuntimeError):
    """Another process holds the lock."""


@contextlib.contextmanager
def hold(path: Path, *, wait: bool, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created if missing) for the `with` block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise Busy(
                    f"{what}: another whygpu run holds {path}; wait for it to finish "
                    "(two sweeps at once would also disturb each other's timings)"
                ) from None
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(fh, fcntl.LOCK_UN)
