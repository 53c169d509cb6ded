"""The reference machine's own facts: its CPU, cores and torch, how noisy its measurements
were, how long its sweeps took, its CPU peak with the share of it the best point reached, its
roofline reading, and the harness settings in force when it ran.
Apart from whygpu.report.facts, which quotes the examples' lines, so each reads in one screen."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Protocol

from whygpu.contract import thresholds
from whygpu.contract.meaning import Declared
from whygpu.contract.names import PROFILES
from whygpu.report.limits import cpu_ceilings, cpu_limits, roof_reading
from whygpu.report.series import round_summary
from whygpu.report.text import number
from whygpu.store.types import ResultsDoc


class Put(Protocol):
    """How a fact is recorded: key, the text a page shows, the number, where it came from, and
    for a measured number the quantity it is (one quantity, one value: a test holds to it)."""

    def __call__(
        self,
        key: str,
        text: str,
        value: float | str | None,
        source: str,
        quantity: str | None = None,
    ) -> None: ...


def hardware_facts(put: Put, docs: Sequence[ResultsDoc], ref: str) -> None:
    """The reference machine's CPU, cores, threads and torch, from its first CPU run."""
    doc, run = next(
        (d, r) for d in docs if d["machine"] == ref for r in d["runs"] if r["accelerator"] == "cpu"
    )
    source = f"results/{ref}/{doc['example']}.json"
    prov = run["provenance"]
    cpu = prov.get("cpu") or {}
    put("machine.cpu", str(cpu.get("model", "?")), cpu.get("model"), source)
    put("machine.cores", str(cpu.get("physical_cores")), cpu.get("physical_cores"), source)
    threads = run["settings"]["num_threads"]
    put("machine.threads", str(threads), threads, source)
    put("machine.torch", prov["torch"], prov["torch"], source)


def noise_facts(put: Put, docs: Sequence[ResultsDoc], ref: str) -> None:
    """How noisy the reference machine's measurements were: points, flagged points, IQR."""
    points = [
        p
        for d in docs
        if d["machine"] == ref
        for r in d["runs"]
        for p in r["points"]
        if p["status"] == "ok"
    ]
    if not points:
        return
    spread = [p["iqr_s"] / p["median_s"] * 100 for p in points if p["median_s"] > 0]
    src = f"results/{ref}/*.json"
    put("noise.points", f"{len(points):,}", len(points), src)
    noisy = sum(bool(p["noisy"]) for p in points)
    put("noise.noisy", f"{noisy:,}", noisy, src)
    put("noise.median_iqr_pct", f"{statistics.median(spread):.1f}%", statistics.median(spread), src)
    put("noise.max_iqr_pct", f"{max(spread):.0f}%", max(spread), src)
    rounds = round_summary(points)
    put("noise.rounds", str(rounds.rounds), rounds.rounds, src)
    put("noise.disagree", f"{rounds.disagree:,}", rounds.disagree, src)
    median, widest = rounds.median_spread * 100, rounds.widest["round_spread"] * 100
    put("noise.median_round_spread_pct", f"{median:.1f}%", median, src)
    put("noise.max_round_spread_pct", f"{widest:.0f}%", widest, src)


def runtime_facts(put: Put, docs: Sequence[ResultsDoc], ref: str) -> None:
    """How long each profile's CPU sweep measured, from the seconds each point's rounds recorded
    (starting the run and the peak probes add a few seconds): on the reference machine, else on
    the newest machine that ran the profile, named in `runtime.<profile>.machine`."""
    for profile in PROFILES:
        runs = [
            (d, r)
            for d in docs
            for r in d["runs"]
            if r["accelerator"] == "cpu" and r["profile"] == profile
        ]
        if not runs:
            continue
        machines = {d["machine"] for d, _ in runs}
        newest = max(runs, key=lambda dr: dr[1]["provenance"]["date_utc"])[0]["machine"]
        machine = ref if ref in machines else newest
        runs = [(d, r) for d, r in runs if d["machine"] == machine]
        seconds = sum(p["wall_s"] for _, r in runs for p in r["points"] if p["status"] == "ok")
        examples = len({d["example"] for d, _ in runs})
        src = f"results/{machine}/*.json (wall_s)"
        put(f"runtime.{profile}", f"about {max(1, round(seconds / 60))} min", seconds, src)
        put(f"runtime.{profile}.examples", str(examples), examples, src)
        put(f"runtime.{profile}.machine", machine, machine, src)


def peak_facts(put: Put, docs: Sequence[ResultsDoc], ref: str, declared: Declared) -> None:
    """The reference machine's CPU peak and its factors, its triad bandwidth, and the share of
    the peak its best FP32 matrix multiply reached."""
    limits = cpu_limits(docs).get(ref)
    if not limits:
        return
    src = f"results/{ref}/*.json (cpu_limits)"
    peak = limits["peak"]
    put("machine.peak", f"{number(peak['flops'] / 1e9)} GFLOP/s", peak["flops"] / 1e9, src)
    cores, per_cycle, clock = (peak[k]["value"] for k in ("cores", "flops_per_cycle", "clock_hz"))
    put("machine.peak.cores", f"{cores:g}", cores, src)
    put("machine.peak.flops_per_cycle", f"{per_cycle:g}", per_cycle, src)
    put("machine.peak.clock", f"{clock / 1e9:.2f} GHz", clock, src)
    gbps = limits["memory_bytes_per_s"]["value"] / 1e9
    put("machine.memory_bandwidth", f"{number(gbps)} GB/s", gbps, src)
    ceiling = cpu_ceilings(docs, declared).get(ref, {})
    if ceiling.get("best"):
        share = ceiling["best"] / (peak["flops"] / 1e9)
        example, variant = ceiling["best_of"]
        put(f"{example}.cpu.{variant}.share_of_peak", f"{share:.0%}", share, src)


def roof_facts(put: Put, docs: list[ResultsDoc], ref: str, declared: Declared) -> None:
    """The roofline's ceilings on the reference machine, and where its points sit against
    them: the same numbers and clauses the roofline's caption states."""
    reading = roof_reading(docs, ref, declared)
    if reading is None:
        return
    src = f"results/{ref}/*.json"
    put("roofline.peak", f"{number(reading.peak_gflops)} GFLOP/s", reading.peak_gflops, src)
    put("roofline.slope", f"{number(reading.slope_gbps)} GB/s", reading.slope_gbps, src)
    put("roofline.ceilings_from", _ceilings_from(reading.kind), reading.kind, src)
    put("roofline.slope_reading", reading.slope_text(), len(reading.above_slope), src)
    put("roofline.peak_reading", reading.peak_text(), len(reading.above_peak), src)


def _ceilings_from(kind: str) -> str:
    if kind == "hardware":
        return (
            "its FP32 peak (cores x FLOPs per cycle x clock, each measured) and the bandwidth "
            "of a STREAM-style triad"
        )
    return (
        "its best measured points: the fastest compute-bound call and the largest memory-bound one"
    )


def harness_facts(put: Put) -> None:
    """The thresholds and counts the harness applies, as the pages state them."""
    src = "src/whygpu/contract/thresholds.py"
    for key, fraction in (
        ("round_disagree", thresholds.ROUND_DISAGREE_FRACTION),
        ("noisy_iqr", thresholds.NOISY_IQR_FRACTION),
        ("os_max_slack", thresholds.OS_MAX_SLACK),
    ):
        put(f"harness.{key}", f"{fraction:.0%}", fraction, src)
    for profile, rounds in thresholds.ROUNDS.items():
        put(f"harness.rounds.{profile}", str(rounds), rounds, src)
        seconds = thresholds.ROUND_SECONDS[profile]
        put(f"harness.round_seconds.{profile}", f"{seconds:g} s", seconds, src)
        samples = thresholds.ROUND_SAMPLES[profile]
        put(f"harness.round_samples.{profile}", str(samples), samples, src)
        warm = thresholds.WARMUP_CALLS[profile]
        calls = f"{warm} warm-up call{'s' if warm != 1 else ''}"
        put(f"harness.warmup.{profile}", calls, warm, src)
    put("harness.busy_cores", f"{thresholds.BUSY_CORES:g}", thresholds.BUSY_CORES, src)
    # in seconds, as a setting is written: "500 ms" would read as a measured time
    sample = thresholds.LOAD_SAMPLE_S
    put("harness.load_sample", f"{sample:g} s", sample, src)
    low, high = (hz / 1e9 for hz in thresholds.CLOCK_BOUNDS_HZ)
    put("harness.clock_bounds", f"{low:g} to {high:g} GHz", f"{low:g}-{high:g}", src)
    put("harness.fma_chains", str(thresholds.FMA_CHAINS), thresholds.FMA_CHAINS, src)
    cycles = thresholds.IMUL_LATENCY_CYCLES
    put("harness.imul_latency", str(cycles), cycles, src)
