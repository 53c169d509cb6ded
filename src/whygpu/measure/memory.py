"""The CPU's sustained memory bandwidth, from a STREAM-style triad: the roofline's memory roof.

`a = b + s * c` over three FP32 arrays far larger than any cache, counted as STREAM counts it
(two arrays read, one written, 12 bytes an element; write-allocate traffic not counted), timed
by the harness with torch's own multi-threaded kernel, as the examples are.
"""

from __future__ import annotations

import torch

from whygpu.measure.timing import TimingPlan, measure

#: 3 x 128 MiB: beyond the last-level cache of any CPU these pages are measured on.
ELEMENTS = 32 * 1024 * 1024
PLAN = TimingPlan(min_run_time=0.3, min_blocks=5, warmup_calls=2)


def triad_bandwidth(num_threads: int, elements: int = ELEMENTS) -> tuple[float, str]:
    """Bytes a second the triad sustains on the CPU with `num_threads`, and how it was found."""
    b = torch.rand(elements)
    c = torch.rand(elements)
    a = torch.empty(elements)
    timing = measure(
        lambda: torch.add(b, c, alpha=3.0, out=a),
        torch.device("cpu"),
        num_threads=num_threads,
        plan=PLAN,
    )
    bytes_moved = 3 * 4 * elements
    rate = bytes_moved / timing.median_s
    mib = 4 * elements // 2**20
    return rate, (
        f"measured: STREAM-style triad a = b + 3c on 3 x {mib} MiB of FP32 with "
        f"{num_threads} threads, median of {len(timing.samples_s)} blocks, 12 bytes an element"
    )
