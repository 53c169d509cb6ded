"""The cost of one call: validated when built, and read the same way from a results point."""

from __future__ import annotations

import math

import pytest

from whygpu.contract import Work
from whygpu.contract.names import METRIC_FIELDS, METRICS
from whygpu.contract.work import amount


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, True, "3"])
def test_work_rejects_what_is_not_a_count(bad):
    with pytest.raises(ValueError, match=r"Work\.flops must be a finite number"):
        Work(flops=bad, bytes_moved=1.0)


def test_the_metric_picks_the_same_count_from_work_and_from_a_point():
    work = Work(flops=6.0, bytes_moved=4.0, items=2.0)
    point = {"flops": 6.0, "bytes_moved": 4.0, "items": 2.0}
    assert [work.amount(m) for m in METRICS] == [6.0, 4.0, 2.0]
    assert [amount(point, m) for m in METRICS] == [6.0, 4.0, 2.0]
    assert set(METRIC_FIELDS.values()) <= set(point)
    assert work.intensity == 1.5 and Work(1.0, 0.0).intensity is None


def test_each_metric_names_the_field_that_holds_it():
    assert tuple(METRIC_FIELDS) == METRICS


def test_a_point_whose_count_is_not_a_number_is_refused():
    with pytest.raises(TypeError, match="bytes_moved must be a number"):
        amount({"bytes_moved": "4"}, "bytes")
