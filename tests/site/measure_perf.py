"""How fast the Measure page's two kernels are on this machine: a report, not a test.

The WebAssembly CPU matmul at n = 512 against torch's single-thread fp32 matmul at n = 512,
measured in the same script, and the WGSL kernel's GFLOP/s on whatever adapter Chromium finds
(SwiftShader here: the shader run on the CPU). Run with `nox -s measure_perf`.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
CHROMIUM = "/usr/bin/chromium"
N = 512

KERNELS = """async ([n, wgslText, tiledText]) => {
  const wasm = await import('/measure/wasm.js');
  const gpuMod = await import('/measure/webgpu.js');
  const plan = await import('/measure/plan.js');
  const stats = await import('/measure/stats.js');
  // timed as the page times a point: warm-up, blocks, median seconds per call
  const median = async (block) =>
    stats.summarize(await plan.timePoint(block, {budgetS: 2})).median_s;
  const m = await wasm.loadMatmul(await (await fetch('/measure/matmul.wasm')).arrayBuffer());
  const a = wasm.randomMatrix(n, 1), b = wasm.randomMatrix(n, 2);
  m.prepare(a, b, n);
  const out = {wasm_s: await median(async (k) => { for (let i = 0; i < k; i++) m.run(); })};
  const g = await gpuMod.openGpu();
  if (g.device) {
    out.adapter = gpuMod.adapterLabel(g.adapter);
    for (const [key, text, size] of [['gpu', wgslText, 8], ['tiled', tiledText, 16]]) {
      const kernel = gpuMod.matmulKernel(g.device, text, a, b, n, size);
      out[key + '_s'] = await median((k) => kernel.runMany(k));
      out[key + '_error'] = wasm.relativeError(await kernel.result(), m.result());
      kernel.destroy();
    }
  }
  return out;
}"""


def torch_single_thread(n: int = N) -> float:
    import torch

    torch.set_num_threads(1)
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)
    for _ in range(5):
        torch.mm(a, b, out=c)
    times = []
    for _ in range(21):
        t = time.perf_counter()
        torch.mm(a, b, out=c)
        times.append(time.perf_counter() - t)
    return sorted(times)[10]


def main() -> int:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(DOCS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--enable-unsafe-webgpu"]
            )
            page = browser.new_page()
            page.goto(base + "/measure/matmul.wgsl")
            names = ("matmul.wgsl", "matmul-tiled.wgsl")
            shaders = [(DOCS / "measure" / f).read_text() for f in names]
            out = page.evaluate(KERNELS, [N, *shaders])
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
    from whygpu.contract import examples

    # the work of one product as the matmul example counts it (the page's matmulFlops is
    # checked against the same in tests/site/test_js_units.py)
    flops = examples.load(DOCS.parent / "examples" / "matmul.py").work(N, "fp32").flops
    torch_s = torch_single_thread()
    wasm = flops / out["wasm_s"] / 1e9
    ref = flops / torch_s / 1e9
    print(f"Chromium {version}, n = {N}, fp32")
    print(f"  WebAssembly SIMD, one thread: {wasm:7.1f} GFLOP/s")
    print(f"  torch.mm, one thread:         {ref:7.1f} GFLOP/s")
    print(f"  WebAssembly / torch:          {wasm / ref:7.0%}  (target: at least 25%)")
    if "gpu_s" in out:
        wgsl = flops / out["gpu_s"] / 1e9
        print(f"  WGSL, one output per invocation: {wgsl:.2f} GFLOP/s on {out['adapter']}")
        print(
            f"  (its product differs from the CPU's by {out['gpu_error']:.1e} of the largest value)"
        )
        tiled = flops / out["tiled_s"] / 1e9
        print(f"  WGSL, 16 x 16 tiles: {tiled:.2f} GFLOP/s, {tiled / wgsl:.1f}x the plain one")
        print(f"  (its product differs from the CPU's by {out['tiled_error']:.1e})")
    else:
        print("  WGSL: no WebGPU adapter in this Chromium")
    return 0 if wasm / ref >= 0.25 else 1


if __name__ == "__main__":
    sys.exit(main())
