"""Checks an example must pass before review, each failure saying what to fix.

An example is a page, a benchmark and a script at once, so it is rejected when it has no prose
to read, no size sweep to plot, no work per call to turn time into throughput, no figure on its
page, a standalone run that fails, or heavy work at import (the runner, the tests and the site
all import every example, so that cost would be paid everywhere).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

MIN_PROSE_WORDS = 60
MIN_SIZES = 3
#: Importing may build a few small constants; more than this is work that belongs in
#: workload() or main().
MAX_IMPORT_OPS = 100
MAX_IMPORT_ELEMENTS = 1_000_000
CELL = re.compile(r"^# %%(.*)$", re.MULTILINE)

_PROBE = r"""
import json, sys
import torch
from torch.utils._python_dispatch import TorchDispatchMode

class Count(TorchDispatchMode):
    ops = 0
    elements = 0
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        Count.ops += 1
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor):
                Count.elements += t.numel()
        return out

from whygpu import examples
report = {"ops": 0, "elements": 0}
try:
    with Count():
        example = examples.load(sys.argv[1])
except Exception as exc:
    report["error"] = f"{type(exc).__name__}: {exc}"
    print(json.dumps(report)); sys.exit(0)
report.update(ops=Count.ops, elements=Count.elements)
report["sizes"] = {p: example.sizes(p) for p in examples.PROFILES}
zero = []
for profile in examples.PROFILES:
    for size in example.sizes(profile):
        for variant in example.variants:
            amount = example.work(size, variant).amount(example.metric)
            if not amount > 0:
                zero.append(f"work({size}, {variant!r}) gives {amount!r}")
report["zero_work"] = zero[:3]
report["metric"] = example.metric
print(json.dumps(report))
"""


def prose_words(text: str) -> int:
    """Words in the markdown cells, headings and images left out."""
    cells = CELL.split(text)
    words = 0
    # split gives [before, header1, body1, header2, body2, ...]
    for header, body in zip(cells[1::2], cells[2::2], strict=True):
        if "[markdown]" not in header:
            continue
        for line in body.splitlines():
            line = line.removeprefix("#").strip()
            if line.startswith(("#", "![")):
                continue
            words += len(re.findall(r"[A-Za-z]{2,}", line))
    return words


def problems(path: Path, run: bool = True, timeout: float = 300) -> list[str]:
    """What `path` must fix before review; empty when it passes every check."""
    path = Path(path)
    slug = path.stem
    text = path.read_text(encoding="utf-8")
    found: list[str] = []

    def problem(what: str) -> None:
        found.append(f"{path}: {what}")

    words = prose_words(text)
    if words < MIN_PROSE_WORDS:
        problem(
            f"has no prose ({words} words in markdown cells): add a '# %% [markdown]' cell that "
            f"says what is measured and why it matters, at least {MIN_PROSE_WORDS} words"
        )
    for variant in (f"{slug}.svg#only-light", f"{slug}-dark.svg#only-dark"):
        if f"assets/figures/{variant}" not in text:
            problem(
                f"its page shows no figure: add '![what the figure shows]"
                f"(../../assets/figures/{variant})' to a markdown cell"
            )

    probe = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, timeout=timeout
    )
    try:
        report = json.loads(probe.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        problem(f"cannot be imported: {_tail(probe.stderr)}")
        return found
    if "error" in report:
        problem(f"breaks the example contract: {report['error']}")
        return found
    if report["ops"] > MAX_IMPORT_OPS or report["elements"] > MAX_IMPORT_ELEMENTS:
        problem(
            f"does heavy work at import ({report['ops']} tensor operations making "
            f"{report['elements']:,} elements): move it into workload() or main(), which only "
            "run when asked"
        )
    for profile, sizes in report["sizes"].items():
        if len(sizes) < MIN_SIZES:
            problem(
                f"has no size sweep: SIZES[{profile!r}] holds {len(sizes)} size(s); a figure "
                f"needs at least {MIN_SIZES} sizes to show a trend"
            )
    if report["zero_work"]:
        problem(
            f"has no work per call for METRIC {report['metric']!r} ("
            + "; ".join(report["zero_work"])
            + "): work() must count what one call does, so time becomes throughput"
        )
    if run:
        standalone = subprocess.run(
            [sys.executable, str(path.resolve())],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=path.parent,
        )
        if standalone.returncode != 0:
            problem(
                f"fails when run on its own (python {path.name} exited "
                f"{standalone.returncode}): {_tail(standalone.stderr)}"
            )
    return found


def _tail(text: str, lines: int = 3) -> str:
    return " | ".join(text.strip().splitlines()[-lines:]) or "(no output)"
