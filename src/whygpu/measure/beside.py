"""One sentence that sets an example's own run beside the machine its figure shows.

An example page is executed on whatever machine builds it (or on a reader's laptop), and its
printed numbers can be far from the figure above them: bf16 at a sixth of fp32 here, twice fp32
there. The sentence names both machines, puts the two runs' rates side by side at the size run,
and says which instruction sets that change speed one machine has and the other lacks, read from
the CPU here and from the figure machine's record (whygpu.report.beside writes it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from whygpu.contract.cpus import ISA_FOR_DTYPE, isa_text
from whygpu.contract.names import FIGURE_MACHINE_FILE, FIGURES_DIR

#: How a fraction below one reads: "a sixth of".
_PARTS = {
    2: "half",
    3: "a third",
    4: "a quarter",
    5: "a fifth",
    6: "a sixth",
    7: "a seventh",
    8: "an eighth",
    9: "a ninth",
    10: "a tenth",
}
_DTYPE_NAMES = {"bfloat16": "bf16", "float32": "fp32"}


def times(r: float) -> str:
    """A ratio as a reader says it: "2.3×", "a sixth of", "93% of"."""
    if r >= 1:
        return f"{r:.1f}\u00d7"
    n = round(1 / r)
    if n in _PARTS and abs(1 / r - n) < 0.25:
        return f"{_PARTS[n]} of"
    return f"{r:.0%} of"


def _cpu_text(cpu: Mapping[str, Any]) -> str:
    gen = cpu.get("microarchitecture")
    isa = isa_text(cpu.get("isa") or []) or "no instruction sets recorded"
    return f"{cpu.get('model') or 'an unnamed CPU'}{f' ({gen})' if gen else ''}, {isa}"


def sentence(
    slug: str,
    size: int,
    mine: Mapping[str, float],
    here: Mapping[str, Any],
    on_cpu: bool = True,
    path: Path | None = None,
) -> str:
    """`mine`: this run's rate per variant, in the figure's unit (GFLOP/s, GB/s...); `here`:
    this CPU's identity (whygpu.measure.hardware.cpu_identity); `path`, the figures' record,
    found from the working folder up (a page runs in examples/, a reader in the checkout)."""
    path = path or _find(FIGURES_DIR / FIGURE_MACHINE_FILE)
    try:
        figures = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"(No figure data at {path} to compare with: run `nox -s figures`.)"
    entry = figures.get(slug)
    if entry is None:
        return f"(The figures hold no CPU run of {slug} to compare with.)"
    machine, unit = entry["machine"], entry["unit"]
    there = {v: entry["variants"][v]["rate"].get(str(size)) for v in mine if v in entry["variants"]}
    if not on_cpu:
        cpu = _cpu_text(entry["cpu"])
        return f"This run used a GPU; the figure's CPU line is {machine}'s ({cpu})."
    if not any(there.values()):
        return f"The figure's machine, {machine}, has no {slug} point at size {size:,}."
    pairs = [
        f"{v} {mine[v]:,.3g} {unit} here against {there[v]:,.3g} there"
        for v in mine
        if there.get(v)
    ]
    text = (
        f"Beside the figure's machine, {machine} ({_cpu_text(entry['cpu'])}, "
        f"{entry['threads']} threads), at size {size:,}: {'; '.join(pairs)}."
    )
    both = [v for v in mine if there.get(v)]
    if len(both) >= 2:
        base, other = both[0], both[1]
        text += (
            f" Here {other} runs at {times(mine[other] / mine[base])} {base}; there at "
            f"{times(there[other] / there[base])} {base}."
        )
    for dtype in sorted({entry["variants"][v]["dtype"] for v in both}):
        text += _isa_difference(dtype, here, entry["cpu"])
    return text


def _find(relative: Path) -> Path:
    """`relative` under the working folder or the nearest folder above that holds it."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / relative).exists():
            return folder / relative
    return relative


def _isa_difference(dtype: str, here: Mapping[str, Any], there: Mapping[str, Any]) -> str:
    """Which of the instruction sets that speed up `dtype` one machine has and the other lacks."""
    relevant = ISA_FOR_DTYPE.get(dtype, ())
    mine = [i for i in relevant if i in (here.get("isa") or [])]
    theirs = [i for i in relevant if i in (there.get("isa") or [])]
    if mine == theirs or not (here.get("isa") and there.get("isa")):
        return ""
    name = _DTYPE_NAMES.get(dtype, dtype)
    has = isa_text(mine) if mine else f"no {name} instructions"
    figure = isa_text(theirs) if theirs else f"no {name} instructions"
    return f" For {name}, this machine has {has}; the figure's machine has {figure}."
