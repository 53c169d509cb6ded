"""`provenance.example_sha256`, the content hash of an example measured before it was committed:
optional, so files written before it was recorded stay valid; ten hex digits. It may sit beside
a clean checkout: an example measured from outside it (`--examples DIR`) is not in it."""

from __future__ import annotations

import pytest

from whygpu.store import files


def _path(tmp_path):
    return tmp_path / "other-cpu-8c" / "conv2d.json"  # where make.doc() belongs


def _with(make, **prov) -> dict:
    doc = make.doc()
    doc["runs"][0]["provenance"].update(prov)
    return doc


def test_a_file_without_the_hash_is_still_valid(make, tmp_path):
    doc = make.doc()
    assert "example_sha256" not in doc["runs"][0]["provenance"]
    files.validate(doc, _path(tmp_path))


def test_a_hash_of_an_uncommitted_example_is_valid(make, tmp_path):
    files.validate(_with(make, example_sha256="1a2b3c4d5e", git_dirty=True), _path(tmp_path))
    files.validate(_with(make, example_sha256=None), _path(tmp_path))


@pytest.mark.parametrize("bad", ["1A2B3C4D5E", "1a2b3c", "1a2b3c4d5e6f", "<script>x</"])
def test_a_malformed_hash_is_refused_naming_the_field(make, tmp_path, bad):
    with pytest.raises(files.ResultsError) as info:
        files.validate(_with(make, example_sha256=bad, git_dirty=True), _path(tmp_path))
    assert info.value.field == "runs[0].provenance.example_sha256"


def test_a_hash_beside_a_clean_checkout_is_valid(make, tmp_path):
    """An example measured from a folder outside the checkout has a hash while the checkout
    itself is clean: CI's fresh clone running the harness's tests on a toy example."""
    path = _path(tmp_path)
    path.parent.mkdir()
    path.write_text(files.dumps(_with(make, example_sha256="1a2b3c4d5e", git_dirty=False)))
    assert files.load(path)["runs"][0]["provenance"]["example_sha256"] == "1a2b3c4d5e"
