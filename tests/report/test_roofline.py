"""The roofline's CPU ceilings: the hardware's limits where runs recorded them, else the best
measured points, said as such."""

from __future__ import annotations

import copy

from whygpu.contract.meaning import Declared, ExampleMeaning, VariantMeaning
from whygpu.report import limits, roofline
from whygpu.store import files as results

#: The fixture's variants are all "default": what each example says they are read against.
CEILINGS = Declared(
    {
        "matmul": ExampleMeaning({"default": VariantMeaning(ceiling="compute")}),
        "elementwise": ExampleMeaning({"default": VariantMeaning(ceiling="memory")}),
    }
)


def test_committed_machines_have_ceilings_and_none_beats_its_peak(root):
    docs = results.load_all(root / "results")
    ceilings = limits.cpu_ceilings(docs)
    assert ceilings, "no machine has matmul and elementwise results"
    assert any(c["kind"] == "hardware" for c in ceilings.values()), "no machine recorded a peak"
    for c in ceilings.values():
        assert c["gflops"] > 0 and c["gbps"] > 0
        assert 0 < c["best"] <= c["gflops"], "a measured matmul above the computed peak"


def test_ceilings_are_the_recorded_peak_and_triad(make):
    matmul = make.doc("matmul")
    elementwise = make.doc("elementwise")
    got = limits.cpu_ceilings([matmul, elementwise], CEILINGS)["other-cpu-8c"]
    recorded = matmul["runs"][0]["cpu_limits"]
    assert got["gflops"] == recorded["peak"]["flops"] / 1e9
    assert got["gbps"] == recorded["memory_bytes_per_s"]["value"] / 1e9
    best = max(p["flops"] / p["median_s"] for p in matmul["runs"][0]["points"] if "flops" in p)
    assert got["best"] == best / 1e9


def test_without_recorded_limits_the_best_points_stand_in_and_say_so(make):
    docs = [make.doc("matmul"), make.doc("elementwise")]
    for doc in docs:
        doc["runs"][0]["cpu_limits"] = None
    got = limits.cpu_ceilings(copy.deepcopy(docs), CEILINGS)["other-cpu-8c"]
    assert got["kind"] == "best measured"
    assert got["best_of"] == ("matmul", "default") and got["memory_of"][0] == "elementwise"
    caption = roofline.render(docs, CEILINGS)["roofline.caption.md"]
    assert "no peak recorded" in caption
