"""What an example's variants mean to the figures, captions and facts, declared by the example.

The report never parses a variant's name for meaning: a line is drawn dotted because its variant
declares that its data crosses PCIe, not because its name ends in "-e2e". An example declares it
in two optional module-level literals:

    MEANING = {
        "add-e2e": {"end_to_end_of": "add"},     # the same call, inputs in and result back
        "h2d": {"copies": "host-to-device", "modelled_as": "link"},
        "ddp-2": {"processes": 2},
        "bf16": {"compare_with": "fp32"},
        "fp32": {"ceiling": "compute"},
        "matmul": {"same_as": "matmul/fp32", "differs_because": "..."},  # another page's quantity
        "dispatch": {"measures": "launch"},  # on a GPU: the model's launch cost, measured
    }
    CITED_BESIDE = "matmul_bf16"   # a cited quantity drawn on the figure (whygpu.report.cited)
    FINDS_CROSSOVER = True         # the page compares CPU and GPU size by size

A variant missing from MEANING means nothing special: a line of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

#: What a variant may say it copies; the first two cross PCIe.
COPIES = ("host-to-device", "device-to-host", "host-to-host")
#: Which of the CPU's ceilings a variant is read against on the roofline and in the facts:
#: "compute", its best point beside the FP32 peak; "memory", its largest size as the bandwidth
#: where a run recorded no triad.
CEILINGS = ("compute", "memory")
#: What a variant's GPU time may stand for in the model: the cost of one kernel launch.
MEASURES = ("launch",)
#: How a variant names another example's variant: "matmul/fp32".
SAME_AS = re.compile(r"^[a-z][a-z0-9_]*/[A-Za-z0-9_.-]+$")
#: How the datasheet model draws a variant no GPU has run: "link", a copy across PCIe.
MODELS = ("link",)


@dataclass(frozen=True)
class VariantMeaning:
    """One variant's declared meaning; every field is optional."""

    end_to_end_of: str | None = None  # the compute variant this one wraps with the copies
    copies: str | None = None  # one of COPIES: a copy, not a computation
    modelled_as: str | None = None  # one of MODELS
    processes: int | None = None  # processes that run one step together
    compare_with: str | None = None  # another variant its facts are quoted against
    ceiling: str | None = None  # one of CEILINGS
    # "<example>/<variant>": the same quantity another example measures, which the site quotes
    # for it; `differs_because` says why the two calls' times may differ, where they do
    same_as: str | None = None
    differs_because: str | None = None
    # one of MEASURES: on a GPU, its smallest size's time is that cost, and a measured one
    # replaces the cited figure in the datasheet model ("launch": one kernel launch)
    measures: str | None = None

    @property
    def crosses_pcie(self) -> bool:
        """Data crosses PCIe inside the timed call: drawn dotted, quoted as end to end."""
        return self.end_to_end_of is not None or self.copies in COPIES[:2]


PLAIN = VariantMeaning()


@dataclass(frozen=True)
class ExampleMeaning:
    """Everything an example declares for the report; `PLAIN_EXAMPLE` where it declares nothing."""

    variants: dict[str, VariantMeaning]
    cited_beside: str | None = None
    finds_crossover: bool = False

    def of(self, variant: str) -> VariantMeaning:
        return self.variants.get(variant, PLAIN)

    def end_to_end(self, compute: str) -> list[str]:
        """The variants that wrap `compute` with its copies across PCIe, in declared order."""
        return [v for v, m in self.variants.items() if m.end_to_end_of == compute]


PLAIN_EXAMPLE = ExampleMeaning(variants={})

_FIELD_TYPES: dict[str, type] = {
    "end_to_end_of": str,
    "copies": str,
    "modelled_as": str,
    "processes": int,
    "compare_with": str,
    "ceiling": str,
    "same_as": str,
    "differs_because": str,
    "measures": str,
}
_CHOICES = {"copies": COPIES, "ceiling": CEILINGS, "modelled_as": MODELS, "measures": MEASURES}


def parse(raw: Any, variants: list[str], where: str) -> dict[str, VariantMeaning]:
    """Check a MEANING literal against the example's VARIANTS; ValueError names what is wrong."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: MEANING must be a dict of variant -> dict, got {raw!r}")
    known = {f.name for f in fields(VariantMeaning)}
    out: dict[str, VariantMeaning] = {}
    for variant, said in raw.items():
        at = f"{where}: MEANING[{variant!r}]"
        if variant not in variants:
            raise ValueError(f"{at}: not one of VARIANTS {variants}")
        if not isinstance(said, dict):
            raise ValueError(f"{at} must be a dict, got {said!r}")
        unknown = sorted(set(said) - known)
        if unknown:
            raise ValueError(f"{at}: unknown key {unknown[0]!r} (known: {', '.join(known)})")
        for key, value in said.items():
            kind = _FIELD_TYPES[key]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise ValueError(f"{at}[{key!r}] must be a {kind.__name__}, got {value!r}")
            if key in _CHOICES and value not in _CHOICES[key]:
                raise ValueError(f"{at}[{key!r}] must be one of {_CHOICES[key]}, got {value!r}")
            if key in ("end_to_end_of", "compare_with") and value not in variants:
                raise ValueError(f"{at}[{key!r}]: {value!r} is not one of VARIANTS {variants}")
        if said.get("processes") is not None and said["processes"] < 1:
            raise ValueError(f"{at}['processes'] must be at least 1, got {said['processes']!r}")
        if "same_as" in said and not SAME_AS.match(said["same_as"]):
            raise ValueError(
                f"{at}['same_as'] must be '<example>/<variant>', got {said['same_as']!r}"
            )
        if "differs_because" in said and "same_as" not in said:
            raise ValueError(
                f"{at}: 'differs_because' needs 'same_as', the quantity it differs from"
            )
        if said.get("modelled_as") == "link" and said.get("copies") not in COPIES[:2]:
            raise ValueError(f"{at}: modelled_as 'link' needs copies across PCIe ({COPIES[:2]})")
        out[variant] = VariantMeaning(**said)
    return out


@dataclass(frozen=True)
class Declared:
    """What every example declares, by slug; an example not (or no longer) in examples/ is plain."""

    examples: dict[str, ExampleMeaning]

    def of(self, slug: str) -> ExampleMeaning:
        return self.examples.get(slug, PLAIN_EXAMPLE)

    def variant(self, slug: str, variant: str) -> VariantMeaning:
        return self.of(slug).of(variant)
