"""The TypedDicts the report is type-checked against (whygpu.store.types) say what the schema's
pydantic models say: the same fields, each with the same type, nullability and whether it is
required. A field added to, removed from or retyped in the schema fails here until the types
follow."""

from __future__ import annotations

import types
import typing
from typing import Annotated, Literal, get_args, get_origin

import pytest
from pydantic import BaseModel

from whygpu.store import browser, schema
from whygpu.store import types as td

#: Each pydantic model and its TypedDict; a model missing here fails the completeness test.
PAIRS = {
    schema.Cpu: td.Cpu,
    schema.GpuEnd: td.GpuEnd,
    schema.Gpu: td.Gpu,
    schema.Provenance: td.Provenance,
    schema.Settings: td.Settings,
    schema.MeasuredPoint: td.MeasuredPoint,
    schema.SkippedPoint: td.SkippedPoint,
    schema.LoadSample: td.LoadSample,
    schema.Load: td.Load,
    schema.Derived: td.Derived,
    schema.CpuPeak: td.CpuPeak,
    schema.CpuLimits: td.CpuLimits,
    schema.Run: td.Run,
    schema.ResultsFile: td.ResultsDoc,
    browser.Summary: td.BrowserSummary,
    browser.Point: td.BrowserPoint,
    browser.Copy: td.BrowserCopy,
    browser.Browser: td.Browser,
    browser.Adapter: td.Adapter,
    browser.BrowserResults: td.BrowserDoc,
}


def _shape(tp: object) -> object:
    """A type with what a TypedDict cannot say removed (pydantic's constraints), and each model
    replaced by its TypedDict's name, so the two sides compare equal when they agree."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _shape(get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return ("union", frozenset(_shape(a) for a in get_args(tp)))
    if origin is Literal:
        return ("literal", frozenset(get_args(tp)))
    if origin in (list, dict):
        return (origin.__name__, *(_shape(a) for a in get_args(tp)))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return ("object", PAIRS[tp].__name__ if tp in PAIRS else f"unpaired {tp.__name__}")
    if typing.is_typeddict(tp):
        return ("object", tp.__name__)
    return tp


def _model_fields(model: type[BaseModel]) -> dict[str, tuple[object, bool]]:
    return {
        name: (_shape(field.annotation), field.is_required())
        for name, field in model.model_fields.items()
    }


def _typeddict_fields(cls: type) -> dict[str, tuple[object, bool]]:
    hints = typing.get_type_hints(
        cls, localns={"NotRequired": typing.NotRequired}, include_extras=True
    )
    out = {}
    for name, hint in hints.items():
        required = get_origin(hint) is not typing.NotRequired
        out[name] = (_shape(hint if required else get_args(hint)[0]), required)
    return out


@pytest.mark.parametrize("model", list(PAIRS), ids=lambda m: f"{m.__module__}.{m.__name__}")
def test_each_typeddict_has_its_models_fields_and_types(model):
    assert _typeddict_fields(PAIRS[model]) == _model_fields(model)


def test_every_schema_model_has_a_typeddict():
    models = {
        m
        for module in (schema, browser)
        for m in vars(module).values()
        if isinstance(m, type) and issubclass(m, schema._Strict) and m is not schema._Strict
    }
    assert models == set(PAIRS)


def test_a_field_the_typeddict_lacks_is_found():
    """The comparison can fail: a model with one more field than its TypedDict."""

    class Wider(schema.Derived):
        unit: str

    assert _typeddict_fields(td.Derived) != _model_fields(Wider)


def test_a_retyped_or_nullable_field_is_found():
    class Retyped(schema._Strict):
        value: int
        how: schema.Text

    class Nullable(schema._Strict):
        value: float | None
        how: schema.Text

    assert _typeddict_fields(td.Derived) == _model_fields(schema.Derived)
    assert _typeddict_fields(td.Derived) != _model_fields(Retyped)
    assert _typeddict_fields(td.Derived) != _model_fields(Nullable)
