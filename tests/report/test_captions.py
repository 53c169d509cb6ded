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
    caption = build.render(docs)[f"{docs[0]['example']}.caption.md"]
    assert "[link](x)" not in caption and "*GPU*" not in caption
