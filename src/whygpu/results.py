"""Results files: their schema, a validator with messages that name the file and field, atomic I/O.

Layout: `results/<machine>/<slug>.json`, one run per accelerator ("cpu", "gpu") inside.
A file is only ever replaced whole (write to a temporary file, fsync, rename), so an interrupted
run leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 8 * 1024 * 1024
ACCELERATORS = ("cpu", "gpu")
METRICS = ("flops", "bytes", "items")
POINT_STATUSES = ("ok", "skipped")
SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_MARKUP = re.compile(r"[<>]|javascript:", re.IGNORECASE)


class ResultsError(ValueError):
    """A results file is malformed. The message starts with the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{path}: {field}: {problem}")


# --- reading and checking ---------------------------------------------------------------------


def load(
    path: Path, known_examples: Iterable[str] | None = None, *, check_name: bool = True
) -> dict[str, Any]:
    """Read and validate one results file; raise ResultsError naming the field at fault.

    `check_name` requires the file to be called `<example>.json` (off for in-progress files).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ResultsError(path, "(file)", f"cannot be read: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise ResultsError(path, "(file)", f"is {size} bytes, over the {MAX_FILE_BYTES} limit")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ResultsError(path, "(file)", f"is not UTF-8 (byte {exc.start})") from exc
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except _NonFinite as exc:
        raise ResultsError(
            path, "(file)", f"contains {exc.args[0]}, which JSON does not allow"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ResultsError(
            path, "(file)", f"is not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from exc
    validate(data, path if check_name else str(path), known_examples)
    return data


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


def validate(
    data: Any, path: Path | str = "<results>", known_examples: Iterable[str] | None = None
) -> None:
    """Check a parsed results document against schema version 1."""
    v = _Checker(path)
    v.mapping(data, "(root)")
    version = v.field(data, "schema_version", int)
    if version != SCHEMA_VERSION:
        raise ResultsError(
            path,
            "schema_version",
            f"unknown version {version!r} (this whygpu reads {SCHEMA_VERSION})",
        )
    example = v.name(data, "example")
    if known_examples is not None and example not in set(known_examples):
        raise ResultsError(path, "example", f"unknown example {example!r}")
    if isinstance(path, Path) and path.stem != example:
        raise ResultsError(path, "example", f"{example!r} does not match the file name")
    v.name(data, "machine")
    v.positive_int(data, "benchmark_version")
    v.text(data, "title")
    v.text(data, "size_label")
    metric = v.field(data, "metric", str)
    if metric not in METRICS:
        raise ResultsError(path, "metric", f"must be one of {METRICS}, got {metric[:40]!r}")
    if metric == "items" and not v.text(data, "item_unit"):
        raise ResultsError(path, "item_unit", "must name the items when metric is 'items'")
    runs = v.field(data, "runs", list)
    if not runs:
        raise ResultsError(path, "runs", "is empty")
    seen_acc = set()
    for i, run in enumerate(runs):
        where = f"runs[{i}]"
        v.mapping(run, where)
        acc = v.field(run, "accelerator", str, where)
        if acc not in ACCELERATORS:
            raise ResultsError(path, f"{where}.accelerator", f"must be one of {ACCELERATORS}")
        if acc in seen_acc:
            raise ResultsError(path, f"{where}.accelerator", f"duplicate run for {acc!r}")
        seen_acc.add(acc)
        v.text(run, "device", where)
        v.text(run, "device_name", where)
        v.field(run, "profile", str, where)
        prov = v.field(run, "provenance", dict, where)
        v.text(prov, "date_utc", f"{where}.provenance")
        v.text(prov, "torch", f"{where}.provenance")
        v.strings_are_plain(prov, f"{where}.provenance")
        settings = v.field(run, "settings", dict, where)
        v.positive_int(settings, "num_threads", f"{where}.settings")
        v.strings_are_plain(settings, f"{where}.settings")
        points = v.field(run, "points", list, where)
        seen = set()
        for j, point in enumerate(points):
            pw = f"{where}.points[{j}]"
            v.mapping(point, pw)
            variant = v.name(point, "variant", pw)
            size = v.positive_int(point, "size", pw)
            if (variant, size) in seen:
                raise ResultsError(
                    path, f"{pw}.size", f"duplicate point for variant {variant!r} size {size}"
                )
            seen.add((variant, size))
            status = v.field(point, "status", str, pw)
            if status not in POINT_STATUSES:
                raise ResultsError(path, f"{pw}.status", f"must be one of {POINT_STATUSES}")
            v.strings_are_plain(point, pw)
            if status == "skipped":
                v.text(point, "reason", pw)
                continue
            v.number(point, "flops", pw, allow_zero=True)
            v.number(point, "bytes_moved", pw, allow_zero=True)
            v.number(point, "items", pw, allow_zero=True)
            median = v.number(point, "median_s", pw)
            v.number(point, "iqr_s", pw, allow_zero=True)
            samples = v.field(point, "samples_s", list, pw)
            if not samples:
                raise ResultsError(path, f"{pw}.samples_s", "is empty")
            for k, _ in enumerate(samples):
                v.number(samples, k, f"{pw}.samples_s")
            if not min(samples) <= median <= max(samples):
                raise ResultsError(path, f"{pw}.median_s", "lies outside its own samples")
            v.positive_int(point, "calls_per_sample", pw)
            v.field(point, "noisy", bool, pw)


class _Checker:
    def __init__(self, path: Path | str) -> None:
        self.path = path

    def _name(self, where: str | None, key: object) -> str:
        key_s = f"[{key}]" if isinstance(key, int) else str(key)
        if not where or where == "(root)":
            return key_s
        return f"{where}{key_s}" if isinstance(key, int) else f"{where}.{key_s}"

    def mapping(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise ResultsError(self.path, where, f"must be an object, got {_kind(value)}")

    def field(self, obj: Any, key: Any, kind: type, where: str | None = None) -> Any:
        name = self._name(where, key)
        if isinstance(obj, dict) and key not in obj:
            raise ResultsError(self.path, name, "is missing")
        value = obj[key]
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            raise ResultsError(self.path, name, f"must be {kind.__name__}, got {_kind(value)}")
        return value

    def text(self, obj: Any, key: str, where: str | None = None) -> str:
        value = self.field(obj, key, str, where)
        self._plain(value, self._name(where, key))
        return value

    def name(self, obj: Any, key: str, where: str | None = None) -> str:
        value = self.field(obj, key, str, where)
        if not SAFE_NAME.match(value):
            raise ResultsError(
                self.path,
                self._name(where, key),
                f"{value[:40]!r} must be lower-case letters, digits, '.', '_', '-'",
            )
        return value

    def positive_int(self, obj: Any, key: Any, where: str | None = None) -> int:
        value = self.field(obj, key, int, where)
        if value < 1:
            raise ResultsError(self.path, self._name(where, key), f"must be >= 1, got {value}")
        return value

    def number(
        self, obj: Any, key: Any, where: str | None = None, allow_zero: bool = False
    ) -> float:
        value = self.field(obj, key, float, where)
        name = self._name(where, key)
        if not math.isfinite(value):
            raise ResultsError(self.path, name, f"must be finite, got {value}")
        if value < 0 or (value == 0 and not allow_zero):
            raise ResultsError(
                self.path, name, f"must be {'>= 0' if allow_zero else '> 0'}, got {value}"
            )
        return float(value)

    def _plain(self, value: str, name: str) -> None:
        if _MARKUP.search(value):
            raise ResultsError(self.path, name, "contains HTML or script markup")

    def strings_are_plain(self, obj: Any, where: str) -> None:
        for key, value in _walk(obj, where):
            if isinstance(value, str):
                self._plain(value, key)
            elif isinstance(value, float) and not math.isfinite(value):
                raise ResultsError(self.path, key, f"must be finite, got {value}")


def _walk(obj: Any, where: str) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, f"{where}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, f"{where}[{i}]")
    else:
        yield where, obj


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def load_all(root: Path, known_examples: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every results file under `root`, validated; the first bad one raises."""
    known = list(known_examples) if known_examples is not None else None
    return [load(p, known) for p in sorted(Path(root).glob("*/*.json"))]


# --- writing ---------------------------------------------------------------------------------


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
    existing: dict[str, Any] | None, header: dict[str, Any], run: dict[str, Any]
) -> dict[str, Any]:
    """The document that results from putting `run` into `existing` (replacing its accelerator)."""
    runs = [r for r in (existing or {}).get("runs", []) if r["accelerator"] != run["accelerator"]]
    runs.append(run)
    runs.sort(key=lambda r: ACCELERATORS.index(r["accelerator"]))
    return {"schema_version": SCHEMA_VERSION, **header, "runs": runs}
