// Unit tests of the Measure page's JavaScript (docs/measure/*.js), run by `node --test`; the
// page itself is tested in Chromium by tests/site/test_measure_page.py.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { buildResults, describeBrowser } from "../../docs/measure/export.js";
import { crossingText, crossover, repeated, sizesWithin, timePoint, WORKLOAD } from "../../docs/measure/plan.js";
import { quantile, summarize } from "../../docs/measure/stats.js";
import { hasSimd, loadMatmul, matmulReference, randomMatrix, relativeError } from "../../docs/measure/wasm.js";
import { adapterLabel, describeAdapter, softwareName } from "../../docs/measure/webgpu.js";
import { bytesText, columnUnit, duration, grouped, number, plainTick, ratio, sizeTick, timeTick } from "../../docs/measure/format.js";
import { publishedSeries, resultsTable, TABLE_CAPTION, verdict } from "../../docs/measure/results.js";
import { endNames, FONT, logTicks, spread, textWidth, thinned, wrapped } from "../../docs/measure/plot.js";
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

// -- how the page writes numbers, and what its table and verdict say ---------------------------

test("numbers read as the site writes them: three figures, commas, × on a factor", () => {
  assert.equal(grouped(1234567), "1,234,567");
  assert.equal(grouped(2048), "2,048");
  assert.equal(grouped(512), "512");
  assert.equal(number(0.2), "0.200");
  assert.equal(number(14.25), "14.3");  // 14.25 is 14.2499... in binary: rounds as a float does
  assert.equal(number(1034), "1,030");
  assert.equal(number(36612), "36,600");
  assert.equal(ratio(0.4512), "0.45\u00d7");
  assert.equal(ratio(2.36), "2.4\u00d7");
  assert.equal(ratio(1), "1.0\u00d7");
  assert.equal(ratio(24.4), "24\u00d7");
  assert.equal(ratio(99.7), "100\u00d7");
  assert.equal(ratio(3712), "3,700\u00d7");
  assert.equal(ratio(NaN), "–");
  assert.equal(duration(6.15e-4), "615 µs");
  assert.equal(duration(0.04530), "45.3 ms");
  assert.equal(duration(2.5), "2.50 s");
  assert.equal(bytesText(1 << 16), "64 KiB");
  assert.equal(bytesText(1 << 20), "1 MiB");
  assert.equal(bytesText(1 << 24), "16 MiB");
});

test("ticks carry SI prefixes and time units, never an exponent", () => {
  const times = [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10];
  assert.deepEqual(times.map(timeTick),
    ["1 ns", "10 ns", "100 ns", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s"]);
  assert.deepEqual([2e-6, 5e-3].map(timeTick), ["2 µs", "5 ms"]);
  const rates = [0.01, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6];
  assert.deepEqual(rates.map(plainTick), ["0.01", "0.1", "1", "10", "100", "1k", "10k", "100k", "1M"]);
  for (const text of [...times.map(timeTick), ...rates.map(plainTick)]) assert.doesNotMatch(text, /e[-+\u2212]?\d/);
  // sizes as whygpu.report.ticks.short writes them: 1024 is 1Ki, never the 1k of 1000
  assert.deepEqual([8, 16, 512, 1000, 1024, 1536, 2048, 1234].map(sizeTick),
    ["8", "16", "512", "1k", "1Ki", "1.5Ki", "2Ki", "1,234"]);
});

test("a time column takes one unit, the one its middle value reads best in", () => {
  assert.deepEqual(columnUnit([2e-7, 1.8e-6, 1.4e-5, 1.2e-4, 1.03e-3]), ["µs", 1e-6]);
  assert.deepEqual(columnUnit([4.5e-5, 2.4e-4, 1.75e-3, 1.4e-2, 0.109]), ["ms", 1e-3]);
  assert.deepEqual(columnUnit([0.5, 2, 9]), ["s", 1]);
  assert.deepEqual(columnUnit([]), ["ms", 1e-3], "an empty column still has a unit");
});

const at = (size, median_s) => ({ size, median_s, q1_s: median_s * 0.95, q3_s: median_s * 1.05 });

test("the results table: n | CPU | GPU | GPU/CPU, each time column in its own one unit", () => {
  const cpu = [at(1024, 0.5), at(16, 2e-7), at(64, 1.4e-5), at(256, 1e-3), at(128, 1.2e-4)];
  const gpu = [at(16, 4.4e-5), at(64, 1.7e-3), at(128, 1.4e-2), at(256, 0.109)];
  const { head, rows } = resultsTable(cpu, gpu);
  assert.deepEqual(head, ["n", "CPU (µs)", "GPU (ms)", "GPU/CPU"]);
  assert.deepEqual(rows, [
    ["16", "0.200", "0.0440", "220\u00d7"],
    ["64", "14.0", "1.70", "120\u00d7"],
    ["128", "120", "14.0", "120\u00d7"],
    ["256", "1,000", "109", "110\u00d7"],
    ["1,024", "500,000", "–", "–"],  // a size the GPU did not reach
  ]);
  for (const row of rows) assert.equal(row.length, head.length);
  const cpuOnly = resultsTable([at(16, 1e-6)], []);
  assert.deepEqual(cpuOnly.rows, [["16", "1.00", "–", "–"]]);
  assert.deepEqual(cpuOnly.head, ["n", "CPU (µs)", "GPU", "GPU/CPU"], "no GPU times, no unit");
  assert.match(TABLE_CAPTION, /above 1\u00d7 the CPU was faster/);
});

const SWIFTSHADER = describeAdapter({ vendor: "google", architecture: "swiftshader", description: "" });
const REAL = describeAdapter({ vendor: "nvidia", architecture: "ampere", description: "NVIDIA A100" });

test("the verdict names a software adapter as software, and a real GPU plainly", () => {
  const cpu = [at(16, 1e-6), at(64, 1e-4), at(256, 1e-2)];
  const slower = cpu.map((p) => at(p.size, p.median_s * 50));
  const soft = verdict({ cpu, gpu: slower, gpuE2e: slower, adapter: SWIFTSHADER });
  assert.equal(soft, "On your machine the CPU was faster than the GPU at every size measured, but this GPU " +
    "was SwiftShader, software running on your CPU, so this says nothing about a real GPU.");
  const real = verdict({ cpu, gpu: slower, adapter: REAL });
  assert.equal(real, "On your machine the CPU was faster than the GPU at every size measured.");
  // a GPU that wins from 64 with the data on it, and from 256 only once copies are counted
  const gpu = [at(16, 1e-5), at(64, 2e-5), at(256, 1e-4)];
  const e2e = [at(16, 1e-4), at(64, 2e-4), at(256, 1e-3)];
  assert.equal(verdict({ cpu, gpu, gpuE2e: e2e, adapter: REAL }),
    "On your machine the GPU wins from n = 64 with the data already on it, and from n = 256 end to end, copies included.");
  assert.match(verdict({ cpu, gpu, gpuE2e: cpu.map((p) => at(p.size, 1)), adapter: SWIFTSHADER }),
    /with the data already on it, and at no size measured end to end, but this GPU was SwiftShader, software/);
  assert.equal(verdict({ cpu, gpu: [], webgpu: false }), "On your machine only the CPU side ran: this browser offered no WebGPU.");
  assert.equal(verdict({ cpu: [], gpu: [] }), "", "nothing measured, nothing said");
});

test("a software adapter is named by the renderer it is", () => {
  assert.equal(softwareName(SWIFTSHADER), "SwiftShader");
  assert.equal(softwareName(describeAdapter({ vendor: "mesa", description: "llvmpipe (LLVM 15.0.6, 256 bits)" })), "llvmpipe");
  assert.equal(softwareName(describeAdapter({ vendor: "microsoft", description: "Microsoft Basic Render Driver" })),
    "Microsoft Basic Render Driver");
  assert.equal(softwareName(describeAdapter({ vendor: "x", isFallbackAdapter: true })), "a fallback adapter");
});

test("measure.json's lines become series: a model dashed or, end to end, dotted, named short", async () => {
  const site = JSON.parse(await readFile(MEASURE_JSON, "utf8"));
  const [{ lines }] = site.workloads.filter((w) => w.op === WORKLOAD);
  const series = lines.map(publishedSeries);
  const models = series.filter((s) => s.kind === "model");
  // the site draws its GPU model twice: the kernel alone and end to end (whygpu.report.published)
  assert.deepEqual(models.map((s) => s.e2e).sort(), [false, true], models.map((s) => s.label).join("; "));
  assert.deepEqual(models.map((s) => s.tag).sort(), ["GPU model", "GPU model, end to end"]);
  for (const s of series.filter((x) => x.kind === "published")) {
    assert.ok(s.tag && !s.tag.includes("("), `${s.label}: a short name at its end, "${s.tag}"`);
    assert.equal(s.points.length, lines.find((l) => l.name === s.label).points.length);
  }
  const cpu = publishedSeries({ name: "box CPU (measured by this site)", kind: "measured", points: [] });
  assert.deepEqual([cpu.tag, cpu.gpu, cpu.group, cpu.e2e], ["box CPU", false, "the site's CPUs", false]);
  const gpu = publishedSeries({ name: "NVIDIA A100 on box, end to end (measured by this site)", kind: "measured", points: [] });
  assert.deepEqual([gpu.tag, gpu.gpu, gpu.group, gpu.e2e], ["NVIDIA A100 on box, end to end", true, undefined, true]);
});

// -- the plot's layout, which needs no DOM ------------------------------------------------------

test("log ticks are decades, with 2s and 5s only where too few decades fit", () => {
  assert.deepEqual(logTicks(3e-7, 2e-3), [1e-6, 1e-5, 1e-4, 1e-3]);
  assert.deepEqual(logTicks(15, 90), [20, 50]);
  const kept = thinned([1, 10, 100, 1000, 1e4], (v) => Math.log10(v) * 10, () => 18);
  assert.deepEqual(kept, [1, 100, 1e4], "every other tick, so labels 10 px apart keep 18 px");
  assert.ok(FONT >= 12, "tick and name text at least 12 px");
});

test("names at the lines' ends never overlap, and stay inside the plot", () => {
  const labels = [0, 1, 2, 3].map((i) => ({ x: 100, w: 80, y: 50 + i, h: 14 }))
    .concat([{ x: 300, w: 40, y: 51, h: 14 }, { x: 100, w: 80, y: 195, h: 28 }]);
  spread(labels, 0, 200);
  for (const a of labels) {
    assert.ok(a.at - a.h / 2 >= 0 && a.at + a.h / 2 <= 200, `inside: ${a.at}`);
    for (const b of labels) {
      if (a === b || a.x >= b.x + b.w || b.x >= a.x + a.w) continue;
      assert.ok(Math.abs(a.at - b.at) >= (a.h + b.h) / 2, `${a.y} and ${b.y} overlap at ${a.at}, ${b.at}`);
    }
  }
  assert.equal(labels[4].at, 51, "a name in other columns stays where its line ends");
  assert.deepEqual(wrapped("GPU model, end to end", 80), ["GPU model,", "end to end"]);
  assert.deepEqual(wrapped("your CPU", 200), ["your CPU"]);
  assert.ok(textWidth("your GPU, end to end") > textWidth("your CPU"));
});

test("on a phone the site's CPUs share one name, at their ends' middle", () => {
  const line = (tag, group, y) => ({ tag, label: `${tag} (full)`, kind: "published", group, ok: [{ x: 8, y: 1 }, { x: 1536, y }] });
  const lines = [line("a CPU", "the site's CPUs", 1e-2), line("b CPU", "the site's CPUs", 1e-4),
    { ...line("GPU model", undefined, 1e-3), kind: "model" }];
  assert.deepEqual(endNames(lines, false).map((n) => n.text), ["a CPU", "b CPU", "GPU model"]);
  const narrow = endNames(lines, true);
  assert.deepEqual(narrow.map((n) => n.text), ["the site's CPUs", "GPU model"]);
  assert.equal(narrow[0].end.x, 1536);
  assert.ok(Math.abs(narrow[0].end.y - 1e-3) < 1e-12, "the middle of 1e-2 and 1e-4 on a log scale");
  assert.match(narrow[1].cls, /m-tag-model/);
  assert.doesNotMatch(narrow[1].cls, /(^| )m-model( |$)/, "a name never takes its line's stroke class");
});
