"""Every example quotes its own numbers, whichever machine measured it: its facts come from the
machine its figure shows, `SLUG.machine` names that machine, and the facts of examples on the
site's reference machine are the same as before."""

from __future__ import annotations

from whygpu.report import build, facts
from whygpu.report.reference import reference_machine
from whygpu.store import files

NEW = "solo_probe"  # an example only a contributor's machine has measured


def test_an_example_measured_elsewhere_gets_facts_from_its_own_machine(root, make):
    committed = files.load_all(root / "results")
    site = reference_machine(committed)
    new = make.doc(example=NEW, machine="contributor-box-4c")
    docs = [*committed, new]
    assert reference_machine(docs) == site != "contributor-box-4c"
    assert reference_machine(docs, NEW) == "contributor-box-4c"

    found = facts.compute(docs)
    assert found[f"{NEW}.machine"]["text"] == "contributor-box-4c"
    best = found[f"{NEW}.cpu.default.best"]
    assert best["source"] == f"results/contributor-box-4c/{NEW}.json"
    # in GFLOP/s: size 16 in 4 ms (2 x 16^3 FLOPs / 0.004 s), the better of the two points
    assert best["value"] == max(2 * 8**3 / 0.002, 2 * 16**3 / 0.004) / 1e9
    assert found[f"{NEW}.cpu.default.largest_size"]["value"] == 16
    assert found["machine"]["text"] == site  # the site-wide facts still describe the site's


def test_the_reference_machines_examples_keep_every_fact(root, make):
    committed = files.load_all(root / "results")
    timed = build.timed_runs(root / "results")  # the quick profile's time, as the build reads it
    before = facts.compute(committed, timed=timed)
    after = facts.compute(
        [*committed, make.doc(example=NEW, machine="contributor-box-4c")], timed=timed
    )
    added = set(after) - set(before)
    assert added and all(k.startswith(f"{NEW}.") for k in added), sorted(added)[:5]
    assert {k: after[k] for k in before} == before
    for slug in {d["example"] for d in committed}:
        assert before[f"{slug}.machine"]["text"] == reference_machine(committed, slug)
