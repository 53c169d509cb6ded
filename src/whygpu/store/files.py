"""Results files on disk: read and check them, find them, and replace them atomically.

Layout: `results/<machine>/<slug>.json`, one run per accelerator ("cpu", "gpu") inside. A file
is only ever replaced whole (write to a temporary file, fsync, rename), so an interrupted run
leaves the previous file intact. Every problem is a ResultsError whose message starts with the
file and the field.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whygpu.contract.names import ACCELERATORS, BROWSER_FORMAT, SCHEMA_VERSION

try:
    from pydantic import ValidationError

    from whygpu.store import browser
    from whygpu.store.schema import ResultsFile
except ImportError:  # a GPU environment with torch but no pydantic, and no network to add it
    ValidationError, ResultsFile, browser = None, None, None  # type: ignore[assignment,misc]

MAX_FILE_BYTES = 8 * 1024 * 1024


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
    return data


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
    if isinstance(data, dict) and data.get("schema_version") not in (SCHEMA_VERSION, None):
        raise ResultsError(
            path,
            "schema_version",
            f"unknown version {data['schema_version']!r} (this whygpu reads {SCHEMA_VERSION})",
        )
    if ResultsFile is None:
        warnings.warn(
            "pydantic is not installed, so results are checked only in part: run "
            "`nox -s validate` (or `whygpu validate` where pydantic is) before committing them",
            stacklevel=2,
        )
        try:
            _relations(data, path, known_examples)
        except (KeyError, TypeError, IndexError) as exc:
            raise ResultsError(path, "(file)", f"is malformed near {exc}") from None
        return
    _check_model(ResultsFile, data, path)
    _relations(data, path, known_examples)


def _check_model(model, data: Any, path: Path | str) -> None:
    """Validate against a pydantic model; the first problem as a ResultsError naming its field."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ResultsError(path, _field(data, error), _problem(error)) from None


def _validate_browser(data: dict[str, Any], path: Path | str) -> None:
    """A browser result: its own schema (whygpu.store.browser), the same kind of message."""
    if browser is None:
        raise ResultsError(path, "format", "a browser result needs pydantic to be checked")
    _check_model(browser.BrowserResults, data, path)
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


def _field(data: Any, error: dict[str, Any]) -> str:
    """pydantic's location as the file's own path, `runs[0].points[3].median_s`.

    pydantic also names the union member it tried (the point's kind, a parameter's type);
    those are not keys of the file, so the path follows only what the document holds.
    """
    out, here = "", data
    loc = error["loc"]
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(here, list) and isinstance(part, int) and part < len(here):
            out, here = f"{out}[{part}]", here[part]
        elif isinstance(here, dict) and (part in here or (last and error["type"] == "missing")):
            out, here = (f"{out}.{part}" if out else str(part)), here.get(part)
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        out += ".status"
    return out or "(root)"


def _problem(error: dict[str, Any]) -> str:
    kind, got = error["type"], error.get("input")
    if kind == "missing":
        return "is missing (every key is required; null where it does not apply)"
    if kind == "extra_forbidden":
        return "is not a key of this schema"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return "must be 'ok' or 'skipped'"
    if kind in ("model_type", "dict_type"):
        return f"must be an object, got {_kind(got)}"
    message = str(error["msg"])
    if kind == "value_error":  # ours: the message already quotes the value
        return message.removeprefix("Value error, ")
    message = message.replace("Input should be", "must be").replace("List should", "must")
    return f"{message} (got {_kind(got)})"


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    name = names.get(type(value), type(value).__name__)
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return f"{name} {str(value)[:40]!r}" if isinstance(value, str) else f"{name} {value}"
    return name


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


def load_all(root: Path, known_examples: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Every results file under `root`, validated; the first bad one raises."""
    known = list(known_examples) if known_examples is not None else None
    docs = []
    for path in sorted(Path(root).glob("*/*.json")):
        doc = load(path, known)
        if doc.get("format") == BROWSER_FORMAT:
            raise ResultsError(
                path,
                "format",
                "is a browser result: the figures draw harness results only, so "
                "keep it out of results/ (the Contribute page says where it goes)",
            )
        docs.append(doc)
    return docs


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
