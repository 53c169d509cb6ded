"""The model: roofline time plus cited fixed costs, calibrated by cited shares of peak; and a
source for every datasheet peak."""

from __future__ import annotations

import pytest

from whygpu.contract import datasheet
from whygpu.report import cited, models, sources


def test_model_time_is_the_roofline_plus_launch_and_pcie():
    gpu = datasheet.REFERENCE_GPUS["a100-sxm-80gb"]
    compute_bound, calibrated = models.model_time(gpu, 19.5e12, 1.0)  # one second of FP32 work
    assert compute_bound == pytest.approx(1.0 + models.LAUNCH_S) and not calibrated
    memory_bound, _ = models.model_time(gpu, 1.0, 2039e9)  # one second of memory traffic
    assert memory_bound == pytest.approx(1.0 + models.LAUNCH_S)
    share = models.shares(gpu)["matmul_bf16"].share
    bf16, calibrated = models.model_time(gpu, 312e12 * share, 1.0, "bfloat16")
    assert bf16 == pytest.approx(1.0, rel=1e-4) and calibrated
    link = models.shares(gpu)["h2d_pinned"].share
    e2e, _ = models.model_time(gpu, 1.0, 1.0, transferred=31.5e9 * link)  # one second on PCIe
    assert e2e == pytest.approx(1.0 + models.SYNC_CALL_S)


def test_the_fixed_costs_and_shares_come_from_cited_measurements():
    assert pytest.approx(cited.of("launch")[0].value * 1e-6) == models.LAUNCH_S
    shares = models.shares(datasheet.MODEL_GPU)
    assert set(shares) == {"matmul_bf16", "h2d_pinned"}
    for row in shares.values():
        assert 0.5 < row.share < 1 and row.url.startswith("https://")


def test_every_peak_has_a_source():
    for gpu in datasheet.REFERENCE_GPUS.values():
        assert gpu.source and gpu.fp32_tflops > 0 and gpu.memory_gbps > 0
        assert gpu.source in sources.datasheet_table()


def test_the_sources_page_links_every_source():
    table = sources.datasheet_table()
    for gpu in datasheet.REFERENCE_GPUS.values():
        assert gpu.urls and all(u.startswith("https://") for u in gpu.urls), gpu.name
        assert all(f"]({u})" in table for u in gpu.urls)
    assert f"]({datasheet.PCIE_URL})" in table
    cited_table = sources.cited_table()
    assert all(f"]({row.url})" in cited_table for row in cited.CITED)
