"""One quantity, one number: facts name the quantity they quote, two examples that time the same
thing are compared at every size both measured, and a headline never quotes a flagged point."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from whygpu.contract.meaning import Declared, ExampleMeaning, VariantMeaning
from whygpu.report import build, facts
from whygpu.store.errors import ResultsError

REASON = "it allocates its output on every call"


def _declared(reason: str | None) -> Declared:
    said = VariantMeaning(same_as="mm/fp32", differs_because=reason)
    return Declared(
        {
            "both": ExampleMeaning(variants={"mm": said}, finds_crossover=True),
            "mm": ExampleMeaning(variants={"fp32": VariantMeaning(ceiling="compute")}),
        }
    )


def _docs(make, small_ratio: float):
    """One product timed by two examples; at size 8 `both` takes `small_ratio` times as long."""
    mine, theirs = make.run(), make.run()
    mine["points"] = [make.point(8, 1e-5 * small_ratio, "mm"), make.point(16, 8e-5, "mm")]
    theirs["points"] = [make.point(8, 1e-5, "fp32"), make.point(16, 8.1e-5, "fp32")]
    return [make.doc("both", runs=[mine]), make.doc("mm", runs=[theirs])]


def test_two_measurements_of_one_quantity_apart_stop_the_build_naming_file_and_size(make):
    docs = _docs(make, 1.5)  # 50% apart at size 8, far outside both rounds' ranges
    with pytest.raises(ResultsError) as caught:
        build.render(docs, declared=_declared(None), draw=False)
    message = str(caught.value)
    assert "results/other-cpu-8c/both.json" in message
    assert "mm at size 8" in message and "mm/fp32" in message and "differs_because" in message


def test_within_their_rounds_they_agree_and_the_site_quotes_one_of_them(make):
    docs = _docs(make, 1.005)
    found = facts.compute(docs, declared=_declared(None))
    assert "both.cpu.mm.best" not in found  # the other example's best is the one quoted
    assert found["mm.cpu.fp32.best"]["quantity"].endswith("mm/fp32 best rate")
    # a size both measured quotes one value, under one quantity
    assert found["both.cpu.mm.at.8"]["value"] == found["mm.cpu.fp32.smallest_time"]["value"]
    assert found["both.cpu.mm.at.8"]["quantity"] == found["mm.cpu.fp32.smallest_time"]["quantity"]
    assert "agree within their rounds' ranges." in found["both.cpu.mm.same_as"]["text"]


def test_a_stated_reason_lets_them_differ_and_the_page_names_both_and_why(make):
    docs = _docs(make, 1.5)
    found = facts.compute(docs, declared=_declared(REASON))
    said = found["both.cpu.mm.same_as"]["text"]
    assert "differ beyond them at n = 8" in said and "50%" in said and REASON in said
    # its own time stands, as its own quantity: "as both/mm calls it"
    assert found["both.cpu.mm.at.8"]["quantity"] != found["mm.cpu.fp32.smallest_time"]["quantity"]


def test_a_flagged_point_is_quoted_as_its_rounds_range(make):
    docs = _docs(make, 1.0)
    point = docs[1]["runs"][0]["points"][0]
    point.update(rounds_disagree=True, round_spread=0.5, rounds_s=[1e-5, 1.2e-5, 1.5e-5])
    found = facts.compute(docs, declared=_declared(None))
    assert (
        found["mm.cpu.fp32.smallest_time"]["text"] == "10 µs to 15 µs (its rounds' range: flagged)"
    )
    assert "flagged" in found["mm.cpu.fp32.smallest_rate"]["text"]
    assert found["mm.cpu.fp32.best_size"]["value"] == 16  # the best skips the flagged point


def test_every_quantity_of_the_published_facts_has_one_value(rendered):
    import json

    found = json.loads(rendered["facts.json"])
    values: dict[str, set] = defaultdict(set)
    for fact in found.values():
        if "quantity" in fact:
            values[fact["quantity"]].add(fact["value"])
    assert values, "the facts name no quantity"
    assert {q: v for q, v in values.items() if len(v) > 1} == {}
    # the CPU's fp32 matrix product is quoted from one example only
    bests = [k for k, f in found.items() if f.get("quantity", "").endswith("matmul/fp32 best rate")]
    assert len([k for k in bests if ".cpu." in k]) == 1


def test_captions_quote_the_same_best_as_the_facts(rendered):
    import json

    found = json.loads(rendered["facts.json"])
    machine = found["machine"]["value"]
    for name, caption in rendered.items():
        if not name.endswith(".caption.md") or "; best " not in caption:
            continue
        slug = name.removesuffix(".caption.md")
        line = next((x for x in caption.splitlines() if f"**{machine}**" in x and "CPU" in x), "")
        mine = [k for k in found if re.fullmatch(rf"{slug}\.cpu\.[\w-]+\.best", k)]
        listed = line.partition("; best ")[2].partition("; at least")[0].split("; ")
        listed = [x for x in listed if "quoted from" not in x]
        for variant, rate in (re.match(r"(?:([\w-]+) )?([\d.]+) ", x).groups() for x in listed):
            key = f"{slug}.cpu.{variant}.best" if variant else mine[0]
            assert variant or len(mine) == 1, name
            fact = found.get(key)
            assert fact is not None, f"{name}: {variant} has no fact"
            assert float(rate) == pytest.approx(fact["value"], rel=1e-3), (name, variant)
