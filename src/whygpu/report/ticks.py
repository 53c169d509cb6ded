"""How the example charts write sizes and numbers on their axes: few labels, short, and never two
sizes with one label (1000 is "1k", 1024 is "1Ki", the binary prefix of IEC 80000-13)."""

from __future__ import annotations

from collections.abc import Sequence

from whygpu.report.lines import Series

_BINARY = ((1 << 30, "Gi"), (1 << 20, "Mi"), (1 << 10, "Ki"))
_DECIMAL = ((10**9, "G"), (10**6, "M"), (10**3, "k"))


def size_ticks(series: Sequence[Series], most: int = 6) -> tuple[list[int], list[str]]:
    """At most `most` labelled sizes (powers of two where there are enough), so labels fit; a
    size in bytes is written as bytes are elsewhere on the site (4 MiB)."""
    in_bytes = bool(series) and "bytes" in series[0].get("doc", {}).get("size_label", "")
    most = min(most, 4) if in_bytes else most  # "256 KiB" is wider than "256"
    sizes = sorted({p["size"] for s in series for p in s["points"]})
    if len(sizes) > most:
        powers = [s for s in sizes if s & (s - 1) == 0]
        sizes = powers if len(powers) >= 3 else sizes
        sizes = sizes[:: -(-len(sizes) // most)]
    return sizes, [short(s, "B" if in_bytes else "") for s in sizes]


def short(n: int, unit: str = "") -> str:
    """1000 -> 1k, 1024 -> 1Ki, 1048576 -> 1Mi, 1536 -> 1.5Ki; else the number, 1,234. With a
    `unit` ("B"): 1 KiB, 4 MiB, 1,000 B."""
    space = " " if unit else ""
    for div, suffix in (*_DECIMAL, *_BINARY):
        if n >= div and n % div == 0:
            return f"{n // div}{space}{suffix}{unit}"
    for div, suffix in _BINARY:  # a half multiple reads better than 1,536
        if n >= div and (2 * n) % div == 0:
            return f"{n / div:g}{space}{suffix}{unit}"
    return f"{n:,}{space}{unit}"


def plain(value: float, _pos: int) -> str:
    """A tick on a value axis with an SI prefix (60, 100k, 1M, 0.01), not 6x10^1 or 1e6: the
    figures' one style for counts, as the text uses commas (whygpu.report.text.number)."""
    for div, suffix in _DECIMAL:
        if abs(value) >= div:
            return f"{value / div:g}{suffix}"
    return f"{value:g}"
