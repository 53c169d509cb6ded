"""`python -m whygpu` / `whygpu`: run benchmarks, redraw figures, check and compare results.

The command line is the top of the package: each command imports the layer it drives when it
runs, so `whygpu validate` and `whygpu figures` never import torch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from whygpu.contract.names import (
    ACCELERATORS,
    EXAMPLES_DIR,
    EXIT_BUSY,
    EXIT_NO_GPU,
    FIGURES_DIR,
    PROFILES,
    RESULTS_DIR,
    SAFE_NAME,
)


def _run(args: argparse.Namespace) -> int:
    from whygpu.measure import session

    return session.run(
        args.accelerator,
        args.profile,
        only=args.only,
        machine=args.machine,
        force=args.force,
        threads=args.threads,
        examples_dir=Path(args.examples),
        results_dir=Path(args.results),
        require_gpu=args.require_gpu,
        require_quiet=args.require_quiet,
        rounds=args.rounds,
    )


def _figures(args: argparse.Namespace) -> int:
    from whygpu.report.build import draw_all

    written = draw_all(Path(args.results), Path(args.out), Path(args.examples))
    for path in written:
        print(f"wrote {path}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from whygpu.store.validating import validate_paths

    given = [Path(p) for p in args.paths or [str(RESULTS_DIR)]]
    return validate_paths(given, Path(args.examples) if args.examples else None)


def _upgrade(args: argparse.Namespace) -> int:
    from whygpu.store.upgrade import upgrade_files

    return upgrade_files(list(map(Path, args.paths)))


def _compare(args: argparse.Namespace) -> int:
    from whygpu.report.agreement import report

    return report(Path(args.first), Path(args.second), args.min_ms, args.within)


def _probe(args: argparse.Namespace) -> int:
    from whygpu.contract.names import NO_GPU_REASON
    from whygpu.measure.devices import device_name, gpu_device

    device = gpu_device()
    if device is None:
        print(NO_GPU_REASON)
        return EXIT_NO_GPU
    print(f"{device} ({device_name(device)})")
    return 0


def _selfcheck(args: argparse.Namespace) -> int:
    from whygpu.measure import selfcheck

    selfcheck.run(n=args.n, rounds=args.rounds, seconds=args.seconds)
    return 0


def _machine(args: argparse.Namespace) -> int:
    from whygpu.measure import provenance

    print(provenance.machine_name())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="whygpu", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="measure the examples on one accelerator")
    run.add_argument(
        "--accelerator",
        choices=(*ACCELERATORS, "all"),
        default="cpu",
        help="what to measure; 'all': the CPU, then the GPU where there is one",
    )
    run.add_argument(
        "--require-gpu", action="store_true", help="with 'all': no GPU is an error, not a skip"
    )
    run.add_argument(
        "--require-quiet",
        action="store_true",
        help=f"stop (exit {EXIT_BUSY}) when other processes use the CPU, instead of warning",
    )
    profile = run.add_mutually_exclusive_group()
    sweeps = {"quick": "the short size sweep (default)", "full": "the long sweep, more samples"}
    for name in PROFILES:
        profile.add_argument(
            f"--{name}", dest="profile", action="store_const", const=name, help=sweeps[name]
        )
    run.set_defaults(profile=PROFILES[0])
    run.add_argument(
        "--only", action="append", metavar="SLUG", help="measure only this example (repeatable)"
    )
    run.add_argument(
        "--machine",
        type=_machine_name,
        metavar="NAME",
        help="results folder name (default: derived from the CPU and GPU models)",
    )
    run.add_argument("--force", action="store_true", help="remeasure what was measured before")
    run.add_argument("--threads", type=_positive_int, metavar="N", help="default: physical cores")
    run.add_argument(
        "--rounds",
        type=_positive_int,
        metavar="N",
        help="rounds per point (default: the profile's)",
    )
    run.add_argument("--examples", default=str(EXAMPLES_DIR), metavar="DIR")
    run.add_argument("--results", default=str(RESULTS_DIR), metavar="DIR")
    run.set_defaults(func=_run)

    fig = sub.add_parser("figures", help="redraw every figure from the results files")
    fig.add_argument("--results", default=str(RESULTS_DIR), metavar="DIR")
    fig.add_argument("--out", default=str(FIGURES_DIR), metavar="DIR")
    fig.add_argument("--examples", default=str(EXAMPLES_DIR), metavar="DIR")
    fig.set_defaults(func=_figures)

    val = sub.add_parser(
        "validate", help="check results files (or every one under a folder) against the schema"
    )
    val.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default results/)")
    val.add_argument(
        "--examples",
        default=str(EXAMPLES_DIR),
        metavar="DIR",
        help="folder whose example names results may refer to ('' to allow any)",
    )
    val.set_defaults(func=_validate)

    upg = sub.add_parser("upgrade", help="rewrite older results files at the current schema")
    upg.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    upg.set_defaults(func=_upgrade)

    cmp = sub.add_parser(
        "compare", help="how far two runs agree, point by point and claim by claim"
    )
    cmp.add_argument("first", metavar="RESULTS_A", help="a results file or folder")
    cmp.add_argument("second", metavar="RESULTS_B")
    cmp.add_argument("--min-ms", type=float, default=1.0, help="ignore faster calls (default 1)")
    cmp.add_argument("--within", type=float, default=0.10, help="exit 1 above this (0.10)")
    cmp.set_defaults(func=_compare)

    probe = sub.add_parser("probe", help=f"print the GPU, or exit {EXIT_NO_GPU} without one")
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
    new.add_argument("--examples", default=str(EXAMPLES_DIR), metavar="DIR")
    new.set_defaults(func=_new_example)

    checks = sub.add_parser(
        "check-examples", help="the checks an example must pass before review (all by default)"
    )
    checks.add_argument("paths", nargs="*", metavar="PATH")
    checks.add_argument("--examples", default=str(EXAMPLES_DIR), metavar="DIR")
    checks.add_argument("--no-run", action="store_true", help="skip the standalone runs")
    checks.set_defaults(func=_check_examples)

    pages = sub.add_parser("check-pages", help="the rules every concept page keeps")
    pages.add_argument("--root", default=".", metavar="DIR", help="the repository root")
    pages.set_defaults(func=_check_pages)
    return p


def _new_example(args: argparse.Namespace) -> int:
    from whygpu.review.scaffold import ScaffoldError, new_example, next_steps

    try:
        path = new_example(args.slug, Path(args.examples), args.title)
    except ScaffoldError as exc:
        print(f"new-example: {exc}", file=sys.stderr)
        return 2
    print(next_steps(path, args.slug))
    return 0


def _check_examples(args: argparse.Namespace) -> int:
    from whygpu.contract.examples import paths as example_paths
    from whygpu.review.examplecheck import problems

    paths = [Path(p) for p in args.paths] or example_paths(Path(args.examples))
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


def _check_pages(args: argparse.Namespace) -> int:
    from whygpu.review.pagecheck import check_concepts

    found = check_concepts(Path(args.root))
    for line in found:
        print(f"FIX     {line}", file=sys.stderr)
    if not found:
        print("ok      every concept page keeps the rules")
    return 1 if found else 0


def _machine_name(text: str) -> str:
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
        from whygpu.contract.examples import ExampleError
        from whygpu.store.files import ResultsError
        from whygpu.store.locks import Busy

        if isinstance(exc, (ExampleError, ResultsError, Busy)):
            print(f"whygpu {args.command}: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
