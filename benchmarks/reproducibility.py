"""How well independent runs of the same sweep agree, per estimator, and whether a round is biased.

Not a test: it reads results folders written by separate `whygpu run` processes on one quiet
machine (more rounds than a profile's help: `--rounds 5`) and prints, for every candidate
estimator of a point's time, how far the runs' values lie apart at the points of at least 1 ms;
then, for each round, how its median compares with the point's other rounds; then the claims the
pages make, run against run (`whygpu compare`'s claim check). Issue 24 chose the published
estimator from this table; Reading the benchmarks quotes the figures.

    python benchmarks/reproducibility.py [--write TABLE.md] RUN_A RUN_B RUN_C [...]

`--write` also writes the estimator table as Markdown, which Reading the benchmarks includes.
"""

from __future__ import annotations

import itertools
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from whygpu.report import claims
from whygpu.store import files

Point = dict
#: Each candidate estimator: a point's value from its rounds' medians and its samples.
ESTIMATORS: dict[str, Callable[[Point], float]] = {
    "median of rounds (published)": lambda p: statistics.median(p["rounds_s"]),
    "median of the first 3 rounds": lambda p: statistics.median(p["rounds_s"][:3]),
    "fastest round": lambda p: min(p["rounds_s"]),
    "10th percentile of samples": lambda p: statistics.quantiles(p["samples_s"], n=10)[0],
    "median of all samples": lambda p: statistics.median(p["samples_s"]),
}
MIN_S = 1e-3
WITHIN = 0.10


def points(folder: Path) -> dict[tuple[str, str, int], Point]:
    found = {}
    for path in files.find([folder]):
        doc = files.load(path)
        for run in doc["runs"]:
            for p in run["points"]:
                if p["status"] == "ok" and len(p["rounds_s"]) >= 3:
                    found[(doc["example"], p["variant"], p["size"])] = p
    return found


def agreement(
    runs: list[dict], estimate: Callable[[Point], float]
) -> tuple[int, float, float, float]:
    """Over every pair of runs: points compared, share within WITHIN, median and worst gap."""
    gaps = []
    for a, b in itertools.combinations(runs, 2):
        for key in a.keys() & b.keys():
            x, y = estimate(a[key]), estimate(b[key])
            if min(x, y) >= MIN_S:
                gaps.append(abs(x - y) / min(x, y))
    if not gaps:
        return 0, 0.0, 0.0, 0.0
    within = sum(g <= WITHIN for g in gaps) / len(gaps)
    return len(gaps), within, statistics.median(gaps), max(gaps)


def round_bias(run: dict) -> list[tuple[float, float]]:
    """Per round: the median over points of (this round / the median of the point's other
    rounds), and the share of points where this round is the fastest."""
    count = min(len(p["rounds_s"]) for p in run.values())
    out = []
    for k in range(count):
        ratios, fastest = [], 0
        for p in run.values():
            rounds = p["rounds_s"][:count]
            others = rounds[:k] + rounds[k + 1 :]
            ratios.append(rounds[k] / statistics.median(others))
            fastest += rounds[k] == min(rounds)
        out.append((statistics.median(ratios), fastest / len(run)))
    return out


def table(runs: list[dict], folders: list[str]) -> str:
    """The estimator comparison as the Markdown table the page includes."""
    lines = [
        f"| estimator | pairs of points | within {WITHIN:.0%} | median gap | widest gap |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, estimate in ESTIMATORS.items():
        n, within, median, worst = agreement(runs, estimate)
        lines.append(f"| {name} | {n} | {within:.0%} | {median:.1%} | {worst:.1%} |")
    names = ", ".join(f"`{Path(f).as_posix()}`" for f in folders)
    # the study's machine is the folder its runs sit in: benchmarks/study/<machine>/<run>
    machines = sorted({Path(f).resolve().parent.name for f in folders})
    lines += [
        "",
        f"Measured on **{', '.join(machines)}**: {len(runs)} independent "
        f"`whygpu run --full --rounds 5` processes ({names}), every pair of runs compared at "
        f"every point of at least {MIN_S * 1e3:g} ms.",
        "",
        "| run | " + " | ".join(f"round {k + 1}" for k in range(len(round_bias(runs[0])))) + " |",
        "| --- |" + " ---: |" * len(round_bias(runs[0])),
    ]
    for folder, run in zip(folders, runs, strict=True):
        cells = [f"{ratio:.3f} ({fastest:.0%} fastest)" for ratio, fastest in round_bias(run)]
        lines.append(f"| `{Path(folder).name}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Each round's time against the median of the point's other rounds (median over the "
        "run's points), and how often it was the fastest round.",
        "",
    ]
    docs = [[files.load(p) for p in files.find([Path(f)])] for f in folders]
    for (fa, a), (fb, b) in itertools.combinations(zip(folders, docs, strict=True), 2):
        said = claims.compare(a, b)
        wrong = [c.describe() for c in said if not c.agrees]
        lines.append(
            f"- Claims, `{Path(fa).name}` against `{Path(fb).name}`: "
            f"{len(said) - len(wrong)} of {len(said)} agree"
            + (f" ({'; '.join(wrong)})" if wrong else "")
        )
    lines += ["", "Written by `benchmarks/reproducibility.py`."]
    return "\n".join(lines) + "\n"


def main(args: list[str]) -> int:
    write = None
    if args[:1] == ["--write"]:
        write, args = Path(args[1]), args[2:]
    folders = args
    if len(folders) < 2:
        print(__doc__)
        return 2
    runs = [points(Path(f)) for f in folders]
    print(f"{len(runs)} runs; points of at least {MIN_S * 1e3:g} ms, every pair of runs")
    print(f"{'estimator':32} {'pairs':>6} {'within 10%':>11} {'median gap':>11} {'worst':>8}")
    for name, estimate in ESTIMATORS.items():
        n, within, median, worst = agreement(runs, estimate)
        print(f"{name:32} {n:>6} {within:>11.0%} {median:>11.1%} {worst:>8.1%}")
    if write:
        write.write_text(table(runs, folders), encoding="utf-8")
    for folder, run in zip(folders, runs, strict=True):
        bias = ", ".join(
            f"round {k + 1}: {ratio:.3f} ({fastest:.0%} fastest)"
            for k, (ratio, fastest) in enumerate(round_bias(run))
        )
        print(f"{folder}: {len(run)} points; each round against the others' median: {bias}")
    docs = [[files.load(p) for p in files.find([Path(f)])] for f in folders]
    for (fa, a), (fb, b) in itertools.combinations(zip(folders, docs, strict=True), 2):
        said = claims.compare(a, b)
        wrong = [c for c in said if not c.agrees]
        print(f"claims, {fa} against {fb}: {len(said) - len(wrong)} of {len(said)} agree")
        for claim in wrong:
            print(f"  {claim.describe()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
