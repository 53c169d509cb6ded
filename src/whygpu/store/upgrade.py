"""Bring a results file of an older schema version up to the current one, saying what is unknown.

Version 1 files predate rounds, the busy-machine check and the CPU's recorded limits. Upgrading
changes no measurement: each point becomes one round (its median, no spread), and what version 1
never recorded is null (`load`: the machine's load was not sampled; `cpu_limits`: no peak was
measured), which the site shows as such.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

from whygpu.contract.names import SCHEMA_VERSION
from whygpu.store import files


class UpgradeError(ValueError):
    pass


def upgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The document at the current schema version, and whether anything changed."""
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if version == SCHEMA_VERSION:
        return doc, False
    if version != 1:
        raise UpgradeError(f"schema_version {version!r}: only version 1 can be upgraded")
    new = copy.deepcopy(doc)
    new["schema_version"] = SCHEMA_VERSION
    for run in new.get("runs", []):
        run["rounds"] = 1
        run["load"] = None
        run["cpu_limits"] = None
        for point in run.get("points", []):
            if point.get("status") == "ok":
                point["rounds_s"] = [point["median_s"]]
                point["round_spread"] = 0.0
                point["rounds_disagree"] = False
    return new, True


def upgrade_files(paths: list[Path]) -> int:
    """`whygpu upgrade`: rewrite each results file (or every one under a folder) at the current
    version, atomically, and only once it validates; the exit status."""
    bad = 0
    for path in files.find(paths):
        try:
            doc, changed = upgrade(json.loads(path.read_text(encoding="utf-8")))
            files.validate(doc, path)
        except ValueError as exc:  # UpgradeError, ResultsError and bad JSON alike
            print(f"INVALID {path}: {exc}", file=sys.stderr)
            bad += 1
            continue
        if changed:
            files.write_atomic(path, files.dumps(doc))
        print(f"{'upgraded' if changed else 'current '} {path}")
    return 1 if bad else 0
