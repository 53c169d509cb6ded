"""The contract every other layer agrees on, free of torch: an example's work per call, the
names of metrics, profiles and accelerators, and where examples, results and figures live.

Examples import `Work` and `Unsupported` from here.
"""

from whygpu.contract.work import Unsupported, Work

__all__ = ["Unsupported", "Work"]
