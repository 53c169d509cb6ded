// Unit tests of the Measure page's JavaScript (docs/measure/*.js), run by `node --test`; the
// page itself is tested in Chromium by tests/site/test_measure_page.py.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { buildResults, describeBrowser } from "../../docs/measure/export.js";
import { crossingText, crossover, repeated, sizesWithin, timePoint, WORKLOAD } from "../../docs/measure/plan.js";
import { quantile, summarize } from "../../docs/measure/stats.js";
import { hasSimd, loadMatmul, matmulReference, randomMatrix, relativeError } from "../../docs/measure/wasm.js";
import { adapterLabel, describeAdapter } from "../../docs/measure/webgpu.js";
import { compile, WASM } from "./build-wasm.mjs";

const MEASURE_JSON = new URL("../../docs/assets/figures/measure.json", import.meta.url);

test("summaries are the median and quartiles, whatever the order", () => {
  const s = summarize([5, 1, 4, 2, 3]);
  assert.deepEqual(s, { median_s: 3, q1_s: 2, q3_s: 4, samples: 5 });
  assert.equal(quantile([1, 2], 0.5), 1.5);
  assert.throws(() => summarize([]), /no samples/);
});

test("sizes stop where one matrix no longer fits the adapter's buffers", () => {
  const limits = { maxStorageBufferBindingSize: 4 * 512 * 512, maxBufferSize: 1 << 30 };
  assert.deepEqual(sizesWithin(limits, [256, 512, 1024]), [256, 512]);
  assert.deepEqual(sizesWithin(undefined, [16, 32]), [16, 32]);
});

test("a point is warmed up, takes at least three samples and stops at its budget", async () => {
  let clock = 0;
  let calls = 0;
  const slow = async (k) => { calls += k; clock += 0.4 * k; };
  const samples = await timePoint(slow, { budgetS: 1, now: () => clock });
  assert.equal(calls, samples.length + 2, "one untimed warm-up call, one calibration block");
  assert.ok(samples.length >= 3 && samples.length <= 4, `${samples.length} samples`);
  assert.ok(samples.every((s) => Math.abs(s - 0.4) < 1e-9));
  let stop = false;
  const stopped = await timePoint(async () => { stop = true; }, { shouldStop: () => stop });
  assert.equal(stopped.length, 0, "Stop ends a point at once");
});

test("a call shorter than the clock's tick is timed in blocks, and the sample is per call", async () => {
  let clock = 0;
  const blocks = [];
  const fast = async (k) => { blocks.push(k); clock += 1e-4 * k; };
  const samples = await timePoint(fast, { budgetS: 0.2, now: () => clock });
  assert.ok(Math.max(...blocks) >= 100, `blocks grew to ${Math.max(...blocks)} calls`);
  assert.ok(samples.every((s) => Math.abs(s - 1e-4) < 1e-12), "seconds per call, not per block");
  let ran = 0;
  await repeated(async () => { ran++; })(7);
  assert.equal(ran, 7);
});

test("the crossover is the first size the GPU wins, and a range inside the noise", () => {
  const cpu = [16, 32, 64, 128].map((size, i) => ({ size, median_s: 10 ** i, q1_s: 0.9 * 10 ** i, q3_s: 1.1 * 10 ** i }));
  const gpu = [16, 32, 64, 128].map((size) => ({ size, median_s: 20, q1_s: 18, q3_s: 40 }));
  // GPU's median (20) beats the CPU's at 64 (100), but its q3 (40) stays under q1 (90) there too
  assert.deepEqual(crossover(cpu, gpu), { first: 64, sure: 64 });
  assert.equal(crossingText({ first: 64, sure: 64 }), "n = 64");
  const close = gpu.map((p) => ({ ...p, q3_s: 95 }));
  assert.deepEqual(crossover(cpu, close), { first: 64, sure: 128 });
  assert.equal(crossingText({ first: 64, sure: 128 }), "about n = 64 to 128");
  const never = crossover(cpu, cpu.map((p) => ({ ...p, median_s: 1e9 })));
  assert.deepEqual(never, { first: null, sure: null });
  assert.equal(crossingText(never, "not reached"), "not reached");
  assert.equal(crossingText({ first: 1024, sure: null }), "n = 1,024, inside the noise");
});

test("a software adapter is named as what it is", () => {
  const swiftshader = describeAdapter({ vendor: "google", architecture: "swiftshader", description: "SwiftShader Device (Subzero)" });
  assert.equal(swiftshader.software, true);
  assert.match(adapterLabel(swiftshader), /no GPU was used: this is your CPU pretending to be one/);
  const fallback = describeAdapter({ vendor: "x", isFallbackAdapter: true });
  assert.equal(fallback.software, true);
  const real = describeAdapter({ vendor: "nvidia", architecture: "ampere", description: "NVIDIA A100" });
  assert.equal(real.software, false);
  assert.doesNotMatch(adapterLabel(real), /no GPU/);
});

test("the WebAssembly product matches a plain loop, with SIMD", async () => {
  assert.ok(hasSimd(), "this engine validates WebAssembly SIMD");
  const wasm = await loadMatmul(await readFile(WASM));
  for (const n of [8, 16, 40, 64]) {
    const a = randomMatrix(n, 1), b = randomMatrix(n, 2);
    wasm.prepare(a, b, n);
    wasm.run();
    const error = relativeError(wasm.result(), matmulReference(a, b, n));
    assert.ok(error < 1e-5, `n = ${n}: relative error ${error}`);
  }
});

test("the committed matmul.wasm is the compile of matmul.wat", async (t) => {
  let fresh;
  try {
    fresh = await compile();
  } catch (error) {
    if (process.env.CI === "true") throw error;
    t.skip(`wabt is not installed (run npm ci): ${error.message}`);
    return;
  }
  assert.deepEqual(await readFile(WASM), fresh, "run `npm run build:wasm` and commit matmul.wasm");
});

test("the export says what ran, in the format it is given", () => {
  const points = [{ side: "cpu-wasm", size: 16, median_s: 1e-6, q1_s: 1e-6, q3_s: 2e-6, samples: 3, flops: 8192 }];
  const run = { adapter: null, browser: describeBrowser({ userAgent: "UA", hardwareConcurrency: 8 }),
    budgetS: 90, stopped: false, points, now: new Date("2026-12-02T01:02:03.456Z") };
  assert.throws(() => buildResults(run), /no results format/, "no format, no file");
  const out = buildResults({ ...run, format: { name: "some-results-format", version: 7 } });
  assert.equal(out.format, "some-results-format");
  assert.equal(out.version, 7);
  assert.equal(out.created_utc, "2026-12-02T01:02:03Z");
  assert.deepEqual(out.browser, { user_agent: "UA", threads_used: 1, hardware_concurrency: 8 });
  assert.equal(out.round_trip, null);
  assert.deepEqual(out.copies, []);
  assert.equal(JSON.parse(JSON.stringify(out)).points[0].size, 16);
});

test("measure.json gives the page a format and its workload's lines and crossings", async () => {
  const site = JSON.parse(await readFile(MEASURE_JSON, "utf8"));
  assert.match(site.format, /^[a-z][a-z0-9-]+$/, "a format name for the export");
  const mine = site.workloads.filter((w) => w.op === WORKLOAD);
  assert.equal(mine.length, 1, `one ${WORKLOAD} workload`);
  const [{ lines, crossings }] = mine;
  assert.ok(lines.some((l) => l.kind === "measured"), "a machine the site measured");
  for (const line of lines) {
    assert.ok(line.name && ["measured", "model"].includes(line.kind), JSON.stringify(line).slice(0, 80));
    assert.ok(line.points.length > 0, `${line.name}: no points`);
    for (const p of line.points) {
      // what the page plots: a size, seconds and GFLOP/s, all positive numbers
      assert.ok([p.size, p.median_s, p.gflop_per_s].every((v) => Number.isFinite(v) && v > 0), `${line.name} at ${p.size}`);
    }
  }
  assert.ok(crossings.length > 0 && crossings.every((c) => typeof c.sentence === "string" && c.sentence.length > 0));
});
