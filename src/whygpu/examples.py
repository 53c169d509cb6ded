"""Find and load the example scripts under `examples/`, checking each honours the contract.

An example is a plain Python file; importing it must not measure anything. It defines:

- `TITLE` (str) and `SIZE_LABEL` (str): what the page is called and what "size" means;
- `SIZES` (dict): `{"quick": [...], "full": [...]}`, the sweep for each profile;
- `BENCHMARK_VERSION` (int): bumped whenever the workload changes, so old results are not
  compared with new ones;
- `VARIANTS` (list of str): the variants measured at every size, each a line in the figure
  (for example `["fp32", "bf16"]`, or `["forward", "forward+backward"]`);
- `METRIC` (str): the throughput the figure plots: "flops" (GFLOP/s), "bytes" (GB/s) or
  "items" (items/s, with `ITEM_UNIT` naming them, e.g. "samples");
- `work(size, variant) -> whygpu.workload.Work`: the cost of one call, known without running it;
- `workload(size, device, variant) -> callable`: builds the inputs on `device` and returns the
  call to time; raises `whygpu.workload.Unsupported` where the variant cannot run on the device.

Optionally, `measure(size, device, variant, *, threads, plan) -> whygpu.timing.Timing` for an
example the in-process harness cannot time, such as training across several processes: it
runs its own clock (by the same rules) and the runner records what it returns.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

PROFILES = ("quick", "full")
METRICS = ("flops", "bytes", "items")


class ExampleError(ValueError):
    """An example file does not follow the contract; the message names the file and attribute."""


@dataclass(frozen=True)
class Example:
    slug: str
    path: Path
    module: ModuleType

    @property
    def title(self) -> str:
        return self.module.TITLE

    @property
    def size_label(self) -> str:
        return self.module.SIZE_LABEL

    @property
    def benchmark_version(self) -> int:
        return self.module.BENCHMARK_VERSION

    @property
    def variants(self) -> list[str]:
        return list(self.module.VARIANTS)

    @property
    def metric(self) -> str:
        return self.module.METRIC

    @property
    def item_unit(self) -> str:
        return getattr(self.module, "ITEM_UNIT", "")

    def sizes(self, profile: str) -> list[int]:
        return list(self.module.SIZES[profile])

    def work(self, size: int, variant: str):
        return self.module.work(size, variant)

    def workload(self, size: int, device, variant: str):
        return self.module.workload(size, device, variant)

    @property
    def times_itself(self) -> bool:
        return callable(getattr(self.module, "measure", None))


def load(path: Path) -> Example:
    """Import one example file by path (without running its `__main__` block) and check it."""
    path = Path(path)
    slug = path.stem
    name = f"whygpu_examples.{slug}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ExampleError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        sys.modules.pop(name, None)
        raise
    _check(path, module)
    return Example(slug=slug, path=path, module=module)


def _check(path: Path, module: ModuleType) -> None:
    for attr, kind in (
        ("METRIC", str),
        ("VARIANTS", list),
        ("TITLE", str),
        ("SIZE_LABEL", str),
        ("BENCHMARK_VERSION", int),
        ("SIZES", dict),
    ):
        value = getattr(module, attr, None)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ExampleError(f"{path}: {attr} must be a {kind.__name__}, got {value!r}")
    for profile in PROFILES:
        sizes = module.SIZES.get(profile)
        if not sizes or not all(isinstance(s, int) and s > 0 for s in sizes):
            raise ExampleError(
                f"{path}: SIZES[{profile!r}] must be a non-empty list of positive ints, "
                f"got {sizes!r}"
            )
        if sorted(set(sizes)) != list(sizes):
            raise ExampleError(f"{path}: SIZES[{profile!r}] must be strictly increasing")
    if module.METRIC not in METRICS:
        raise ExampleError(f"{path}: METRIC must be one of {METRICS}, got {module.METRIC!r}")
    if module.METRIC == "items" and not getattr(module, "ITEM_UNIT", ""):
        raise ExampleError(f"{path}: METRIC 'items' needs ITEM_UNIT (e.g. 'samples')")
    from whygpu.results import SAFE_NAME

    variants = module.VARIANTS
    if (
        not variants
        or len(set(variants)) != len(variants)
        or not all(isinstance(v, str) and SAFE_NAME.match(v) for v in variants)
    ):
        raise ExampleError(
            f"{path}: VARIANTS must be distinct lower-case names ([a-z0-9._-], "
            f"e.g. 'fp32'), got {variants!r}"
        )
    for func in ("work(size, variant)", "workload(size, device, variant)"):
        if not callable(getattr(module, func.split("(")[0], None)):
            raise ExampleError(f"{path}: must define {func}")


def discover(root: Path, only: list[str] | None = None) -> list[Example]:
    """Every example under `root`, sorted by slug; `only` restricts to the named slugs."""
    root = Path(root)
    paths = sorted(p for p in root.glob("*.py") if not p.name.startswith("_"))
    found = {p.stem: p for p in paths}
    if only:
        unknown = sorted(set(only) - set(found))
        if unknown:
            raise ExampleError(
                f"--only: no example named {', '.join(unknown)} in {root}/ "
                f"(known: {', '.join(found) or 'none'})"
            )
        paths = [found[s] for s in sorted(set(only))]
    return [load(p) for p in paths]
