"""`python -m whygpu.review.import_probe EXAMPLE.py`: import an example and count its tensor work.

Run in a fresh process by the example checks (whygpu.review.examplecheck), so that what the
example builds at import is counted alone. Prints one JSON line: the tensor operations and
elements made while importing, the size sweeps, and any size whose work per call is zero.
"""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any, ClassVar

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from whygpu.contract import examples
from whygpu.contract.names import PROFILES


class CountOps(TorchDispatchMode):
    """Counts every tensor operation dispatched, and the elements of what they return."""

    totals: ClassVar[dict[str, int]] = {"ops": 0, "elements": 0}

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        self.totals["ops"] += 1
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                self.totals["elements"] += t.numel()
        return out


def probe(path: str) -> dict[str, Any]:
    report: dict[str, Any] = {"ops": 0, "elements": 0}
    try:
        with CountOps():
            example = examples.load(pathlib.Path(path))
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {exc}"
        return report
    report.update(CountOps.totals)
    report["sizes"] = {p: example.sizes(p) for p in PROFILES}
    zero = []
    for profile in PROFILES:
        for size in example.sizes(profile):
            for variant in example.variants:
                amount = example.work(size, variant).amount(example.metric)
                if not amount > 0:
                    zero.append(f"work({size}, {variant!r}) gives {amount!r}")
    report["zero_work"] = zero[:3]
    report["metric"] = example.metric
    return report


if __name__ == "__main__":
    print(json.dumps(probe(sys.argv[1])))
