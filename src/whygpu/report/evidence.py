"""The GPU side of an example on its reference machine: measured where a GPU ran it, else the
datasheet model. Figures, captions and facts all ask here, so a page reads the same whichever
kind of evidence the GPU side rests on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whygpu.contract.datasheet import MODEL_GPU
from whygpu.contract.meaning import Declared
from whygpu.report.declared import or_default
from whygpu.report.lines import Line, ModelLine, Series
from whygpu.report.models import launch_row, model_lines
from whygpu.report.reference import reference_machine
from whygpu.report.series import group_series
from whygpu.store.types import ResultsDoc


@dataclass(frozen=True)
class Side:
    """One example on its reference machine: the CPU series, and the GPU side: the GPU's
    measured series where one ran it, else the datasheet model's lines (or neither)."""

    machine: str
    cpu: list[Series]
    gpu_runs: list[Series]  # measured on a GPU
    models: list[ModelLine]  # only where no GPU ran it

    @property
    def kind(self) -> str:
        """What the GPU side rests on: "measured", "model" or "none"."""
        return "measured" if self.gpu_runs else "model" if self.models else "none"

    @property
    def gpu(self) -> Sequence[Line]:
        """The GPU side's lines, measured or modelled."""
        return self.gpu_runs or self.models

    @property
    def gpu_name(self) -> str | None:
        if self.gpu_runs:
            return self.gpu_runs[0]["run"]["device_name"]
        return MODEL_GPU.name if self.models else None

    @property
    def evidence(self) -> str:
        """How the prose names the GPU side: 'the measured X' or 'the datasheet model of X'."""
        if self.kind == "measured":
            return f"the measured {self.gpu_name}"
        if self.kind == "model":
            return f"the dashed datasheet model of the {self.gpu_name}"
        return "no GPU"

    @property
    def measured(self) -> list[Series]:
        """What the figure draws as measurements (solid): the CPU runs and a GPU run."""
        return self.cpu + self.gpu_runs


def sides(docs: list[ResultsDoc], declared: Declared | None = None) -> dict[str, Side]:
    """Each example's reference machine and both its sides."""
    declared = or_default(declared)
    launch = launch_row(docs, declared)
    out = {}
    for slug, series in sorted(group_series(docs).items()):
        machine = reference_machine(docs, slug)
        assert machine is not None  # the example has series, so some machine measured it
        mine = [s for s in series if s["doc"]["machine"] == machine]
        cpu = [s for s in mine if s["run"]["accelerator"] == "cpu"]
        gpu = [s for s in mine if s["run"]["accelerator"] == "gpu"]
        models = [] if gpu else model_lines(cpu, declared.of(slug), launch)
        out[slug] = Side(machine, cpu, gpu, models)
    return out
