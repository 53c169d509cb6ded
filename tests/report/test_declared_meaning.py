"""A new example's variants mean what its own file declares: a freely named variant that crosses
PCIe is drawn dotted and quoted as end to end, with no edit outside the example's file."""

from __future__ import annotations

import textwrap

import pytest

from whygpu.contract.examples import declared
from whygpu.report import build, chart_notes, charts, evidence, facts, models
from whygpu.report.style import MODEL_DASHES, THEMES

EXAMPLE = """
TITLE = "Vector add, uploaded first"
SIZE_LABEL = "elements"
BENCHMARK_VERSION = 1
METRIC = "flops"
SIZES = {"quick": [8, 16], "full": [8, 16]}
VARIANTS = ["add", "upload-then-add"]
{meaning}


def work(size, variant="add"):
    raise NotImplementedError  # never called: the report reads the declarations only


def workload(size, device, variant="add"):
    raise NotImplementedError
"""


def _setup(tmp_path, make, meaning: str, name: str = "upload-then-add"):
    folder = tmp_path / "examples"
    folder.mkdir()
    source = textwrap.dedent(EXAMPLE).replace("{meaning}", meaning)
    (folder / "vecadd.py").write_text(source.replace("upload-then-add", name))
    run = make.run()
    run["points"] = [
        *(make.point(size, t, "add") for size, t in ((8, 2e-6), (16, 4e-6))),
        *({"variant": name, "size": s, "status": "skipped", "reason": "no GPU"} for s in (8, 16)),
    ]
    return [make.doc("vecadd", runs=[run])], declared(folder)


def test_a_declared_pcie_variant_is_drawn_dotted_and_quoted_end_to_end(tmp_path, make):
    docs, meaning = _setup(
        tmp_path, make, 'MEANING = {"upload-then-add": {"end_to_end_of": "add"}}'
    )
    side = evidence.sides(docs, meaning)["vecadd"]
    lines = {line["variant"]: line for line in side.models}
    assert set(lines) == {"add", "upload-then-add"}
    e2e, compute = lines["upload-then-add"], lines["add"]
    assert e2e["crosses_pcie"] and not compute["crosses_pcie"]
    style = charts._style(e2e, ["add", "upload-then-add"], THEMES["light"])
    assert style["linestyle"] == MODEL_DASHES["e2e"] != MODEL_DASHES["compute"]
    pairs = zip(e2e["points"], compute["points"], strict=True)
    assert all(a["median_s"] > b["median_s"] for a, b in pairs)  # the copies cost time

    found = facts.compute(docs, declared=meaning)
    assert "vecadd.gpu.upload-then-add.best" in found
    # quoted as end to end: never set against the CPU's compute time as a like-for-like ratio
    assert "vecadd.gpu.upload-then-add.ratio" not in found and "vecadd.gpu.add.ratio" in found

    svg = build.render(docs, {"vecadd": 1}, meaning)["vecadd.svg"]
    name = models.model_name(e2e)  # named at its end by what it models: the add, end to end
    assert name.endswith("model, add end to end")
    assert chart_notes.wrapped(name).split("\n")[0] in svg


def test_without_the_declaration_the_same_name_means_nothing(tmp_path, make):
    """The name alone carries no meaning: undeclared, the variant gets no end-to-end model."""
    docs, meaning = _setup(tmp_path, make, "")
    side = evidence.sides(docs, meaning)["vecadd"]
    assert [line["variant"] for line in side.models] == ["add"]


@pytest.mark.parametrize("name", ["add-e2e", "upload-then-add", "x"])
def test_any_name_works_the_same(tmp_path, make, name):
    said = f'MEANING = {{"{name}": {{"end_to_end_of": "add"}}}}'
    docs, meaning = _setup(tmp_path, make, said, name)
    side = evidence.sides(docs, meaning)["vecadd"]
    got = [(m["variant"], m["crosses_pcie"]) for m in side.models]
    assert got == [("add", False), (name, True)]
