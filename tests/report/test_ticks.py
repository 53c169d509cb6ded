"""Axis labels name one size each: decimal and binary multiples never share a label."""

from __future__ import annotations

import pytest

from whygpu.report.ticks import short, size_ticks


@pytest.mark.parametrize(
    ("n", "label"),
    [(16, "16"), (1000, "1k"), (1024, "1Ki"), (1536, "1.5Ki"), (2**20, "1Mi"), (10**8, "100M"),
     (1234, "1,234")],
)  # fmt: skip
def test_each_size_has_its_own_label(n, label):
    assert short(n) == label


def test_no_two_sizes_share_a_label():
    sizes = sorted({*range(1, 5000), *(10**k for k in range(9)), *(2**k for k in range(31))})
    labels = [short(n) for n in sizes]
    assert len(set(labels)) == len(labels)


def test_at_most_the_asked_number_of_ticks():
    series = [{"points": [{"size": 2**k} for k in range(4, 13)]}]
    sizes, labels = size_ticks(series, most=3)
    assert len(sizes) <= 3 and labels == [short(s) for s in sizes]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (60, "60"),
        (1000, "1k"),
        (100_000, "100k"),
        (2_500_000, "2.5M"),
        (1e9, "1G"),
        (0.01, "0.01"),
        (0, "0"),
    ],
)
def test_value_ticks_use_si_prefixes(value, text):
    from whygpu.report.ticks import plain

    assert plain(value, 0) == text
