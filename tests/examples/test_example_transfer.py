"""The transfer example copies the right bytes, skips device copies on the CPU, and runs."""

from __future__ import annotations

import math

import pytest
import torch

from whygpu.contract import Unsupported, examples
from whygpu.measure.devices import gpu_device

CPU = torch.device("cpu")
DEVICE_VARIANTS = ["h2d-pinned", "h2d-pageable", "d2h-pinned", "d2h-pageable"]


@pytest.fixture(scope="module")
def transfer(all_examples):
    return all_examples["transfer"]


def test_variants_and_metric(transfer):
    assert transfer.metric == "bytes"
    assert transfer.variants == [*DEVICE_VARIANTS, "host-copy"]


@pytest.mark.parametrize("size", [1, 250, 251, 4096, 100_003])
def test_host_copy_copies_the_right_bytes(transfer, size):
    pattern = transfer.module.pattern(size)
    assert pattern.dtype == torch.uint8 and pattern.numel() == size
    assert pattern.is_contiguous()
    if size > 251:
        assert int(pattern[251]) == 0 and int(pattern[250]) == 250  # it repeats, with period 251
    copy = transfer.workload(size, CPU, "host-copy")
    first = copy()
    assert first.data_ptr() != pattern.data_ptr()
    assert torch.equal(first, pattern)
    first.zero_()  # a second call copies again into the same preallocated buffer
    second = copy()
    assert second.data_ptr() == first.data_ptr()
    assert torch.equal(second, pattern)


@pytest.mark.parametrize("variant", DEVICE_VARIANTS)
def test_device_copies_are_unsupported_on_the_cpu(transfer, variant):
    with pytest.raises(Unsupported, match="needs a CUDA or MPS device") as info:
        transfer.workload(4096, CPU, variant)
    assert "no device memory" in str(info.value)


def test_unknown_variant_is_an_error(transfer):
    with pytest.raises(ValueError, match="unknown variant"):
        transfer.work(4096, "h2d")
    with pytest.raises(ValueError, match="unknown variant"):
        transfer.workload(4096, CPU, "h2d")


def test_work_counts_each_byte_once(transfer):
    for profile in examples.PROFILES:
        for size in transfer.sizes(profile):
            for variant in transfer.variants:
                cost = transfer.work(size, variant)
                assert cost.bytes_moved == size
                assert cost.flops == 0
                assert cost.params["bytes"] == size
    assert transfer.work(1024, "h2d-pinned").params["host_memory"] == "pinned"
    assert transfer.work(1024, "d2h-pageable").params["host_memory"] == "pageable"
    assert transfer.work(1024, "d2h-pinned").params["direction"] == "device-to-host"
    assert transfer.work(1024, "host-copy").params["direction"] == "host-to-host"
    assert transfer.sizes("quick") == [4 << 10, 64 << 10, 1 << 20, 16 << 20, 256 << 20]
    assert set(transfer.sizes("quick")) <= set(transfer.sizes("full"))


def test_main_reports_a_real_bandwidth(transfer, capsys):
    rates = transfer.module.main(size=1 << 20)
    out = capsys.readouterr().out
    assert rates
    for variant, rate in rates.items():
        assert variant in transfer.variants
        assert math.isfinite(rate) and rate > 0
        assert variant in out
    if gpu_device() is None:
        assert list(rates) == ["host-copy"]
        assert "no GPU" in out
    else:
        assert list(rates) == ["h2d-pinned", "h2d-pageable"]
    assert "GB/s" in out


@pytest.mark.gpu
@pytest.mark.parametrize("variant", DEVICE_VARIANTS)
def test_device_copies_arrive_intact(transfer, variant):
    from whygpu.measure.devices import synchronize

    device = gpu_device()
    size = 100_003
    out = transfer.workload(size, device, variant)()
    synchronize(device)
    expected_device = "cpu" if variant.startswith("d2h") else device.type
    assert out.device.type == expected_device
    assert torch.equal(out.cpu(), transfer.module.pattern(size))
    with pytest.raises(Unsupported, match="CPU run"):
        transfer.workload(size, device, "host-copy")


def test_the_pcie_table_on_the_page_quotes_the_models_figures(root):
    """Each generation's row quotes the fact the model uses, so the two cannot drift apart."""
    import re

    from whygpu.contract.datasheet import PCIE_GBPS

    text = (root / "examples" / "transfer.py").read_text(encoding="utf-8")
    rows = re.findall(r"^# \| Gen(\d) \| \{\{ fact:pcie\.gen(\d) \}\} \|$", text, re.M)
    assert sorted(int(g) for g, _ in rows) == sorted(PCIE_GBPS)
    assert all(g == h for g, h in rows)
