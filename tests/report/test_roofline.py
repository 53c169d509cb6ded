"""The roofline's CPU ceilings: the hardware's limits where runs recorded them, else the best
measured points, said as such."""

from __future__ import annotations

import copy

import pytest

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


def test_the_pages_roofline_claims_match_the_data(root, rendered):
    """Counted here again from the results: the element-wise points above the reference
    machine's memory slope, and the points above its compute ceiling, are what the caption and
    the facts (quoted by Latency and bandwidth) state, and the page quotes those facts."""
    import json

    from whygpu.report.reference import reference_machine
    from whygpu.store import files

    docs = files.load_all(root / "results")
    ref = reference_machine(docs)
    facts = json.loads(rendered["facts.json"])
    slope, peak = facts["roofline.slope"]["value"], facts["roofline.peak"]["value"]
    newest = max(
        (r for d in docs if d["machine"] == ref for r in d["runs"] if r["cpu_limits"]),
        key=lambda r: r["provenance"]["date_utc"],
    )
    limits = newest["cpu_limits"]  # the machine's newest record of its limits
    assert slope == pytest.approx(limits["memory_bytes_per_s"]["value"] / 1e9)
    assert peak == pytest.approx(limits["peak"]["flops"] / 1e9)
    adds, above_slope, above_peak = 0, [], 0
    for doc in docs:
        if doc["machine"] != ref or doc["metric"] == "items":
            continue
        for run in (r for r in doc["runs"] if r["accelerator"] == "cpu"):
            for p in run["points"]:
                if p["status"] != "ok" or p["params"].get("dtype", "float32") != "float32":
                    continue
                if not (p["flops"] > 0 and p["bytes_moved"] > 0):
                    continue
                above_peak += p["flops"] / p["median_s"] / 1e9 > peak
                if doc["example"] == "elementwise":
                    adds += 1
                    gbps = p["bytes_moved"] / p["median_s"] / 1e9
                    if gbps > slope:
                        above_slope.append(gbps)
    said = facts["roofline.slope_reading"]["text"]
    assert facts["roofline.slope_reading"]["value"] == len(above_slope)
    if above_slope:
        assert f"{len(above_slope)} of the {adds} " in said
        assert f"up to {max(above_slope):.3g}" in said.replace(",", "")
    else:
        assert said.startswith("every ")
    assert facts["roofline.peak_reading"]["value"] == above_peak
    assert ("no point is above" in facts["roofline.peak_reading"]["text"]) == (above_peak == 0)
    notice = rendered["roofline.caption.md"].splitlines()[0]
    assert said in notice and facts["roofline.peak_reading"]["text"] in notice
    page = (root / "docs" / "concepts" / "latency-bandwidth.md").read_text(encoding="utf-8")
    for key in (
        "roofline.slope_reading",
        "roofline.peak_reading",
        "roofline.peak",
        "roofline.slope",
    ):
        assert f"{{{{ fact:{key} }}}}" in page, key
    assert "stays under" not in page
