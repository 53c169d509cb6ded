"""The command line: clear errors and exit codes."""

from __future__ import annotations

import json

import pytest

from whygpu import cli
from whygpu.contract.names import EXIT_NO_GPU, SCHEMA_VERSION


def test_validate_accepts_committed_results(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert cli.main(["validate"]) == 0
    assert "ok" in capsys.readouterr().out


@pytest.mark.parametrize("given", ["results", "results/amd-epyc-2c"])
def test_validate_takes_a_folder_and_checks_every_file_under_it(root, monkeypatch, capsys, given):
    """The bug as found: a folder argument crashed with IsADirectoryError."""
    monkeypatch.chdir(root)
    assert cli.main(["validate", given]) == 0
    out = capsys.readouterr().out
    expected = sorted((root / given).rglob("*.json"))
    assert expected and out.count("ok ") == len(expected)


def test_validate_reports_every_bad_file_in_a_folder_and_fails(tmp_path, make, capsys):
    good, bad, missing = make.doc(), make.doc(example="matmul"), make.doc(example="ddp")
    del bad["runs"][0]["settings"]["num_threads"]
    del missing["item_unit"]
    for doc in (good, bad, missing):
        path = tmp_path / good["machine"] / f"{doc['example']}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(doc))
    assert cli.main(["validate", str(tmp_path), "--examples", ""]) == 1
    captured = capsys.readouterr()
    assert f"ok      {tmp_path / good['machine'] / 'conv2d.json'}" in captured.out
    assert "matmul.json: runs[0].settings.num_threads: is missing" in captured.err
    assert "ddp.json: item_unit: is missing" in captured.err
    assert "Traceback" not in captured.err


def test_validate_names_a_path_that_does_not_exist(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path / "nope")]) == 1
    assert f"{tmp_path / 'nope'}: (file): does not exist" in capsys.readouterr().err


def test_validate_rejects_a_bad_file_naming_it(tmp_path, capsys):
    bad = tmp_path / "m" / "conv2d.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    assert cli.main(["validate", str(bad), "--examples", ""]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "example: is missing" in err


def test_gpu_run_without_gpu_is_an_error(monkeypatch, capsys):
    monkeypatch.setattr("whygpu.measure.devices.gpu_device", lambda: None)
    assert cli.main(["run", "--accelerator", "gpu"]) == EXIT_NO_GPU
    assert "no CUDA or MPS device visible to torch" in capsys.readouterr().err


def test_probe_reports_missing_gpu(monkeypatch, capsys):
    monkeypatch.setattr("whygpu.measure.devices.gpu_device", lambda: None)
    assert cli.main(["probe"]) == EXIT_NO_GPU
    assert "no CUDA or MPS" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["run", "--threads", "0"], ["run", "--accelerator", "tpu"], ["run", "--quick", "--full"]],
)
def test_bad_flags_are_rejected(argv, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err


def test_machine_name_is_derived_from_hardware_not_hostname(capsys):
    import socket

    assert cli.main(["machine"]) == 0
    name = capsys.readouterr().out.strip()
    assert name and name == name.lower() and " " not in name
    assert socket.gethostname().lower() not in name


def test_machine_flag_must_be_a_safe_folder_name(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--machine", "../My Laptop"])
    assert "not a folder name" in capsys.readouterr().err
