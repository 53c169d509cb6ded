"""Find the examples under `examples/` and read what each declares, without importing it.

An example is a plain Python file; importing it must not measure anything. It defines, as
module-level constants written with literals (and names of earlier literals, `4 * KiB`):

- `TITLE` (str) and `SIZE_LABEL` (str): what the page is called and what "size" means;
- `SIZES` (dict): `{"quick": [...], "full": [...]}`, the sweep for each profile;
- `BENCHMARK_VERSION` (int): bumped whenever the workload changes, so old results are not
  compared with new ones;
- `VARIANTS` (list of str): the variants measured at every size, each a line in the figure;
- `METRIC` (str): the throughput the figure plots: "flops" (GFLOP/s), "bytes" (GB/s) or
  "items" (items/s, with `ITEM_UNIT` naming them, e.g. "samples");

and the functions

- `work(size, variant) -> whygpu.contract.Work`: the cost of one call, known without running it;
- `workload(size, device, variant) -> callable`: builds the inputs on `device` and returns the
  call to time; raises `whygpu.contract.Unsupported` where the variant cannot run there;
- optionally `measure(size, device, variant, *, threads, plan) -> Timing`, for an example the
  in-process harness cannot time (training across processes): it runs its own clock.

The constants are read from the source with `ast`, so the figures, the site and the checks know
an example without torch; only the runner and the example checks import it (`load`).
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from whygpu.contract.names import METRICS, PROFILES, SAFE_NAME


class ExampleError(ValueError):
    """An example file does not follow the contract; the message names the file and attribute."""


def paths(root: Path) -> list[Path]:
    """Every example file under `root`, by slug; files starting with `_` are helpers, not pages."""
    return sorted(p for p in Path(root).glob("*.py") if not p.name.startswith("_"))


def select(root: Path, only: list[str] | None = None) -> list[Path]:
    """The example files under `root`, restricted to the slugs in `only` when given."""
    found = {p.stem: p for p in paths(root)}
    if not only:
        return list(found.values())
    unknown = sorted(set(only) - set(found))
    if unknown:
        raise ExampleError(
            f"--only: no example named {', '.join(unknown)} in {root}/ "
            f"(known: {', '.join(found) or 'none'})"
        )
    return [found[s] for s in sorted(set(only))]


@dataclass(frozen=True)
class ExampleInfo:
    """What an example declares about itself, read from its source."""

    slug: str
    path: Path
    title: str
    size_label: str
    benchmark_version: int
    metric: str
    item_unit: str | None
    variants: list[str]
    sizes_by_profile: dict[str, list[int]]

    def sizes(self, profile: str) -> list[int]:
        return list(self.sizes_by_profile[profile])


_CONSTANTS = {
    "TITLE": str,
    "SIZE_LABEL": str,
    "BENCHMARK_VERSION": int,
    "METRIC": str,
    "VARIANTS": list,
    "SIZES": dict,
}
_LITERAL_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.Dict,
    ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Pow, ast.LShift, ast.USub,
)  # fmt: skip


def constants(source: str, path: Path | str = "<example>") -> dict[str, Any]:
    """Module-level `NAME = <literal>` assignments, evaluated without running the module.

    Arithmetic over numbers and over names bound earlier to literals is allowed; anything else
    (calls, attributes) is left out, so a constant written that way counts as missing.
    """
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise ExampleError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    found: dict[str, Any] = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else None
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Tuple):
            names = getattr(target, "elts", [])
            values = node.value.elts
        elif isinstance(target, ast.Name):
            names, values = [target], [node.value]
        else:
            continue
        for name, value in zip(names, values, strict=False):
            expr = ast.Expression(value)
            if not isinstance(name, ast.Name) or not all(
                isinstance(n, _LITERAL_NODES) for n in ast.walk(expr)
            ):
                continue
            try:
                found[name.id] = eval(compile(expr, str(path), "eval"), {"__builtins__": {}}, found)
            except Exception:  # a name bound to something that is not a literal
                continue
    return found


def read(path: Path) -> ExampleInfo:
    """Read and check what the example at `path` declares; ExampleError says what is wrong."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExampleError(f"{path}: cannot be read: {exc}") from None
    found = constants(source, path)
    for attr, kind in _CONSTANTS.items():
        value = found.get(attr)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ExampleError(
                f"{path}: {attr} must be a {kind.__name__} written as a literal at module "
                f"level, got {value!r}"
            )
    sizes = found["SIZES"]
    for profile in PROFILES:
        sweep = sizes.get(profile)
        if not sweep or not all(isinstance(s, int) and s > 0 for s in sweep):
            raise ExampleError(
                f"{path}: SIZES[{profile!r}] must be a non-empty list of positive ints, "
                f"got {sweep!r}"
            )
        if sorted(set(sweep)) != list(sweep):
            raise ExampleError(f"{path}: SIZES[{profile!r}] must be strictly increasing")
    metric = found["METRIC"]
    if metric not in METRICS:
        raise ExampleError(f"{path}: METRIC must be one of {METRICS}, got {metric!r}")
    item_unit = found.get("ITEM_UNIT") or None
    if metric == "items" and not isinstance(item_unit, str):
        raise ExampleError(f"{path}: METRIC 'items' needs ITEM_UNIT (e.g. 'samples')")
    variants = found["VARIANTS"]
    if (
        not variants
        or len(set(variants)) != len(variants)
        or not all(isinstance(v, str) and SAFE_NAME.match(v) for v in variants)
    ):
        raise ExampleError(
            f"{path}: VARIANTS must be distinct lower-case names ([a-z0-9._-], "
            f"e.g. 'fp32'), got {variants!r}"
        )
    return ExampleInfo(
        slug=path.stem,
        path=path,
        title=found["TITLE"],
        size_label=found["SIZE_LABEL"],
        benchmark_version=found["BENCHMARK_VERSION"],
        metric=metric,
        item_unit=item_unit if metric == "items" else None,
        variants=list(variants),
        sizes_by_profile={p: list(sizes[p]) for p in PROFILES},
    )


def current_versions(root: Path) -> dict[str, int]:
    """Each example's BENCHMARK_VERSION, so runs measured with an older workload read stale."""
    return {info.slug: info.benchmark_version for info in map(read, paths(root))}


@dataclass(frozen=True)
class Example(ExampleInfo):
    """An imported example: what it declares, and the functions the runner calls."""

    module: ModuleType

    def work(self, size: int, variant: str):
        return self.module.work(size, variant)

    def workload(self, size: int, device, variant: str):
        return self.module.workload(size, device, variant)

    @property
    def times_itself(self) -> bool:
        return callable(getattr(self.module, "measure", None))


def load(path: Path) -> Example:
    """Import one example file by path (its `__main__` block does not run) and check it."""
    info = read(path)
    name = f"whygpu_examples.{info.slug}"
    spec = importlib.util.spec_from_file_location(name, info.path)
    if spec is None or spec.loader is None:
        raise ExampleError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        sys.modules.pop(name, None)
        raise
    for func in ("work(size, variant)", "workload(size, device, variant)"):
        if not callable(getattr(module, func.split("(")[0], None)):
            raise ExampleError(f"{path}: must define {func}")
    return Example(**vars(info), module=module)


def discover(root: Path, only: list[str] | None = None) -> list[Example]:
    """Every example under `root`, imported, sorted by slug; `only` restricts to those slugs."""
    return [load(p) for p in select(root, only)]
