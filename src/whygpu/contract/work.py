"""How much work one call of an example does, and how an example says it cannot run."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from whygpu.contract.names import METRIC_FIELDS


@dataclass(frozen=True)
class Work:
    """The cost of one call at one size, known without running it.

    `flops` counts floating-point operations (a multiply-add is two). `bytes_moved` is the least
    traffic to main memory: inputs read once, outputs written once. With a time they give
    throughput, and their ratio places the call on a roofline. `params` says what the size means
    (shapes, dtype) and is stored with every result. `items` counts whole units of work (training
    samples, say) for examples whose throughput is best read as items per second.
    """

    flops: float
    bytes_moved: float
    params: dict[str, object] = field(default_factory=dict)
    items: float = 0.0  # items one call processes (e.g. training samples), for items/s

    def __post_init__(self) -> None:
        for name in ("flops", "bytes_moved", "items"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"Work.{name} must be a finite number >= 0, got {value!r}")

    def amount(self, metric: str) -> float:
        """What a figure's throughput counts for `metric`: "flops", "bytes" or "items"."""
        return float(getattr(self, METRIC_FIELDS[metric]))

    @property
    def intensity(self) -> float | None:
        """Arithmetic intensity in FLOPs per byte, the x-axis of a roofline."""
        return self.flops / self.bytes_moved if self.bytes_moved else None


class Unsupported(Exception):
    """Raised by an example's `workload` when a variant cannot run on a device.

    The runner records the point as skipped with this message as the reason, and goes on.
    """


def amount(point: Mapping[str, object], metric: str) -> float:
    """The same count from a results point (a dict with the fields `Work` writes)."""
    value = point[METRIC_FIELDS[metric]]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"a point's {METRIC_FIELDS[metric]} must be a number, got {value!r}")
    return float(value)
