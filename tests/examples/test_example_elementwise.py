"""The element-wise example adds correctly into a fixed buffer, counts its bytes, and runs."""

from __future__ import annotations

import math
import re

import pytest
import torch

CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def elementwise(all_examples):
    return all_examples["elementwise"]


def test_contract(elementwise):
    assert elementwise.metric == "bytes"
    assert elementwise.variants == ["add"]
    quick, full = elementwise.sizes("quick"), elementwise.sizes("full")
    assert quick == [10**k for k in range(2, 9)]
    assert set(quick) <= set(full) and full[0] == 100 and full[-1] == 10**8
    assert 316 in full and 31_622_777 in full  # half-decades in between


@pytest.mark.parametrize("size", [1, 100, 12_345])
def test_the_call_adds_into_a_preallocated_output(elementwise, size):
    call = elementwise.workload(size, CPU, "add")
    z = call()
    x, y = elementwise.module.inputs(size, CPU)
    assert z.shape == (size,) and z.dtype == torch.float32
    assert torch.equal(z, x + y)
    z.zero_()
    again = call()
    assert again.data_ptr() == z.data_ptr()  # the same buffer every call: nothing allocated
    assert torch.equal(again, x + y)


def test_work_counts_one_flop_and_twelve_bytes_per_element(elementwise):
    cost = elementwise.work(1_000_000, "add")
    assert cost.flops == 1_000_000
    assert cost.bytes_moved == 12_000_000  # read x and y, write z, 4 bytes each
    assert cost.params == {"elements": 1_000_000, "dtype": "float32", "op": "add"}


def test_main_reports_real_timings(elementwise, capsys):
    result = elementwise.module.main(small=100, large=200_000)
    for key in ("small_s", "small_gbytes", "large_s", "large_gbytes"):
        assert math.isfinite(result[key]) and result[key] > 0, key
    out = capsys.readouterr().out
    lines = re.findall(
        r"^ *([\d,]+) elements: median [\d.]+ [um]s per call .* = [\d.]+ GB/s$", out, re.M
    )
    assert lines == ["100", "200,000"], out
    assert "2,000 times more elements took" in out
