"""The crossover example computes the right results, skips end-to-end on the CPU, and runs."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from whygpu.contract import Unsupported, examples
from whygpu.measure.devices import gpu_device

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def crossover(all_examples):
    return all_examples["crossover"]


def reference(module, size: int, op: str) -> torch.Tensor:
    """The expected result in float64, computed another way (sums of products, and im2col)."""
    a, b = (t.double() for t in module.inputs(size, op))
    if op == "matmul":
        return (a[:, :, None] * b[None, :, :]).sum(dim=1)
    columns = F.unfold(a, module.KERNEL, padding=module.KERNEL // 2)  # (1, C*3*3, n*n)
    out = b.reshape(module.CHANNELS, -1) @ columns[0]
    return out.reshape(1, module.CHANNELS, size, size)


@pytest.mark.parametrize("size", [1, 7, 16, 33])
@pytest.mark.parametrize("variant", ["matmul", "conv2d"])
def test_compute_matches_a_reference(crossover, variant, size):
    out = crossover.workload(size, CPU, variant)()
    expected = reference(crossover.module, size, variant)
    assert out.dtype == torch.float32
    assert tuple(out.shape) == tuple(expected.shape)
    torch.testing.assert_close(out.double(), expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("variant", ["matmul-e2e", "conv2d-e2e"])
def test_end_to_end_is_unsupported_on_the_cpu(crossover, variant):
    with pytest.raises(Unsupported, match="already lives where it is computed") as info:
        crossover.workload(16, CPU, variant)
    assert "compare a GPU's end-to-end time with the CPU's compute time" in str(info.value)


def test_unknown_variant_is_an_error(crossover):
    with pytest.raises(ValueError, match="unknown variant"):
        crossover.work(16, "conv3d")
    with pytest.raises(ValueError, match="unknown variant"):
        crossover.workload(16, CPU, "matmul-gpu")


def test_work_counts(crossover):
    m = crossover.module
    assert crossover.metric == "flops"
    assert crossover.variants == ["matmul", "matmul-e2e", "conv2d", "conv2d-e2e"]
    assert crossover.work(64, "matmul").flops == 2 * 64**3
    assert crossover.work(64, "matmul").bytes_moved == 4 * 3 * 64 * 64
    conv_flops = 2 * m.CHANNELS * m.CHANNELS * 9 * 64 * 64
    assert crossover.work(64, "conv2d").flops == conv_flops
    for variant in ("matmul", "conv2d"):
        alone, e2e = crossover.work(64, variant), crossover.work(64, f"{variant}-e2e")
        assert e2e.flops == alone.flops  # the same useful work, timed end to end
        assert not alone.params["end_to_end"] and alone.params["bytes_transferred"] == 0
        assert e2e.params["end_to_end"] and e2e.params["bytes_transferred"] == e2e.bytes_moved
    for profile in examples.PROFILES:
        for size in crossover.sizes(profile):
            for variant in crossover.variants:
                cost = crossover.work(size, variant)
                assert cost.flops > 0 and cost.bytes_moved > 0


def test_inputs_are_deterministic_cpu_tensors(crossover):
    first = crossover.module.inputs(8, "conv2d")
    again = crossover.module.inputs(8, "conv2d")
    assert [tuple(t.shape) for t in first] == [(1, 32, 8, 8), (32, 32, 3, 3)]
    assert all(t.device.type == "cpu" for t in first)
    assert all(torch.equal(x, y) for x, y in zip(first, again, strict=True))


def test_main_reports_real_timings(crossover, capsys):
    rows = crossover.module.main(sizes=(16, 64))
    out = capsys.readouterr().out
    assert [r["size"] for r in rows if r["variant"] == "matmul-e2e"] == (
        [16, 64] if gpu_device() else []
    )
    assert {r["size"] for r in rows} == {16, 64}
    for row in rows:
        assert math.isfinite(row["median_s"]) and row["median_s"] > 0
        assert math.isfinite(row["gflops"]) and row["gflops"] > 0
    assert "GFLOP/s" in out and "n=64" in out
    if gpu_device() is None:
        assert "no GPU" in out


@pytest.mark.gpu
@pytest.mark.parametrize("variant", ["matmul", "matmul-e2e", "conv2d", "conv2d-e2e"])
def test_gpu_variants_match_the_reference(crossover, variant):
    device = gpu_device()
    op = variant.removesuffix("-e2e")
    out = crossover.workload(33, device, variant)()
    assert out.device.type == ("cpu" if variant.endswith("-e2e") else device.type)
    # GPUs may use TF32 for float32 convolutions (PyTorch's default for cuDNN): looser tolerance
    torch.testing.assert_close(
        out.cpu().double(), reference(crossover.module, 33, op), rtol=1e-2, atol=5e-2
    )
