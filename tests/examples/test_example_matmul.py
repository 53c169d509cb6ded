"""The matmul example computes the right product in both formats, counts its work, and runs."""

from __future__ import annotations

import math

import pytest
import torch

from whygpu.contract import Unsupported

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def matmul(all_examples):
    return all_examples["matmul"]


def test_contract(matmul):
    assert matmul.metric == "flops"
    assert matmul.variants == ["fp32", "bf16"]
    quick, full = matmul.sizes("quick"), matmul.sizes("full")
    assert quick[0] <= 64 and quick[-1] == 2048 and full[-1] == 4096
    assert set(quick) <= set(full)


@pytest.mark.parametrize(
    ("variant", "dtype", "tolerance"),
    [("fp32", torch.float32, 1e-5), ("bf16", torch.bfloat16, 1e-2)],
)
def test_each_variant_computes_x_times_w_transposed(matmul, variant, dtype, tolerance):
    size = 96
    call = matmul.workload(size, CPU, variant)
    y = call()
    assert y.shape == (size, size) and y.dtype == dtype
    x, w = matmul.module.inputs(size, CPU, variant)
    reference = x.double() @ w.double().T  # the same (rounded) inputs, in float64
    error = float((y.double() - reference).abs().max())
    assert 0 <= error <= tolerance * float(reference.abs().max())
    assert call().data_ptr() == y.data_ptr()  # every call writes the same preallocated output


def test_both_variants_start_from_the_same_numbers(matmul):
    x32, w32 = matmul.module.inputs(32, CPU, "fp32")
    x16, w16 = matmul.module.inputs(32, CPU, "bf16")
    assert torch.equal(x16, x32.bfloat16()) and torch.equal(w16, w32.bfloat16())


def test_work_counts_flops_and_bytes(matmul):
    fp32, bf16 = matmul.work(1024, "fp32"), matmul.work(1024, "bf16")
    assert fp32.flops == bf16.flops == 2 * 1024**3
    assert fp32.bytes_moved == 3 * 1024**2 * 4
    assert bf16.bytes_moved == 3 * 1024**2 * 2
    assert fp32.params["dtype"] == "float32" and bf16.params["dtype"] == "bfloat16"
    assert fp32.intensity == pytest.approx(1024 / 6)  # FLOPs per byte grow with n


def test_outputs_are_independent_dot_products(matmul):
    assert matmul.module.check_dot_products(64) < 1e-3


def test_bf16_error_is_small_but_real(matmul):
    error = matmul.module.bf16_error(128, CPU)
    assert 1e-5 < error < 2e-2  # bf16 keeps 8 bits: visible, but well under a percent or two


def test_a_device_without_bf16_matmul_is_unsupported(matmul, monkeypatch):
    def no_bf16(a, b, **kwargs):
        raise RuntimeError("\"addmm\" not implemented for 'BFloat16'")

    monkeypatch.setattr(torch, "mm", no_bf16)
    with pytest.raises(Unsupported, match="bf16 matrix multiply fails on cpu"):
        matmul.workload(16, CPU, "bf16")


def test_main_reports_real_timings(matmul, capsys):
    result = matmul.module.main(size=128)
    for key in ("fp32_s", "fp32_gflops", "bf16_s", "bf16_gflops", "bf16_error"):
        assert math.isfinite(result[key]) and result[key] > 0, key
    out = capsys.readouterr().out
    assert "fp32: 128 x 128 matrices, median" in out and "GFLOP/s" in out
    assert "bf16 differs from fp32 by at most" in out
