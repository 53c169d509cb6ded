"""`python -m whygpu` / `whygpu`: run benchmarks, redraw figures, validate results files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

EXIT_NO_DEVICE = 3


def _run(args: argparse.Namespace) -> int:
    from whygpu import examples, provenance, runner
    from whygpu.devices import DeviceUnavailable, resolve

    try:
        resolve(args.accelerator)
    except DeviceUnavailable as exc:
        print(f"whygpu run --accelerator {args.accelerator}: {exc}", file=sys.stderr)
        return EXIT_NO_DEVICE
    found = examples.discover(Path(args.examples), args.only)
    machine = args.machine or provenance.machine_name()
    print(
        f"machine: {machine}   profile: {args.profile}   accelerator: {args.accelerator}   "
        f"examples: {', '.join(e.slug for e in found)}"
    )
    started = time.perf_counter()
    options = runner.RunOptions(
        accelerator=args.accelerator,
        profile=args.profile,
        machine=machine,
        force=args.force,
        results_dir=Path(args.results),
        num_threads=args.threads,
    )
    for example in found:
        report = runner.run_example(example, options)
        parts = [f"{report.measured} measured"]
        if report.reused:
            parts.append(f"{report.reused} reused from an earlier run (--force remeasures)")
        if report.skipped:
            parts.append(f"{len(report.skipped)} skipped")
        if report.noisy:
            parts.append(f"noisy (IQR > 10% of median) at {', '.join(report.noisy)}")
        print(f"{example.slug} [{args.accelerator}]: {', '.join(parts)} -> {report.path}")
        grouped: dict[tuple[str, str], list[int]] = {}
        for variant, size, reason in report.skipped:
            grouped.setdefault((variant, reason), []).append(size)
        for (variant, reason), sizes in grouped.items():
            print(f"    {variant} skipped at size {', '.join(map(str, sizes))}: {reason}")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


def _figures(args: argparse.Namespace) -> int:
    from whygpu import figures

    written = figures.draw_all(Path(args.results), Path(args.out))
    for path in written:
        print(f"wrote {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from whygpu import examples, results

    known = [p.stem for p in Path(args.examples).glob("*.py")] if args.examples else None
    paths = [Path(p) for p in args.paths] or sorted(Path("results").glob("*/*.json"))
    if not paths:
        print("validate: no results files found under results/", file=sys.stderr)
        return 1
    bad = 0
    for path in paths:
        try:
            results.load(path, known)
        except (results.ResultsError, examples.ExampleError) as exc:
            print(f"INVALID {exc}", file=sys.stderr)
            bad += 1
        else:
            print(f"ok      {path}")
    return 1 if bad else 0


def _probe(args: argparse.Namespace) -> int:
    from whygpu.devices import NO_GPU_REASON, gpu_device

    device = gpu_device()
    if device is None:
        print(NO_GPU_REASON)
        return EXIT_NO_DEVICE
    from whygpu.devices import device_name

    print(f"{device} ({device_name(device)})")
    return 0


def _selfcheck(args: argparse.Namespace) -> int:
    from whygpu import selfcheck

    selfcheck.run(n=args.n, rounds=args.rounds, seconds=args.seconds)
    return 0


def _machine(args: argparse.Namespace) -> int:
    from whygpu import provenance

    print(provenance.machine_name())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="whygpu", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="measure the examples on one accelerator")
    run.add_argument("--accelerator", choices=("cpu", "gpu"), default="cpu")
    profile = run.add_mutually_exclusive_group()
    profile.add_argument(
        "--quick",
        dest="profile",
        action="store_const",
        const="quick",
        help="the short size sweep (default)",
    )
    profile.add_argument(
        "--full",
        dest="profile",
        action="store_const",
        const="full",
        help="the long size sweep with more samples per point",
    )
    run.set_defaults(profile="quick")
    run.add_argument(
        "--only", action="append", metavar="SLUG", help="measure only this example (repeatable)"
    )
    run.add_argument(
        "--machine",
        type=_machine_name,
        metavar="NAME",
        help="results folder name (default: derived from the CPU and GPU models)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="remeasure points that an earlier run with the same settings measured",
    )
    run.add_argument(
        "--threads",
        type=_positive_int,
        metavar="N",
        help="CPU threads (default: the physical cores this process may use)",
    )
    run.add_argument("--examples", default="examples", metavar="DIR")
    run.add_argument("--results", default="results", metavar="DIR")
    run.set_defaults(func=_run)

    fig = sub.add_parser("figures", help="redraw every figure from the results files")
    fig.add_argument("--results", default="results", metavar="DIR")
    fig.add_argument("--out", default="docs/assets/figures", metavar="DIR")
    fig.set_defaults(func=_figures)

    val = sub.add_parser("validate", help="check results files against the schema")
    val.add_argument("paths", nargs="*", metavar="PATH")
    val.add_argument(
        "--examples",
        default="examples",
        metavar="DIR",
        help="folder whose example names results may refer to ('' to allow any)",
    )
    val.set_defaults(func=_validate)

    probe = sub.add_parser("probe", help=f"print the GPU, or exit {EXIT_NO_DEVICE} without one")
    probe.set_defaults(func=_probe)

    check = sub.add_parser(
        "selfcheck", help="harness vs an independent clock vs the CPU's peak, for FP32 matmul"
    )
    check.add_argument("--n", type=_positive_int, default=2048)
    check.add_argument("--rounds", type=_positive_int, default=5)
    check.add_argument("--seconds", type=float, default=1.5, help="timing per round and method")
    check.set_defaults(func=_selfcheck)

    machine = sub.add_parser("machine", help="print this machine's results folder name")
    machine.set_defaults(func=_machine)

    new = sub.add_parser("new-example", help="write examples/SLUG.py from the example template")
    new.add_argument("slug", metavar="SLUG")
    new.add_argument("--title", help="page title (default: from the slug)")
    new.add_argument("--examples", default="examples", metavar="DIR")
    new.set_defaults(func=_new_example)

    checks = sub.add_parser(
        "check-examples", help="the checks an example must pass before review (all by default)"
    )
    checks.add_argument("paths", nargs="*", metavar="PATH")
    checks.add_argument("--examples", default="examples", metavar="DIR")
    checks.add_argument(
        "--no-run", action="store_true", help="skip the standalone run of each example"
    )
    checks.set_defaults(func=_check_examples)
    return p


def _new_example(args: argparse.Namespace) -> int:
    from whygpu.scaffold import ScaffoldError, new_example

    try:
        path = new_example(args.slug, Path(args.examples), args.title)
    except ScaffoldError as exc:
        print(f"new-example: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}: a working example (ReLU over fp32 arrays) to make your own")
    print("next:")
    print(f"  python {path}                           # runs on its own")
    print(f"  nox -s check_examples -- {path}   # the checks a reviewer relies on")
    print(f"  nox -s benchmarks -- --only {args.slug}        # measure it, redraw the figures")
    print("  nox -s docs -- serve                       # its page is already in the nav")
    return 0


def _check_examples(args: argparse.Namespace) -> int:
    from whygpu.examplecheck import problems

    paths = [Path(p) for p in args.paths] or sorted(
        p for p in Path(args.examples).glob("*.py") if not p.name.startswith("_")
    )
    if not paths:
        print(f"check-examples: no examples under {args.examples}/", file=sys.stderr)
        return 1
    failed = 0
    for path in paths:
        found = problems(path, run=not args.no_run)
        for line in found:
            print(f"FIX     {line}", file=sys.stderr)
        if not found:
            print(f"ok      {path}")
        failed += bool(found)
    return 1 if failed else 0


def _machine_name(text: str) -> str:
    from whygpu.results import SAFE_NAME

    if not SAFE_NAME.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a folder name results accept: use lower-case letters, digits, "
            "'.', '_' and '-' (at most 80)"
        )
    return text


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted: finished points are kept; rerun to resume", file=sys.stderr)
        return 130
    except Exception as exc:
        from whygpu.examples import ExampleError
        from whygpu.locks import Busy
        from whygpu.results import ResultsError

        if isinstance(exc, (ExampleError, ResultsError, Busy)):
            print(f"whygpu {args.command}: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
