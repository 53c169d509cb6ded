"""The two probes behind the CPU peak (whygpu.measure.cpu_peak), compiled in-process by
llvmlite: a chain of dependent 64-bit multiplies (the clock) and CHAINS independent chains of
vector FMAs (the FMA units), each run on every core at once. They only read rates; cpu_peak turns
the readings into factors. Apart from it so the arithmetic reads without the LLVM IR.
"""

from __future__ import annotations

import ctypes
import platform
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

from whygpu.contract.thresholds import FMA_CHAINS as CHAINS

PROBE_SECONDS = 0.15


def _imul_ir() -> str:
    return """
define i64 @chain(i64 %n, i64 %x0) {
entry:
  br label %loop
loop:
  %i = phi i64 [0, %entry], [%i1, %loop]
  %x = phi i64 [%x0, %entry], [%x4, %loop]
  %x1 = mul i64 %x, %x
  %x2 = mul i64 %x1, %x1
  %x3 = mul i64 %x2, %x2
  %x4 = mul i64 %x3, %x3
  %i1 = add i64 %i, 1
  %done = icmp eq i64 %i1, %n
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %x4
}
"""


def _fma_ir(width: int) -> str:
    vec = f"<{width} x float>"
    fma = f"@llvm.fmuladd.v{width}f32"
    splat = f"{vec} poison, <{width} x i32> zeroinitializer"
    lines = [f"declare {vec} {fma}({vec}, {vec}, {vec})", ""]
    lines += ["define float @fmas(i64 %n, float %m) {"]
    lines += ["entry:", f"  %m1 = insertelement {vec} poison, float %m, i32 0"]
    lines += [f"  %mv = shufflevector {vec} %m1, {splat}"]
    for k in range(CHAINS):  # distinct starting values, so no two chains are the same
        lines += [f"  %s{k} = fadd float %m, {float(k + 1):e}"]
        lines += [f"  %t{k} = insertelement {vec} poison, float %s{k}, i32 0"]
        lines += [f"  %c{k} = shufflevector {vec} %t{k}, {splat}"]
    lines += ["  br label %loop", "loop:", "  %i = phi i64 [0, %entry], [%i1, %loop]"]
    lines += [f"  %a{k} = phi {vec} [%c{k}, %entry], [%b{k}, %loop]" for k in range(CHAINS)]
    lines += [
        f"  %b{k} = call {vec} {fma}({vec} %a{k}, {vec} %mv, {vec} %c{k})" for k in range(CHAINS)
    ]
    lines += ["  %i1 = add i64 %i, 1", "  %done = icmp eq i64 %i1, %n"]
    lines += ["  br i1 %done, label %exit, label %loop", "exit:"]
    total = "%b0"
    for k in range(1, CHAINS):
        lines.append(f"  %r{k} = fadd {vec} {total}, %b{k}")
        total = f"%r{k}"
    lines += [f"  %out = extractelement {vec} {total}, i32 0", "  ret float %out", "}"]
    return "\n".join(lines)


@cache
def _compiled(width: int) -> tuple[Any, Any, Any] | None:
    """(engine, imul chain, FMA chains) compiled for this CPU, or None without llvmlite."""
    try:
        import llvmlite.binding as llvm
    except ImportError:
        return None
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    target = llvm.Target.from_default_triple().create_target_machine(
        cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(), opt=2
    )
    module = llvm.parse_assembly(_imul_ir() + "\n" + _fma_ir(width))
    module.verify()
    engine = llvm.create_mcjit_compiler(module, target)
    engine.finalize_object()
    # CFUNCTYPE calls release the GIL, so one thread per core runs the probes side by side.
    chain = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int64, ctypes.c_int64)(
        engine.get_function_address("chain")
    )
    fmas = ctypes.CFUNCTYPE(ctypes.c_float, ctypes.c_int64, ctypes.c_float)(
        engine.get_function_address("fmas")
    )
    return engine, chain, fmas


def _rate_on_all_cores(fn, per_call: int, cores: int, n: int) -> float:
    """Median over cores of the per-core rate (units a second), the cores running at once;
    best of three tries, since a peak is what the core sustains when nothing interrupts it."""

    def one(_: int) -> float:
        start = time.perf_counter()
        fn(n)
        return per_call * n / (time.perf_counter() - start)

    best = 0.0
    with ThreadPoolExecutor(cores) as pool:
        for _ in range(3):
            best = max(best, statistics.median(pool.map(one, range(cores))))
    return best


def _calibrated(fn, per_call: int, cores: int) -> float:
    """Size the probe to run about PROBE_SECONDS, then measure on every core."""
    n, elapsed = 1000, 0.0
    while elapsed < 0.02:
        n *= 4
        start = time.perf_counter()
        fn(n)
        elapsed = time.perf_counter() - start
    return _rate_on_all_cores(fn, per_call, cores, max(1, int(n * PROBE_SECONDS / elapsed)))


def multiplies(cores: int, width: int) -> float | None:
    """Dependent 64-bit multiplies a second on each core, all cores at once (the median core);
    None where the probe cannot run (no llvmlite) or its latency is unknown (not x86-64)."""
    compiled = _compiled(width)
    if compiled is None or platform.machine() not in ("x86_64", "AMD64"):
        return None  # the multiply latency is only known for x86-64
    _, chain, _ = compiled
    return _calibrated(lambda n: chain(n, 3), 4, cores)


def fmas(cores: int, width: int) -> float | None:
    """Vector FMAs a second on each core from CHAINS independent chains, all cores at once;
    None without llvmlite."""
    compiled = _compiled(width)
    if compiled is None:
        return None
    _, _, fma_chains = compiled
    return _calibrated(lambda n: fma_chains(n, 0.999), CHAINS, cores)
