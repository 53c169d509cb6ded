"""Captions name the machine and versions of every line, and escape what results say."""

from __future__ import annotations

from whygpu.report import build
from whygpu.report.reference import reference_machine
from whygpu.store import files as results


def test_caption_names_machine_and_versions(root, rendered):
    docs = results.load_all(root / "results")
    for doc in docs:
        if doc["machine"] != reference_machine(docs, doc["example"]):
            continue  # the figure shows one machine; the Results page compares the rest
        caption = rendered[f"{doc['example']}.caption.md"]
        assert doc["machine"] in caption.replace("\\", "")
        for run in doc["runs"]:
            assert run["provenance"]["torch"] in caption.replace("\\", "")


def test_untrusted_strings_are_escaped_in_captions(root):
    docs = results.load_all(root / "results")
    docs[0]["runs"][0]["device_name"] = "Evil *GPU* [link](x) `code`"
    caption = build.render(docs, draw=False)[f"{docs[0]['example']}.caption.md"]
    assert "[link](x)" not in caption and "*GPU*" not in caption


def test_caption_leads_with_what_to_notice_and_folds_the_provenance(rendered):
    for name, caption in rendered.items():
        if not name.endswith(".caption.md"):
            continue
        first, _, rest = caption.partition("\n\n")
        assert first.startswith("**What to notice:** "), name
        assert "\n" not in first, f"{name}: the notice is one line"
        plain, _, rest = rest.partition("\n\n")
        assert plain.startswith("In plain words: ") and "\n" not in plain, name
        assert rest.startswith('??? info "About this data"'), name
        body = rest.split("\n\n", 1)[1]
        assert all(line.startswith("    ") for line in body.splitlines() if line), name
        assert "measured on" in body.lower() and "measured on" not in first.lower()


def test_headlines_skip_points_whose_rounds_disagree(root):
    docs = results.load_all(root / "results")
    doc = next(d for d in docs if d["example"] == "matmul")
    run = doc["runs"][0]
    fastest = max(
        (p for p in run["points"] if p["status"] == "ok"),
        key=lambda p: p["flops"] / p["median_s"],
    )
    fastest["rounds_disagree"] = True
    fastest["noisy"] = False
    from whygpu.report.series import best_point

    others = [
        p for p in run["points"] if p["status"] == "ok" and p["variant"] == fastest["variant"]
    ]
    assert best_point(doc, others) is not fastest
    fastest["rounds_disagree"] = False
    assert best_point(doc, others) is fastest


def test_a_crossing_inside_the_rounds_spread_reads_as_a_range():
    from whygpu.report.crossover import crossing_text

    assert crossing_text({"e2e": 96, "e2e_sure": 96}, "e2e") == "n = 96"
    assert crossing_text({"e2e": 96, "e2e_sure": 128}, "e2e") == "about n = 96 to 128"
    assert crossing_text({"e2e": 96, "e2e_sure": None}, "e2e") == "n = 96, inside the noise"
    assert crossing_text({"e2e": None}, "e2e", none="not reached") == "not reached"


def test_a_caption_states_the_rule_that_chose_its_machine(make):
    """Issue 26: a new example measured on a contributor's machine alone said its machine was
    the site's reference by the site-wide rule, which it was not."""
    site = [make.doc(slug, machine="big-8c") for slug in ("matmul", "conv2d")]
    new = make.doc("softmax", machine="small-2c")
    rendered = build.render([*site, new], draw=False)
    own = rendered["softmax.caption.md"]
    assert "reference machine, small-2c: the site's reference machine" in own
    assert "big-8c, has not measured this example" in own
    assert "has not measured" not in rendered["matmul.caption.md"]
    assert "reference machine, big-8c (" in rendered["matmul.caption.md"]


def test_every_caption_says_its_kinds_of_evidence_in_plain_words_first(rendered):
    """Before the folded details name a model, a calibration or a roofline, one plain line
    says what the lines and stars are (issue 25: the home caption spoke of "calibrated model"
    before anything explained it)."""
    captions = {name: text for name, text in rendered.items() if name.endswith(".caption.md")}
    assert captions
    for name, text in captions.items():
        before, _, after = text.partition('??? info "About this data"')
        assert after, f"{name}: no details block"
        assert "In plain words:" in before, f"{name}: no plain line before the details"
        plain = before.split("In plain words:", 1)[1]
        assert "calibrated" not in plain and "roofline" not in plain.lower(), name
        if "model" in after and "roofline" not in name:
            assert "not measured" in plain, f"{name}: its model lines are not said to be unmeasured"
