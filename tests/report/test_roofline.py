"""The roofline chart's CPU ceilings come from measured points."""

from __future__ import annotations

from whygpu.report import roofline
from whygpu.store import files as results


def test_roofline_ceilings_come_from_measurements(root):
    docs = results.load_all(root / "results")
    ceilings = roofline.cpu_ceilings(docs)
    assert ceilings, "no machine has matmul and elementwise results"
    for c in ceilings.values():
        assert c["gflops"] > 0 and c["gbps"] > 0
