"""Results files: a valid one loads; each kind of bad input is rejected naming file and field."""

from __future__ import annotations

import copy
import json
import os

import pytest

from whygpu.contract import examples
from whygpu.store import files as results
from whygpu.store.files import ResultsError


@pytest.fixture
def valid_doc(make):
    return make.doc


def write(tmp_path, doc, name="conv2d.json"):
    path = tmp_path / "other-cpu-8c" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc) if not isinstance(doc, (str, bytes)) else doc)
    return path


def test_valid_file_from_another_machine_loads(tmp_path, valid_doc):
    path = write(tmp_path, valid_doc())
    doc = results.load(path, known_examples=["conv2d"])
    assert doc["machine"] == "other-cpu-8c"
    assert len(doc["runs"][0]["points"]) == 3


def _set(path_keys, value):
    def mutate(doc):
        target = doc
        for key in path_keys[:-1]:
            target = target[key]
        if value is _DELETE:
            del target[path_keys[-1]]
        else:
            target[path_keys[-1]] = value

    return mutate


_DELETE = object()
P = ("runs", 0, "points", 0)

BAD = {
    "missing schema_version": (_set(("schema_version",), _DELETE), "schema_version"),
    "unknown schema version": (_set(("schema_version",), 99), "schema_version"),
    "schema version as string": (_set(("schema_version",), "1"), "schema_version"),
    "unknown example": (_set(("example",), "nope"), "example"),
    "machine with a slash": (_set(("machine",), "../etc"), "machine"),
    "runs empty": (_set(("runs",), []), "runs"),
    "unknown accelerator": (_set(("runs", 0, "accelerator"), "tpu"), "runs[0].accelerator"),
    "missing median": (_set((*P, "median_s"), _DELETE), "runs[0].points[0].median_s"),
    "median as string": (_set((*P, "median_s"), "fast"), "runs[0].points[0].median_s"),
    "negative time": (
        _set((*P, "samples_s"), [-1.0, 0.002, 0.003]),
        "runs[0].points[0].samples_s[0]",
    ),
    "zero median": (_set((*P, "median_s"), 0), "runs[0].points[0].median_s"),
    "empty samples": (_set((*P, "samples_s"), []), "runs[0].points[0].samples_s"),
    "median outside samples": (_set((*P, "median_s"), 5.0), "runs[0].points[0].median_s"),
    "duplicate point": (_set(("runs", 0, "points", 1, "size"), 8), "runs[0].points[1].size"),
    "boolean size": (_set((*P, "size"), True), "runs[0].points[0].size"),
    "html in device name": (
        _set(("runs", 0, "device_name"), "<script>alert(1)</script>"),
        "runs[0].device_name",
    ),
    "html deep in provenance": (
        _set(("runs", 0, "provenance", "cpu", "model"), "<b>x</b>"),
        "runs[0].provenance.cpu.model",
    ),
    "html in a point's params": (
        _set((*P, "params", "dtype"), "<i>"),
        "runs[0].points[0].params.dtype",
    ),
    "duplicate accelerator": (
        lambda doc: doc["runs"].append(copy.deepcopy(doc["runs"][0])),
        "runs[1].accelerator",
    ),
    "flops example with an item unit": (_set(("item_unit",), "samples"), "item_unit"),
    "threads zero": (
        _set(("runs", 0, "settings", "num_threads"), 0),
        "runs[0].settings.num_threads",
    ),
    "variant with spaces": (_set((*P, "variant"), "Big Variant"), "runs[0].points[0].variant"),
    "unknown metric": (_set(("metric",), "watts"), "metric"),
    "items metric without unit": (_set(("metric",), "items"), "item_unit"),
    "bad status": (_set((*P, "status"), "maybe"), "runs[0].points[0].status"),
    "fewer rounds than the run says": (
        _set((*P, "rounds_s"), [0.002, 0.002]),
        "runs[0].points[0].rounds_s",
    ),
    "median outside its rounds": (
        _set((*P, "rounds_s"), [0.003, 0.003, 0.003]),
        "runs[0].points[0].median_s",
    ),
    "rounds zero": (_set(("runs", 0, "rounds"), 0), "runs[0].rounds"),
    "negative load": (
        _set(("runs", 0, "load", "samples", 0, "other_cores"), -1.0),
        "runs[0].load.samples[0].other_cores",
    ),
    "html in the busiest process": (
        _set(("runs", 0, "load", "samples", 0, "busiest"), "<img src=x>"),
        "runs[0].load.samples[0].busiest",
    ),
    "peak of zero": (
        _set(("runs", 0, "cpu_limits", "peak", "flops"), 0.0),
        "runs[0].cpu_limits.peak.flops",
    ),
    "skipped without reason": (
        _set(("runs", 0, "points", 2, "reason"), _DELETE),
        "runs[0].points[2].reason",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_field_is_rejected_naming_file_and_field(tmp_path, case, valid_doc):
    mutate, field = BAD[case]
    doc = copy.deepcopy(valid_doc())
    mutate(doc)
    path = write(tmp_path, doc)
    with pytest.raises(ResultsError) as info:
        results.load(path, known_examples=["conv2d"])
    assert info.value.field == field
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("[1, 2]", "must be an object"),
        ('{"schema_version": NaN}', "NaN"),
        ('{"schema_version": Infinity}', "Infinity"),
        ("{not json", "not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_malformed_file_is_rejected(tmp_path, raw, problem):
    path = tmp_path / "conv2d.json"
    path.write_bytes(raw if isinstance(raw, bytes) else raw.encode())
    with pytest.raises(ResultsError, match=problem) as info:
        results.load(path)
    assert str(path) in str(info.value)


def test_huge_file_is_rejected_before_parsing(tmp_path):
    path = tmp_path / "conv2d.json"
    with path.open("wb") as fh:
        fh.truncate(results.MAX_FILE_BYTES + 1)
    with pytest.raises(ResultsError, match="over the"):
        results.load(path)


def test_file_name_must_match_example(tmp_path, valid_doc):
    path = write(tmp_path, valid_doc(), name="matmul.json")
    with pytest.raises(ResultsError, match="does not match the file name"):
        results.load(path)


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    path.write_text("old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        results.write_atomic(path, "new")
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path], "a temporary file was left behind"


def test_dumps_is_canonical_and_rejects_nan(valid_doc):
    doc = valid_doc()
    assert results.dumps(doc) == results.dumps(json.loads(results.dumps(doc)))
    doc["runs"][0]["points"][0]["median_s"] = float("nan")
    with pytest.raises(ValueError):
        results.dumps(doc)


def test_an_in_progress_file_may_hold_fewer_rounds_but_never_more(tmp_path, valid_doc):
    doc = valid_doc()
    doc["runs"][0]["points"][0]["rounds_s"] = [0.002, 0.002]  # round 3 not measured yet
    doc["runs"][0]["points"][0]["round_spread"] = 0.0
    path = write(tmp_path, doc, ".conv2d.cpu.partial.json")
    assert results.load(path, check_name=False)["runs"][0]["rounds"] == 3
    doc["runs"][0]["points"][0]["rounds_s"] = [0.002] * 4
    path.write_text(json.dumps(doc))
    with pytest.raises(ResultsError, match="has 4 rounds; the run says 3"):
        results.load(path, check_name=False)


def test_committed_results_were_measured_in_rounds_on_a_quiet_machine(root):
    """Runs since schema 2 (the ones with a load record); older upgraded ones say they are not."""
    recent = 0
    for doc in results.load_all(root / "results"):
        for run in doc["runs"]:
            where = f"{doc['machine']}/{doc['example']} [{run['accelerator']}]"
            if run["load"] is None:  # upgraded from version 1: one round, nothing sampled
                assert run["rounds"] == 1 and run["cpu_limits"] is None, where
                continue
            recent += 1
            if run["profile"] == "full":
                assert run["rounds"] >= 3, f"{where}: a published full run with fewer rounds"
            assert not run["load"]["busy"], f"{where}: measured on a busy machine"
            if run["accelerator"] == "cpu":
                assert run["cpu_limits"], f"{where}: no CPU peak recorded"
    assert recent, "no committed run was measured in rounds"


def test_committed_results_are_valid(root):
    paths = results.published(root / "results")
    assert paths, "no committed results under results/"
    known = [p.stem for p in examples.paths(root / "examples")]
    for path in paths:
        results.load(path, known_examples=known)


def test_find_takes_files_and_folders_and_skips_in_progress_files(tmp_path, valid_doc):
    a = write(tmp_path, valid_doc())
    b = write(tmp_path / "more", valid_doc())
    (a.parent / ".conv2d.cpu.partial.json").write_text("{}")
    assert results.find([tmp_path]) == sorted([a, b])
    assert results.find([a.parent]) == [a]
    assert results.find([a]) == [a]
    with pytest.raises(ResultsError, match="does not exist"):
        results.find([tmp_path / "nope"])


def test_load_all_skips_a_run_in_progress_beside_the_results(tmp_path, valid_doc):
    """A sweep keeps its progress in a hidden file beside the results: drawing the figures
    meanwhile reads the published files only."""
    a = write(tmp_path, valid_doc())
    partial = write(tmp_path, valid_doc(), ".conv2d.cpu.partial.json")
    assert results.load(partial, check_name=False)  # a valid document, just not a result
    assert [d["example"] for d in results.load_all(tmp_path)] == ["conv2d"]
    assert results.published(tmp_path) == [a]


def test_a_folder_given_to_load_is_a_clear_error(tmp_path):
    with pytest.raises(ResultsError, match="is a folder"):
        results.load(tmp_path)


def test_a_version_1_file_upgrades_without_changing_a_measurement(tmp_path, valid_doc):
    from whygpu import cli

    v1 = copy.deepcopy(valid_doc())
    v1["schema_version"] = 1
    for run in v1["runs"]:
        for key in ("rounds", "load", "cpu_limits"):
            del run[key]
        for key in ("vendor", "family", "model_number", "microarchitecture", "isa"):
            del run["provenance"]["cpu"][key]
        for p in run["points"]:
            for key in ("rounds_s", "round_spread", "rounds_disagree"):
                p.pop(key, None)
    path = write(tmp_path, v1)
    with pytest.raises(ResultsError, match=r"is 1, an older version: `whygpu upgrade "):
        results.load(path)
    assert cli.main(["upgrade", str(path.parent)]) == 0
    doc = results.load(path)
    run, old = doc["runs"][0], v1["runs"][0]
    assert run["rounds"] == 1 and run["load"] is None and run["cpu_limits"] is None
    assert run["provenance"]["cpu"]["isa"] is None, "version 1 read no instruction sets"
    for new, before in zip(run["points"], old["points"], strict=True):
        if before["status"] == "ok":
            assert new["median_s"] == before["median_s"] and new["rounds_s"] == [new["median_s"]]
            assert new["samples_s"] == before["samples_s"]
    text = path.read_text()
    assert cli.main(["upgrade", str(path)]) == 0
    assert path.read_text() == text, "upgrading a current file changed it"


def test_a_version_2_file_gains_the_cpu_its_folder_name_records(tmp_path, valid_doc):
    """The harness named a folder by the CPU's family and model where its name had none: the
    upgrade reads them back and names the microarchitecture; the instruction sets stay unknown."""
    from whygpu import cli

    v2 = copy.deepcopy(valid_doc())
    v2.update(schema_version=2, machine="amd-epyc-f25m17-2c")
    for run in v2["runs"]:
        run["provenance"]["cpu"] = {
            "model": "AMD EPYC",
            "physical_cores": 2,
            "logical_cpus": 2,
            "arch": "x86_64",
        }
    path = tmp_path / "amd-epyc-f25m17-2c" / "conv2d.json"
    path.parent.mkdir()
    path.write_text(json.dumps(v2))
    assert cli.main(["upgrade", str(path)]) == 0
    cpu = results.load(path)["runs"][0]["provenance"]["cpu"]
    assert (cpu["vendor"], cpu["family"], cpu["model_number"]) == ("AuthenticAMD", 25, 17)
    assert cpu["microarchitecture"] == "Zen 4" and cpu["isa"] is None
