"""Why a results file was refused, said one way everywhere: the file, the field, the problem.

Every check in `whygpu.store` (reading, schema, relations, finding) raises ResultsError, so the
CLI, the runner and the report print one kind of message. pydantic's own errors speak of its
models (union members, `Input should be`); they are translated here into the file's own path,
`runs[0].points[3].median_s`, and a plain sentence, so a contributor can find what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class ResultsError(ValueError):
    """A results file is malformed. The message starts with the file and the field."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{path}: {field}: {problem}")


def check_model(model: Any, data: Any, path: Path | str) -> None:
    """Validate against a pydantic model; the first problem as a ResultsError naming its field."""
    from pydantic import ValidationError  # only called with a model, so pydantic is there

    try:
        model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ResultsError(path, field_path(data, error), problem_text(error)) from None


def field_path(data: Any, error: ErrorDetails) -> str:
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


def problem_text(error: ErrorDetails) -> str:
    """pydantic's message as a sentence about the file: what the field must be, and what it got."""
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
