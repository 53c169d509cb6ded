// The "Measure your machine" page: runs the sweep when the reader presses Run, draws both
// panels and the results table as points arrive, says what the run shows (and when its "GPU"
// was software), and offers the run as a JSON file.
import { summarize } from "./stats.js";
import { SIZES, WORKLOAD, POINT_BUDGET_S, TOTAL_BUDGET_S, sizesWithin, timePoint, repeated, matmulFlops, crossover } from "./plan.js";
import { loadMatmul, hasSimd, relativeError, randomMatrix } from "./wasm.js";
import { openGpu, adapterLabel, matmulKernel, roundTrip, copies } from "./webgpu.js";
import { buildResults, describeBrowser, fileName } from "./export.js";
import { drawPlot } from "./plot.js";
import { bytesText, duration, grouped, number, plainTick, timeTick } from "./format.js";
import { publishedSeries, resultsTable, TABLE_CAPTION, verdict } from "./results.js";

const TOLERANCE = 1e-3;  // largest relative difference between the GPU's and the CPU's product
const COPY_BYTES = [1 << 16, 1 << 20, 1 << 24];

const root = document.getElementById("measure");
const $ = (sel) => root.querySelector(sel);
const params = new URLSearchParams(location.search);
const totalBudget = Number(params.get("budget")) || TOTAL_BUDGET_S;  // tests run a shorter sweep
const maxSize = Number(params.get("max")) || Infinity;

let stopRequested = false;
let published = [];  // the site's lines for this workload, as measure.json gives them
let format = null;  // the browser-results format's name and version, from measure.json
let state = null;

function say(text) { $("#status").textContent = text; }

/** A line of the log, by key: a later call with the same key rewrites it, so the log stays a
 *  few lines (what ran, what was checked, the round trip, the copies) however long the sweep. */
function line(key, text, cls = "") {
  let li = $(`#log li[data-key="${key}"]`);
  if (!li) {
    li = document.createElement("li");
    li.dataset.key = key;
    $("#log").appendChild(li);
  }
  li.textContent = text;
  li.className = cls;
}

async function fetchText(name) {
  const response = await fetch(new URL(name, import.meta.url));
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.text();
}

/** What the site computed from its results (whygpu.report.published writes measure.json): the
 *  results format's name, and for this page's workload each published line (every machine's
 *  CPU, and the GPU side, measured or the datasheet model) and where each GPU starts to win. */
async function loadPublished() {
  const data = JSON.parse(await fetchText("../assets/figures/measure.json"));
  const mine = data.workloads.find((w) => w.op === WORKLOAD);
  if (!mine) throw new Error(`measure.json has no ${WORKLOAD} workload`);
  const format = { name: data.format, version: data.version };
  return { format, lines: mine.lines, crossings: mine.crossings };
}

function showCrossings(crossings) {
  $("#published-crossover").replaceChildren(...crossings.map((row) => {
    const li = document.createElement("li");
    li.textContent = row.sentence;
    return li;
  }));
}

// [panel, the point's field, value axis label, how its ticks read, title]
const PANELS = [
  ["#plot-time", "time", "time per product", timeTick, "Time per product (lower is better)"],
  ["#plot-rate", "rate", "GFLOP/s", plainTick, "Throughput (higher is better)"],
];

/** The reader's three lines: measured, so solid with points, in the page's colours. */
const READER = [
  { key: "cpu", label: "your CPU (WebAssembly, one thread)", tag: "your CPU", kind: "reader-cpu" },
  { key: "gpu", label: "your GPU (WebGPU), the data already on it", tag: "your GPU", kind: "reader-gpu", gpu: true },
  { key: "gpuE2e", label: "your GPU (WebGPU), end to end: copies in and out included", tag: "your GPU, end to end",
    kind: "reader-gpu", gpu: true, e2e: true },
];

let drawnWidth = 0;

function draw() {
  const reader = READER.map((s) => ({ ...s, points: (state[s.key] || []).map((p) => ({ x: p.size, time: p.median_s, rate: p.flops / p.median_s / 1e9 })) }));
  const all = [...published, ...reader];
  const cross = crossover(state.cpu, state.gpu);
  // drawn at the width the column gives them, so their text is the size it says
  const width = $(".m-plots").clientWidth || 640;
  for (const [panel, key, yLabel, yTick, title] of PANELS) {
    drawPlot($(panel), {
      series: all.map((s) => ({ ...s, points: s.points.map((p) => ({ x: p.x, y: p[key] })) })),
      xLabel: "matrix side n", yLabel, yTick, mark: cross.first, title, width,
    });
  }
  drawnWidth = width;  // the ResizeObserver redraws only when this changes
  $("#crossover").textContent = verdict({ ...state, webgpu: state.webgpu !== false });
  table();
}

/** The results table under the plots: n | CPU | GPU | GPU/CPU, from the points so far. */
function table() {
  const el = $("#results");
  if (!state.cpu.length) {
    el.hidden = true;
    return;
  }
  const { head, rows } = resultsTable(state.cpu, state.gpu);
  const cell = (tag, text) => {
    const node = document.createElement(tag);
    node.textContent = text;
    if (tag === "th") node.scope = "col";
    return node;
  };
  const caption = document.createElement("caption");
  caption.textContent = TABLE_CAPTION;
  const thead = document.createElement("thead");
  thead.appendChild(document.createElement("tr")).append(...head.map((h) => cell("th", h)));
  const tbody = document.createElement("tbody");
  for (const row of rows) tbody.appendChild(document.createElement("tr")).append(...row.map((c) => cell("td", c)));
  el.replaceChildren(caption, thead, tbody);
  el.hidden = false;
}

/** A legend key: a short piece of the line as the plots draw it, with its point. */
function key(s) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("width", "34");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  const cls = `m-${s.kind}${s.e2e ? " m-e2e" : ""}`;
  const add = (name, attrs) => {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    svg.appendChild(node);
  };
  add("line", { x1: 1, x2: 33, y1: 6, y2: 6, class: `m-line ${cls}` });
  if (s.kind !== "model") {
    if (s.gpu) add("rect", { x: 13.5, y: 2.5, width: 7, height: 7, class: `m-dot ${cls}` });
    else add("circle", { cx: 17, cy: 6, r: s.kind === "published" ? 2 : 3.5, class: `m-dot ${cls}` });
  }
  return svg;
}

/** One key per line, each published line by its own label, so every line names its machine
 *  (or says it is a model). */
function legend() {
  $("#legend").replaceChildren(...[...READER, ...published].map((s) => {
    const li = document.createElement("li");
    li.className = `m-key m-${s.kind}${s.e2e ? " m-e2e" : ""}`;
    li.append(key(s), document.createTextNode(s.label));
    return li;
  }));
}

function point(size, summary, extra) {
  return { size, ...summary, flops: matmulFlops(size), ...extra };
}

async function run() {
  stopRequested = false;
  $("#run").disabled = true;
  $("#stop").disabled = false;
  $("#results-json").hidden = true;
  $("#log").replaceChildren();
  const start = performance.now() / 1000;
  const left = () => totalBudget - (performance.now() / 1000 - start);
  const shouldStop = () => stopRequested || left() <= 0;
  state = { cpu: [], gpu: [], gpuE2e: [], roundTrip: null, copies: [], adapter: null, webgpu: true, stopped: false };
  try {
    say("Preparing the CPU side...");
    if (!hasSimd()) {
      // the CPU's product is also the check of the GPU's, so without it nothing can be measured
      throw new Error("this browser has no WebAssembly SIMD, which the CPU side needs (and the GPU's answers are checked against it)");
    }
    const wasm = await loadMatmul(await (await fetch(new URL("matmul.wasm", import.meta.url))).arrayBuffer());
    line("cpu", "CPU side: WebAssembly with 128-bit SIMD, one thread.", "m-note");
    const gpu = await openGpu();
    let wgsl = null;
    if (gpu.device) {
      state.adapter = gpu.adapter;
      wgsl = await fetchText("matmul.wgsl");
      $("#adapter").textContent = adapterLabel(gpu.adapter);
    } else {
      state.webgpu = false;
      $("#adapter").textContent = `No WebGPU: ${gpu.reason}. The CPU side runs alone, beside the published machines.`;
    }
    const sizes = sizesWithin(gpu.limits, SIZES).filter((n) => n <= maxSize);
    for (const n of sizes) {
      if (shouldStop()) break;
      say(`Measuring n = ${grouped(n)}...`);
      const a = randomMatrix(n, 1 + n), b = randomMatrix(n, 2 + n);
      wasm.prepare(a, b, n);
      const cpuSamples = await timePoint(async (k) => { for (let i = 0; i < k; i++) wasm.run(); },
        { budgetS: POINT_BUDGET_S, shouldStop });
      if (!cpuSamples.length) break;  // stopped before this point had a sample: it is dropped
      const reference = wasm.result();
      state.cpu.push(point(n, summarize(cpuSamples), { side: "cpu-wasm" }));
      if (gpu.device) {
        const kernel = matmulKernel(gpu.device, wgsl, a, b, n);
        // k dispatches queued at once and waited for once, as the harness times a GPU: the
        // kernel's own time, with the round trip spread over the block
        const gpuSamples = await timePoint((k) => kernel.runMany(k), { budgetS: POINT_BUDGET_S, shouldStop });
        const error = relativeError(await kernel.result(), reference);
        if (!(error <= TOLERANCE)) {
          kernel.destroy();
          throw new Error(`the GPU's product at n = ${n} differs from the CPU's by ${error.toExponential(1)} of its largest value: a wrong answer is not a measurement`);
        }
        const e2e = await timePoint(repeated(kernel.endToEnd), { budgetS: POINT_BUDGET_S / 2, shouldStop });
        kernel.destroy();
        if (!gpuSamples.length || !e2e.length) break;  // stopped inside the point: it is dropped
        state.gpu.push(point(n, summarize(gpuSamples), { side: "gpu", verified: true, max_rel_error: error }));
        state.gpuE2e.push(point(n, summarize(e2e), { side: "gpu-e2e", verified: true, max_rel_error: error }));
      }
      const last = state.cpu[state.cpu.length - 1];
      const sized = state.cpu.map((p) => grouped(p.size)).join(", ");
      line("sizes", gpu.device
        ? `Every GPU product was checked against the CPU's and matched, at n = ${sized}.`
        : `Measured at n = ${sized}.`);
      draw();
      await new Promise((done) => setTimeout(done, 0));  // let the page breathe between points
      const slowest = Math.max(last.median_s, gpu.device ? state.gpu[state.gpu.length - 1].median_s : 0);
      if (slowest * NEXT_SIZE_COST > POINT_BUDGET_S) break;  // the next size would not fit its budget
    }
    if (gpu.device && !shouldStop()) {
      say("Measuring one round trip to the GPU and copies...");
      const trips = await timePoint(repeated(roundTrip(gpu.device)), { budgetS: 0.5, shouldStop });
      if (trips.length) {
        state.roundTrip = summarize(trips);
        line("trip", `One round trip to the GPU (a one-invocation kernel dispatched, 4 bytes read back): ${duration(state.roundTrip.median_s)}.`);
      }
      for (const bytes of COPY_BYTES) {
        if (shouldStop() || bytes > gpu.limits.maxBufferSize) break;
        const c = copies(gpu.device, bytes);
        for (const direction of ["to-gpu", "from-gpu"]) {
          const taken = await timePoint(repeated(direction === "to-gpu" ? c.toGpu : c.fromGpu), { budgetS: 0.4, shouldStop });
          if (!taken.length) break;
          const s = summarize(taken);
          state.copies.push({ direction, bytes, ...s });
          line("copies", copiesText(state.copies));
        }
        c.destroy();
      }
    }
    state.stopped = stopRequested;
    say(stopRequested ? "Stopped. The points measured so far are kept." :
      left() <= 0 ? "The time budget ran out; the points measured so far are kept." : "Done.");
    root.setAttribute("data-state", stopRequested ? "stopped" : "done");
  } catch (error) {
    say(`Stopped by an error: ${error.message}`);
    root.setAttribute("data-state", "error");
  } finally {
    $("#run").disabled = false;
    $("#stop").disabled = true;
    offerExport();
  }
}

const NEXT_SIZE_COST = 8 * 4;  // doubling n costs 8x the time, and a point takes 4 calls at least

/** The copies in one line, every rate in GB/s: "to the GPU 0.310 (64 KiB), ...". */
function copiesText(done) {
  const side = (direction) => done.filter((c) => c.direction === direction)
    .map((c) => `${number(c.bytes / c.median_s / 1e9)} (${bytesText(c.bytes)})`).join(", ");
  const back = side("from-gpu");
  return `Copies, in GB/s: to the GPU ${side("to-gpu")}` + (back ? `; back from it ${back}.` : ".");
}

function offerExport() {
  if (!state || !state.cpu.length || !format) return;
  const results = buildResults({
    format, adapter: state.adapter, browser: describeBrowser(), budgetS: totalBudget, stopped: state.stopped,
    points: [...state.cpu, ...state.gpu, ...state.gpuE2e], roundTrip: state.roundTrip, copies: state.copies,
  });
  const link = $("#results-json");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(results, null, 1)], { type: "application/json" }));
  link.download = fileName();
  link.hidden = false;
  root.results = results;  // for the site's tests
}

async function init() {
  const about = describeBrowser();
  $("#browser").textContent = `${about.user_agent}; the CPU side uses ${about.threads_used} thread` +
    (about.hardware_concurrency ? ` of the ${about.hardware_concurrency} this machine offers` : "");
  $("#run").addEventListener("click", run);
  $("#stop").addEventListener("click", () => { stopRequested = true; say("Stopping after this point..."); });
  $("#stop").disabled = true;
  try {
    const site = await loadPublished();
    format = site.format;
    published = site.lines.map(publishedSeries);
    showCrossings(site.crossings);
  } catch (error) {
    published = [];
    line("published", `The published machines could not be loaded (${error.message}); without them the run cannot be exported.`, "m-note");
  }
  legend();
  state = { cpu: [], gpu: [], gpuE2e: [] };
  draw();
  // redrawn when the column's width changes (a rotated phone, a resized window)
  new ResizeObserver(() => {
    if ($(".m-plots").clientWidth !== drawnWidth) requestAnimationFrame(draw);
  }).observe($(".m-plots"));
  root.setAttribute("data-state", "ready");
}

init();
