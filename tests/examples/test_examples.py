"""Each example honours the contract and produces real output on the CPU."""

from __future__ import annotations

import subprocess
import sys

from whygpu.contract import Work
from whygpu.contract.names import PROFILES


def test_every_example_gives_work_for_every_size(all_examples):
    for example in all_examples.values():
        for profile in PROFILES:
            for size in example.sizes(profile):
                for variant in example.variants:
                    cost = example.work(size, variant)
                    assert isinstance(cost, Work)
                    assert cost.amount(example.metric) > 0


def test_importing_an_example_runs_nothing_heavy(root):
    code = (
        "import time, sys; t = time.perf_counter();"
        "from whygpu.contract import examples; examples.load(sys.argv[1]);"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(root / "examples" / "conv2d.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip(), "printed nothing"
    assert "hand-computed" not in out.stdout, "importing ran the example's main block"
