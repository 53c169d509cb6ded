"""The fixed-cost example: its smallest calls run on a CPU, the GPU-only ones skip saying why,
and every call counts as one item, so the throughput panel reads calls per second."""

from __future__ import annotations

import pytest
import torch

from whygpu.contract import Unsupported

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def overhead(all_examples):
    return all_examples["overhead"]


def test_contract(overhead):
    assert overhead.metric == "items" and overhead.item_unit == "calls"
    assert set(overhead.sizes("quick")) <= set(overhead.sizes("full"))
    for variant in overhead.variants:
        for size in overhead.sizes("full"):
            assert overhead.work(size, variant).items == 1  # one call, one item


def test_the_cpu_calls_run_and_compute(overhead):
    z = overhead.workload(4, CPU, "dispatch")()
    x = torch.rand(4, generator=torch.Generator().manual_seed(0))
    assert torch.equal(z, x + 1)
    assert isinstance(overhead.workload(1, CPU, "read-item")(), float)
    assert torch.equal(overhead.workload(4, CPU, "eager")(), x + 1)


@pytest.mark.parametrize("variant", ["cuda-sync", "copy-h2d", "copy-d2h", "graph"])
def test_gpu_only_calls_skip_on_a_cpu_saying_why(overhead, variant):
    with pytest.raises(Unsupported, match=r"GPU|CUDA"):
        overhead.workload(4, CPU, variant)


def test_a_copy_counts_the_bytes_that_cross_and_no_flops(overhead):
    cost = overhead.work(1024, "copy-h2d")
    assert cost.bytes_moved == 4 * 1024 and cost.flops == 0
