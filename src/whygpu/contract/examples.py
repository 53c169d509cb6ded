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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from whygpu.contract.meaning import Declared, ExampleMeaning, parse
from whygpu.contract.names import METRICS, PROFILES, SAFE_NAME
from whygpu.contract.work import Work


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
    meaning: ExampleMeaning

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
#: Declarations the report reads where an example makes them (whygpu.contract.meaning).
_OPTIONAL = ("ITEM_UNIT", "MEANING", "CITED_BESIDE", "FINDS_CROSSOVER")
_LITERAL_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.List, ast.Tuple, ast.Dict,
    ast.BinOp, ast.UnaryOp, ast.Add, ast.Sub, ast.Mult, ast.Pow, ast.LShift, ast.USub,
)  # fmt: skip


@dataclass
class Constants:
    """The module-level constants of an example's source: those read, and those that could not
    be (name -> the line and why), so a declaration the contract needs is refused by line."""

    values: dict[str, Any] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)


def constants(source: str, path: Path | str = "<example>") -> Constants:
    """Module-level `NAME = <literal>` (and `NAME: type = <literal>`) assignments, evaluated
    without running the module.

    Arithmetic over numbers and over names bound earlier to literals is allowed; anything else
    (calls, attributes) is recorded as unreadable with its line, for `read` to refuse where the
    contract needs that constant.
    """
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise ExampleError(f"{path}: line {exc.lineno}: {exc.msg}") from None
    out = Constants()
    for node in tree.body:
        for name, value in _bindings(node):
            line = f"line {value.lineno}"
            expr = ast.Expression(value)
            odd = next((n for n in ast.walk(expr) if not isinstance(n, _LITERAL_NODES)), None)
            if odd is not None:
                what = type(odd).__name__.lower()
                out.unreadable[name] = f"{line}: {name} is not a literal (it holds a {what})"
                out.values.pop(name, None)
                continue
            try:
                out.values[name] = eval(  # only literal nodes, no builtins: nothing can run
                    compile(expr, str(path), "eval"), {"__builtins__": {}}, dict(out.values)
                )
                out.unreadable.pop(name, None)
            except Exception as exc:  # a name bound to something that is not a literal
                out.unreadable[name] = (
                    f"{line}: {name} cannot be read without running the file ({exc})"
                )
                out.values.pop(name, None)
    return out


def _bindings(node: ast.stmt) -> list[tuple[str, ast.expr]]:
    """(name, value) pairs a module-level statement binds: `A = 1`, `A, B = 1, 2`, `A: int = 1`."""
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value:
        return [(node.target.id, node.value)]
    if not isinstance(node, ast.Assign):
        return []
    pairs: list[tuple[str, ast.expr]] = []
    for target in node.targets:
        if isinstance(target, ast.Name):
            pairs.append((target.id, node.value))
        elif (
            isinstance(target, ast.Tuple)
            and isinstance(node.value, ast.Tuple)
            and len(target.elts) == len(node.value.elts)
        ):
            pairs += [
                (t.id, v)
                for t, v in zip(target.elts, node.value.elts, strict=True)
                if isinstance(t, ast.Name)
            ]
    return pairs


def read(path: Path) -> ExampleInfo:
    """Read and check what the example at `path` declares; ExampleError says what is wrong."""
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExampleError(f"{path}: cannot be read: {exc}") from None
    read_ = constants(source, path)
    found = read_.values
    for attr in (*_CONSTANTS, *_OPTIONAL):
        if attr in read_.unreadable:
            raise ExampleError(f"{path}: {read_.unreadable[attr]}; write it as a literal")
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
    try:
        meaning = ExampleMeaning(
            variants=parse(found.get("MEANING", {}), list(variants), str(path)),
            cited_beside=_optional(found, "CITED_BESIDE", str, path),
            finds_crossover=bool(_optional(found, "FINDS_CROSSOVER", bool, path)),
        )
    except ValueError as exc:
        raise ExampleError(str(exc)) from None
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
        meaning=meaning,
    )


def _optional(found: dict[str, Any], attr: str, kind: type, path: Path) -> Any:
    value = found.get(attr)
    if value is not None and not isinstance(value, kind):
        raise ExampleError(f"{path}: {attr} must be a {kind.__name__}, got {value!r}")
    return value


def declared(root: Path) -> Declared:
    """What each example under `root` declares its variants mean, by slug (no torch)."""
    return Declared({info.slug: info.meaning for info in map(read, paths(root))})


def current_versions(root: Path) -> dict[str, int]:
    """Each example's BENCHMARK_VERSION, so runs measured with an older workload read stale."""
    return {info.slug: info.benchmark_version for info in map(read, paths(root))}


@dataclass(frozen=True)
class Example(ExampleInfo):
    """An imported example: what it declares, and the functions the runner calls."""

    module: ModuleType

    def work(self, size: int, variant: str) -> Work:
        cost: Work = self.module.work(size, variant)
        return cost

    def workload(self, size: int, device: Any, variant: str) -> Callable[[], object]:
        """`device` is a torch.device: the contract names no torch type."""
        call: Callable[[], object] = self.module.workload(size, device, variant)
        return call

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
