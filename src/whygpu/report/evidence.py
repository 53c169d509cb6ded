"""The GPU side of an example on its reference machine: measured where a GPU ran it, else the
datasheet model. Figures, captions and facts all ask here, so a page reads the same whichever
kind of evidence the GPU side rests on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whygpu.contract.meaning import Declared
from whygpu.report.datasheet import MODEL_GPU
from whygpu.report.declared import or_default
from whygpu.report.models import model_lines
from whygpu.report.reference import reference_machine
from whygpu.report.series import group_series


@dataclass(frozen=True)
class Side:
    """One example on its reference machine: the CPU series, and the GPU side's kind and lines."""

    machine: str
    cpu: list[dict[str, Any]]
    gpu: list[dict[str, Any]]  # measured GPU series, or model lines
    kind: str  # "measured", "model" or "none"

    @property
    def gpu_name(self) -> str | None:
        if self.kind == "measured":
            name: str = self.gpu[0]["run"]["device_name"]
            return name
        return MODEL_GPU.name if self.kind == "model" else None

    @property
    def evidence(self) -> str:
        """How the prose names the GPU side: 'the measured X' or 'the datasheet model of X'."""
        if self.kind == "measured":
            return f"the measured {self.gpu_name}"
        if self.kind == "model":
            return f"the dashed datasheet model of the {self.gpu_name}"
        return "no GPU"

    @property
    def measured(self) -> list[dict[str, Any]]:
        """What the figure draws as measurements (solid): the CPU runs and a GPU run."""
        return self.cpu + (self.gpu if self.kind == "measured" else [])

    @property
    def models(self) -> list[dict[str, Any]]:
        return self.gpu if self.kind == "model" else []


def key_of(line: dict[str, Any]) -> str:
    """The name a GPU line's facts go under: its variant, for a model the variant it stands for."""
    key: str = line.get("key", line["variant"])
    return key


def sides(docs: list[dict[str, Any]], declared: Declared | None = None) -> dict[str, Side]:
    """Each example's reference machine and both its sides."""
    declared = or_default(declared)
    out = {}
    for slug, series in sorted(group_series(docs).items()):
        machine = reference_machine(docs, slug)
        assert machine is not None  # the example has series, so some machine measured it
        mine = [s for s in series if s["doc"]["machine"] == machine]
        cpu = [s for s in mine if s["run"]["accelerator"] == "cpu"]
        gpu = [s for s in mine if s["run"]["accelerator"] == "gpu"]
        if gpu:
            out[slug] = Side(machine, cpu, gpu, "measured")
        else:
            models = model_lines(cpu, declared.of(slug))
            out[slug] = Side(machine, cpu, models, "model" if models else "none")
    return out
