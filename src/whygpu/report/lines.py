"""What a figure draws, as types: a measured `Series` and a datasheet `ModelLine`, each a list of
points. Everything in the report that draws, tables or quotes a line takes one of these, and
`Line` where either will do; `is_model` tells them apart.

A model line is not a measurement dressed as one: its `ModelPoint`s hold one modelled time per
size and the work of the call it models, and no samples, rounds or flags, because a model has
none. In their own module so that series.py (the measured side) and models.py (the model) can
both use them without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, final

from whygpu.store.types import MeasuredPoint, Param, ResultsDoc, Run

if TYPE_CHECKING:  # typing has it from Python 3.13; only the checker reads it
    from typing_extensions import TypeIs

    from whygpu.contract.datasheet import Gpu
    from whygpu.report.cited import Cited


@final
class Series(TypedDict):
    """One machine's run of one variant: its measured points, sorted by size."""

    doc: ResultsDoc
    run: Run
    variant: str
    points: list[MeasuredPoint]


@final
class ModelPoint(TypedDict):
    """The model's time for one call at one size, and the work of that call."""

    size: int
    median_s: float
    flops: float
    bytes_moved: float
    items: float
    params: dict[str, Param]


@final
class ModelLine(TypedDict):
    """A GPU side computed from datasheet peaks, where no GPU has run the example."""

    doc: ResultsDoc  # the measured results it models the GPU side of (metric, size label)
    variant: str  # what the legend calls it: a variant, or several the model cannot tell apart
    key: str  # what a GPU run would measure: the name its facts go under
    of: str  # the measured CPU variant whose sizes and work it models
    points: list[ModelPoint]
    calibrated: bool  # a cited share of peak scales it
    crosses_pcie: bool  # drawn dotted, quoted as end to end
    launch: Cited  # where its launch cost comes from: cited, or measured by a GPU run here
    gpu: Gpu  # whose datasheet it models: the site's model GPU, or one a reader picked


#: A line a figure draws: measured or modelled.
Line = Series | ModelLine
#: A point of either kind: both have a size, a median time and the work of one call.
AnyPoint = MeasuredPoint | ModelPoint


def is_model(line: Line) -> TypeIs[ModelLine]:
    """Whether `line` is a model line (only a model line says what it is a model `of`)."""
    return "of" in line


def key_of(line: Line) -> str:
    """The name a GPU line's facts go under: its variant, for a model the variant it stands for."""
    return line["key"] if is_model(line) else line["variant"]
