"""Reading results: bytes to a checked document, or a ResultsError naming the file and field.

A results file may come from anyone's machine, so nothing in it is trusted: its size, its
encoding, its JSON (NaN and Infinity refused), then the schema (pydantic, `whygpu.store.schema`,
or the browser's own schema for a file the Measure page exported), then what relates its fields,
which a schema cannot say. Everything that reads results (the runner resuming, `whygpu validate`,
the figures) goes through `load`, so all of them refuse the same files with the same message.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whygpu.contract.names import BROWSER_FORMAT, SCHEMA_VERSION
from whygpu.store import plausible
from whygpu.store.errors import ResultsError, check_model
from whygpu.store.finding import published
from whygpu.store.types import Document, ResultsDoc

try:
    from whygpu.store import browser
    from whygpu.store.schema import ResultsFile
except ImportError:  # a GPU environment with torch but no pydantic, and no network to add it
    ResultsFile, browser = None, None  # type: ignore[assignment,misc]  # None: no pydantic

MAX_FILE_BYTES = 8 * 1024 * 1024


def load(
    path: Path, known_examples: Iterable[str] | None = None, *, check_name: bool = True
) -> ResultsDoc:
    """Read and validate one harness results file; raise ResultsError naming the field at fault.

    A file from the Measure page is refused here, by name: it is checked (`load_any`), never
    measured into or drawn. `check_name` requires the file to be called `<example>.json` (off
    for in-progress files).
    """
    doc = load_any(path, known_examples, check_name=check_name)
    if "format" in doc:
        raise ResultsError(
            path,
            "format",
            "is a browser result: the harness and the figures read harness results only, so "
            "keep it out of results/ (the Contribute page says where it goes)",
        )
    return doc


def load_any(
    path: Path, known_examples: Iterable[str] | None = None, *, check_name: bool = True
) -> Document:
    """Read and validate a harness results file or a browser result (`whygpu validate`)."""
    path = Path(path)
    if path.is_dir():
        raise ResultsError(path, "(file)", "is a folder; use find() for the files under it")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ResultsError(path, "(file)", f"cannot be read: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise ResultsError(path, "(file)", f"is {size} bytes, over the {MAX_FILE_BYTES} limit")
    try:
        text = path.read_bytes().decode("utf-8")
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
    checked: Document = data  # the schema accepted it: it has the keys and types it says
    return checked


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> float:
    raise _NonFinite(name)


def validate(
    data: Any, path: Path | str = "<results>", known_examples: Iterable[str] | None = None
) -> None:
    """Check a parsed document against the schema, then what relates its fields."""
    if isinstance(data, dict) and data.get("format") == BROWSER_FORMAT:
        _validate_browser(data, path)
        return
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and 0 < version < SCHEMA_VERSION:
        raise ResultsError(
            path,
            "schema_version",
            f"is {version}, an older version: `whygpu upgrade {path}` rewrites it at version "
            f"{SCHEMA_VERSION}, keeping every measurement",
        )
    if version not in (SCHEMA_VERSION, None):
        raise ResultsError(
            path,
            "schema_version",
            f"unknown version {version!r} (this whygpu reads {SCHEMA_VERSION})",
        )
    if ResultsFile is None:
        warnings.warn(
            "pydantic is not installed, so results are checked only in part: run "
            "`nox -s validate` (or `whygpu validate` where pydantic is) before committing them",
            stacklevel=2,
        )
        try:
            _relations(data, path, known_examples)
            plausible.check_results(data, path)
        except (KeyError, TypeError, IndexError, ValueError) as exc:
            if isinstance(exc, ResultsError):
                raise
            raise ResultsError(path, "(file)", f"is malformed near {exc}") from None
        return
    check_model(ResultsFile, data, path)
    _relations(data, path, known_examples)
    plausible.check_results(data, path)


def _validate_browser(data: Any, path: Path | str) -> None:
    """A browser result: its own schema (whygpu.store.browser), the same kind of message."""
    if browser is None:
        raise ResultsError(path, "format", "a browser result needs pydantic to be checked")
    check_model(browser.BrowserResults, data, path)
    problem = browser.relations(data)
    if problem:
        raise ResultsError(path, *problem)


def _relations(data: Any, path: Path | str, known_examples: Iterable[str] | None) -> None:
    """What the schema cannot say: names that must agree, one run per accelerator, medians
    inside their samples."""
    example = data["example"]
    if known_examples is not None and example not in set(known_examples):
        raise ResultsError(path, "example", f"unknown example {example!r}")
    if isinstance(path, Path) and path.stem != example:
        raise ResultsError(path, "example", f"{example!r} does not match the file name")
    if data["metric"] == "items" and not data["item_unit"]:
        raise ResultsError(path, "item_unit", "must name the items when metric is 'items'")
    if data["metric"] != "items" and data["item_unit"] is not None:
        raise ResultsError(path, "item_unit", f"must be null when metric is {data['metric']!r}")
    seen_accelerators = set()
    for i, run in enumerate(data["runs"]):
        if run["accelerator"] in seen_accelerators:
            raise ResultsError(
                path, f"runs[{i}].accelerator", f"duplicate run for {run['accelerator']!r}"
            )
        seen_accelerators.add(run["accelerator"])
        seen = set()
        for j, point in enumerate(run["points"]):
            where = f"runs[{i}].points[{j}]"
            key = (point["variant"], point["size"])
            if key in seen:
                raise ResultsError(
                    path, f"{where}.size", f"duplicate point for variant {key[0]!r} size {key[1]}"
                )
            seen.add(key)
            if point["status"] != "ok":
                continue
            if not min(point["samples_s"]) <= point["median_s"] <= max(point["samples_s"]):
                raise ResultsError(path, f"{where}.median_s", "lies outside its own samples")
            if not min(point["rounds_s"]) <= point["median_s"] <= max(point["rounds_s"]):
                raise ResultsError(path, f"{where}.median_s", "lies outside its own rounds")
            rounds, have = run["rounds"], len(point["rounds_s"])
            # an in-progress file (not named after its example) may hold fewer rounds
            if have > rounds or (isinstance(path, Path) and have != rounds):
                raise ResultsError(
                    path, f"{where}.rounds_s", f"has {have} rounds; the run says {rounds}"
                )


def load_all(root: Path, known_examples: Iterable[str] | None = None) -> list[ResultsDoc]:
    """Every published results file under `root`, validated; the first bad one raises."""
    known = list(known_examples) if known_examples is not None else None
    return [load(path, known) for path in published(root)]
