"""GPU clocks, power limit and PCIe link: from nvidia-smi where NVML is absent, else unknown."""

from __future__ import annotations

import pytest

from whygpu.measure import nvidia


def _fake_smi(tmp_path, monkeypatch, line: str) -> None:
    tool = tmp_path / "nvidia-smi"
    tool.write_text(f"#!/bin/sh\necho '{line}'\n")
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(nvidia, "_nvml", lambda index: None)


def test_nvidia_smi_is_read_when_nvml_is_absent(tmp_path, monkeypatch):
    _fake_smi(tmp_path, monkeypatch, "570.86.15, 1755, 2619, 700.00, 5, 16")
    assert nvidia.state() == {
        "driver": "570.86.15",
        "sm_clock_mhz": 1755,
        "memory_clock_mhz": 2619,
        "power_limit_w": 700.0,
        "pcie_gen": 5,
        "pcie_width": 16,
    }


def test_a_field_the_board_does_not_report_is_none(tmp_path, monkeypatch):
    _fake_smi(tmp_path, monkeypatch, "570.86.15, 1755, 2619, [N/A], 4, 16")
    assert nvidia.state()["power_limit_w"] is None
    assert nvidia.state()["pcie_gen"] == 4


@pytest.mark.parametrize("line", ["garbage", ""])
def test_without_a_readable_answer_everything_is_unknown(tmp_path, monkeypatch, line):
    _fake_smi(tmp_path, monkeypatch, line)
    assert nvidia.state() == dict.fromkeys(nvidia.KEYS)
