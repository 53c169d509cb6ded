"""Self-check: does the harness agree with independent clocks, and how close to peak is it?

For FP32 matrix multiplication at n = 2048 (through both CPU GEMM libraries) and a 3x3
convolution (batch 32, 64 -> 64 channels, 56 x 56) on the CPU it prints the harness's rate, the
same from a plain `torch.utils.benchmark` Timer and from a `time.perf_counter` loop, timed in
the same run and interleaved (so slow drift hits all three), and the machine's peak with how
each factor was found. It asserts nothing: the machines it runs on are shared and noisy, so it
reports, and a person reads.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch
from torch.utils.benchmark import Timer

from whygpu.measure import cpu_peak
from whygpu.measure.hardware import cpu_model, physical_cores
from whygpu.measure.timing import TimingPlan, measure

CPU = torch.device("cpu")


def _loop_median(fn: Callable[[], object], seconds: float) -> float:
    """Median seconds per call over a loop of individually timed calls lasting `seconds`."""
    times: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _timer_median(fn: Callable[[], object], threads: int, seconds: float) -> float:
    """torch.utils.benchmark on its own: Timer.blocked_autorange's median, seconds per call."""
    timer = Timer(stmt="fn()", globals={"fn": fn}, num_threads=threads)
    return timer.blocked_autorange(min_run_time=seconds).median


def conv_workload() -> Callable[[], object]:
    """The issue's reference convolution: batch 32, 64 -> 64 channels, 56 x 56, 3 x 3."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(32, 64, 56, 56, generator=gen)
    conv = torch.nn.Conv2d(64, 64, 3, padding=1).eval()

    def call() -> object:
        with torch.inference_mode():
            return conv(x)

    return call


CONV_FLOPS = 2 * 32 * 64 * 64 * 9 * 56 * 56


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
    backends: dict[str, dict[str, float | None]] = {}
    report: dict[str, object] = {"peak_gflops": peak.flops / 1e9, "backends": backends}
    plan = TimingPlan(min_run_time=seconds, min_blocks=10, warmup_calls=2)
    workloads = {name: (fn, flops, True) for name, fn in gemm_backends(n).items()} | {
        "conv2d 3x3, 32x64x56x56": (conv_workload(), CONV_FLOPS, False)
    }
    for name, (fn, work, is_matmul) in workloads.items():
        harness, timer, loop = [], [], []
        for _ in range(rounds):  # interleave, so drift in the machine's load hits all alike
            harness.append(measure(fn, CPU, num_threads=threads, plan=plan).median_s)
            timer.append(_timer_median(fn, threads, seconds))
            loop.append(_loop_median(fn, seconds))
        h, t, lo = (work / statistics.median(x) / 1e9 for x in (harness, timer, loop))
        share = h / (peak.flops / 1e9)
        low, high = work / max(harness) / 1e9, work / min(harness) / 1e9
        print(
            f"  {name:26s} harness {h:6.1f} GFLOP/s | torch.utils.benchmark {t:6.1f} "
            f"({(h - t) / t:+.1%}) | perf_counter loop {lo:6.1f} ({(h - lo) / lo:+.1%}) | "
            f"{share:.0%} of peak | harness rounds {low:.0f}-{high:.0f}"
        )
        backends[name] = {
            "harness_gflops": h,
            "timer_gflops": t,
            "loop_gflops": lo,
            "gap_to_timer": (h - t) / t,
            "gap": (h - lo) / lo,
            "share_of_peak": share if is_matmul else None,
        }
    return report


def main() -> int:
    run()
    return 0
