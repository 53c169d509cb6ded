"""The examples' declared meaning (whygpu.contract.meaning), read once from examples/ where a
caller does not hand it in: the report asks here instead of parsing variant names."""

from __future__ import annotations

import functools

from whygpu.contract.examples import declared
from whygpu.contract.meaning import Declared
from whygpu.contract.names import EXAMPLES_DIR


@functools.cache
def _from_examples() -> Declared:
    return declared(EXAMPLES_DIR) if EXAMPLES_DIR.is_dir() else Declared({})


def or_default(given: Declared | None) -> Declared:
    """`given`, else what the examples under examples/ declare (nothing where there are none)."""
    return _from_examples() if given is None else given
