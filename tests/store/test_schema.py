"""The schema says which keys every results file has: each one missing, or one unknown, is
refused naming the file and the field; and the JSON Schema contributors download is current."""

from __future__ import annotations

import copy
import json

import pytest

from whygpu.contract.names import FIGURES_DIR, SCHEMA_FILE
from whygpu.store import files
from whygpu.store.schema import json_schema


def _key_paths(obj, where=()):
    """Every key path in a document, not inside free-form `params`."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield (*where, key)
            if key != "params":
                yield from _key_paths(value, (*where, key))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from _key_paths(value, (*where, i))


def _name(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _parent(doc, path):
    for key in path[:-1]:
        doc = doc[key]
    return doc


def test_removing_any_key_is_refused_naming_it(tmp_path, make):
    doc = make.doc()
    paths = [p for p in _key_paths(doc) if p != ("schema_version",)]
    assert ("item_unit",) in paths and len(paths) > 60
    for path in paths:
        broken = copy.deepcopy(doc)
        del _parent(broken, path)[path[-1]]
        expected = _name(path)
        with pytest.raises(files.ResultsError) as info:
            files.validate(broken, tmp_path / "conv2d.json")
        assert info.value.field == expected, path
        assert str(tmp_path / "conv2d.json") in str(info.value)


def test_item_unit_removed_on_a_flops_example_is_refused(tmp_path, make):
    """The bug as found: this file used to be accepted."""
    doc = make.doc()
    del doc["item_unit"]
    path = tmp_path / "m" / "conv2d.json"
    path.parent.mkdir()
    path.write_text(json.dumps(doc))
    with pytest.raises(files.ResultsError, match=r"conv2d\.json: item_unit: is missing"):
        files.load(path)


@pytest.mark.parametrize(
    "where",
    [(), ("runs", 0), ("runs", 0, "provenance"), ("runs", 0, "settings"), ("runs", 0, "points", 0)],
)
def test_unknown_keys_are_refused(tmp_path, make, where):
    doc = make.doc()
    target = doc
    for key in where:
        target = target[key]
    target["surprise"] = 1
    with pytest.raises(files.ResultsError, match="is not a key of this schema") as info:
        files.validate(doc, tmp_path / "conv2d.json")
    assert info.value.field == _name((*where, "surprise"))


def test_null_is_refused_where_a_value_always_applies(tmp_path, make):
    doc = make.doc()
    doc["runs"][0]["settings"]["num_threads"] = None
    with pytest.raises(files.ResultsError) as info:
        files.validate(doc, tmp_path / "conv2d.json")
    assert info.value.field == "runs[0].settings.num_threads"


def test_the_published_json_schema_is_current(root):
    published = root / FIGURES_DIR / SCHEMA_FILE
    assert published.read_text(encoding="utf-8") == json_schema(), "run `nox -s figures`"
    schema = json.loads(json_schema())
    assert set(schema["required"]) == set(schema["properties"])
    assert schema["additionalProperties"] is False
