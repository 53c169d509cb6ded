"""The command line: clear errors and exit codes."""

from __future__ import annotations

import json

import pytest

from whygpu import cli


def test_validate_accepts_committed_results(root, monkeypatch, capsys):
    monkeypatch.chdir(root)
    assert cli.main(["validate"]) == 0
    assert "ok" in capsys.readouterr().out


def test_validate_rejects_a_bad_file_naming_it(tmp_path, capsys):
    bad = tmp_path / "m" / "conv2d.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps({"schema_version": 1}))
    assert cli.main(["validate", str(bad), "--examples", ""]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "example: is missing" in err


def test_gpu_run_without_gpu_is_an_error(monkeypatch, capsys):
    monkeypatch.setattr("whygpu.devices.gpu_device", lambda: None)
    assert cli.main(["run", "--accelerator", "gpu"]) == cli.EXIT_NO_DEVICE
    assert "no CUDA or MPS device visible to torch" in capsys.readouterr().err


def test_probe_reports_missing_gpu(monkeypatch, capsys):
    monkeypatch.setattr("whygpu.devices.gpu_device", lambda: None)
    assert cli.main(["probe"]) == cli.EXIT_NO_DEVICE
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
