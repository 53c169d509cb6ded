"""The datasheet model: roofline time plus fixed costs, and a source for every peak."""

from __future__ import annotations

import pytest

from whygpu.report import datasheet, tables


def test_model_time_is_the_roofline_plus_launch_and_pcie():
    gpu = datasheet.REFERENCE_GPUS["a100-sxm-80gb"]
    compute_bound = gpu.model_time(19.5e12, 1.0)  # one second of FP32 work
    assert compute_bound == pytest.approx(1.0 + datasheet.LAUNCH_OVERHEAD_S)
    memory_bound = gpu.model_time(1.0, 2039e9)  # one second of memory traffic
    assert memory_bound == pytest.approx(1.0 + datasheet.LAUNCH_OVERHEAD_S)
    assert gpu.model_time(312e12, 1.0, "bfloat16") == pytest.approx(1.0, rel=1e-4)
    e2e = gpu.model_time(1.0, 1.0, transferred=31.5e9)  # one second across PCIe Gen4
    assert e2e == pytest.approx(1.0 + datasheet.SYNC_CALL_OVERHEAD_S)


def test_every_peak_has_a_source():
    for gpu in datasheet.REFERENCE_GPUS.values():
        assert gpu.source and gpu.fp32_tflops > 0 and gpu.memory_gbps > 0
        assert gpu.source in tables.datasheet_table()
