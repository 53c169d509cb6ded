"""Self-check: does the harness agree with an independent clock, and how close to peak is it?

For FP32 matrix multiplication at n = 2048 on the CPU it prints the harness's GFLOP/s, the same
from a plain `time.perf_counter` loop timed in the same run (interleaved, so slow drift hits
both), and the machine's estimated peak with how each factor was found. It asserts nothing: the
machines it runs on are shared and noisy, so it reports, and a person reads.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch

from whygpu.measure import cpu_peak
from whygpu.measure.hardware import cpu_model, physical_cores
from whygpu.measure.timing import TimingPlan, measure

CPU = torch.device("cpu")


def _loop_median(fn: Callable[[], object], seconds: float) -> float:
    """Median seconds per call over a loop of individually timed calls lasting `seconds`."""
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gemm_backends(n: int) -> dict[str, Callable[[], object]]:
    """FP32 n x n matrix products through torch's two CPU GEMM libraries."""
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=gen)
    b = torch.randn(n, n, generator=gen)
    backends: dict[str, Callable[[], object]] = {"torch.mm (BLAS)": lambda: torch.mm(a, b)}
    if torch.backends.mkldnn.is_available():
        # oneDNN's inner product is an FP32 GEMM too: y = a @ w.T, with w = b.T.
        a_blocked = a.to_mkldnn()
        w_blocked = b.t().contiguous().to_mkldnn()

        def onednn() -> object:
            return torch.ops.aten.mkldnn_linear(a_blocked, w_blocked, None)

        backends["oneDNN inner product"] = onednn
    return backends


def run(n: int = 2048, rounds: int = 5, seconds: float = 1.5) -> dict[str, object]:
    threads = physical_cores()
    torch.set_num_threads(threads)
    flops = 2 * n**3
    print(f"self-check: FP32 matmul, n = {n}, {threads} threads on {cpu_model()}")
    peak = cpu_peak.estimate(threads)
    print(
        f"  peak estimate {peak.flops / 1e9:.1f} GFLOP/s = {peak.cores.value:g} cores x "
        f"{peak.flops_per_cycle.value:g} FLOPs/cycle x {peak.clock_hz.value / 1e9:.2f} GHz"
    )
    for factor in (peak.cores, peak.flops_per_cycle, peak.clock_hz):
        print(f"    - {factor.how}")
    report: dict[str, object] = {"peak_gflops": peak.flops / 1e9, "backends": {}}
    plan = TimingPlan(min_run_time=seconds, min_blocks=10, warmup_calls=2)
    for name, fn in gemm_backends(n).items():
        harness, loop = [], []
        for _ in range(rounds):  # interleave, so drift in the machine's load hits both alike
            harness.append(measure(fn, CPU, num_threads=threads, plan=plan).median_s)
            loop.append(_loop_median(fn, seconds))
        h = flops / statistics.median(harness) / 1e9
        lo = flops / statistics.median(loop) / 1e9
        gap = (h - lo) / lo
        share = h / (peak.flops / 1e9)
        low, high = flops / max(harness) / 1e9, flops / min(harness) / 1e9
        print(
            f"  {name:22s} harness {h:6.1f} GFLOP/s | perf_counter loop {lo:6.1f} GFLOP/s "
            f"({gap:+.1%}) | {share:.0%} of peak | harness rounds {low:.0f}-{high:.0f}"
        )
        report["backends"][name] = {
            "harness_gflops": h,
            "loop_gflops": lo,
            "gap": gap,
            "share_of_peak": share,
        }
    return report


def main() -> int:
    run()
    return 0
