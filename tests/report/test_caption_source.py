"""A caption says which code was measured: the commit, or, for an example measured before it
was committed (or changed since), that file's content hash, in words a reader understands."""

from __future__ import annotations

from whygpu.report import captions
from whygpu.report.series import group_series

SLUG = "relu_probe"


def _caption(doc: dict) -> str:
    series = group_series([doc])[SLUG]
    text = captions.render(SLUG, series, [], {})[f"{SLUG}.caption.md"]
    return " ".join(text.replace("\\", "").split())  # unwrapped, unescaped


def test_an_uncommitted_example_is_named_with_its_content_hash(make):
    doc = make.doc(example=SLUG, machine="contributor-box-4c")
    doc["runs"][0]["provenance"].update(example_sha256="1a2b3c4d5e", git_dirty=True)
    said = _caption(doc)
    assert (
        f"from an uncommitted version of `examples/{SLUG}.py` (content hash `1a2b3c4d5e`)" in said
    )
    assert "commit `" not in said and "uncommitted changes" not in said


def test_a_committed_example_is_named_by_its_commit(make):
    doc = make.doc(example=SLUG, machine="contributor-box-4c")
    assert "commit `0123456789`," in _caption(doc)
    doc["runs"][0]["provenance"]["git_dirty"] = True  # other files changed, not the example
    assert "commit `0123456789` (uncommitted changes)" in _caption(doc)
    doc["runs"][0]["provenance"]["example_sha256"] = None  # written, and null: the same
    assert "content hash" not in _caption(doc)
