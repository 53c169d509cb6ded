"""Bring a results file of an older schema version up to the current one, saying what is unknown.

Version 1 files predate rounds, the busy-machine check and the CPU's recorded limits. Upgrading
changes no measurement: each point becomes one round (its median, no spread), and what version 1
never recorded is null (`load`: the machine's load was not sampled; `cpu_limits`: no peak was
measured), which the site shows as such. Version 2 files predate the CPU's identity: its vendor
and, where the folder name carries them, its family and model are filled in; the instruction sets
it had were never read and stay null.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

from whygpu.contract import cpus
from whygpu.contract.names import SCHEMA_VERSION
from whygpu.store import files


class UpgradeError(ValueError):
    pass


def upgrade(doc: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The document at the current schema version, and whether anything changed."""
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if version == SCHEMA_VERSION:
        return doc, False
    if version not in _STEPS:
        known = ", ".join(map(str, sorted(_STEPS)))
        raise UpgradeError(f"schema_version {version!r}: only versions {known} can be upgraded")
    new = copy.deepcopy(doc)
    while new["schema_version"] != SCHEMA_VERSION:
        _STEPS[new["schema_version"]](new)
        new["schema_version"] += 1
    return new, True


def _from_1(doc: dict[str, Any]) -> None:
    """Version 1 had no rounds, load or CPU limits: one round each, the rest unknown."""
    for run in doc.get("runs", []):
        run["rounds"] = 1
        run["load"] = None
        run["cpu_limits"] = None
        for point in run.get("points", []):
            if point.get("status") == "ok":
                point["rounds_s"] = [point["median_s"]]
                point["round_spread"] = 0.0
                point["rounds_disagree"] = False


#: "amd-epyc-f26m2-2c": where the CPU's name has no model number, the harness names its folder
#: with the family and model numbers the CPU reported (whygpu.measure.hardware.cpu_kind).
_FAMILY_MODEL = re.compile(r"-f(\d+)m(\d+)-")
_VENDORS = {"amd": cpus.AMD, "intel": cpus.INTEL}


def _from_2(doc: dict[str, Any]) -> None:
    """Version 2 did not record the CPU's identity. The vendor follows from its name, family
    and model from a folder name that carries them; the instruction sets were not read."""
    numbers = _FAMILY_MODEL.search(str(doc.get("machine", "")))
    family, model = (int(numbers[1]), int(numbers[2])) if numbers else (None, None)
    for run in doc.get("runs", []):
        cpu = run["provenance"]["cpu"]
        vendor = _VENDORS.get(str(cpu.get("model", "")).split(" ")[0].lower())
        cpu.update(
            vendor=vendor,
            family=family,
            model_number=model,
            microarchitecture=cpus.microarchitecture(vendor, family, model),
            isa=None,
        )


_STEPS = {1: _from_1, 2: _from_2}


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
