// What to measure and for how long: the size sweep, capped by the adapter's limits and by time,
// the work one product does, the timing loop every point goes through, and where the GPU starts
// to win on the reader's own machine (the site's published crossings come from measure.json).

export const SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048];
/** The crossover example's workload the page times: measure.json lists the site's published
 *  lines and crossings by workload, and the page shows this one's. */
export const WORKLOAD = "matmul";
export const POINT_BUDGET_S = 1.5;  // time one point may take, warm-up included
export const TOTAL_BUDGET_S = 90;   // the whole run; the sweep stops early when it is spent
export const MIN_SAMPLES = 3;
export const MAX_SAMPLES = 50;
export const MIN_BLOCK_S = 0.005;  // a timed block lasts at least this long

/** Sizes whose n x n fp32 matrix fits one storage buffer of this adapter. */
export function sizesWithin(limits, sizes = SIZES) {
  if (!limits) return sizes;
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  return sizes.filter((n) => 4 * n * n <= cap);
}

/** Time `block(k)` (async; runs the call k times): one untimed warm-up, then the repeat count
 *  k is raised tenfold until a block lasts MIN_BLOCK_S (a browser's clock ticks coarsely, every
 *  0.1 ms in Chrome without cross-origin isolation), then blocks until the point's budget is spent
 *  (at least MIN_SAMPLES, at most MAX_SAMPLES) or `shouldStop()` says so. Seconds per call. */
export async function timePoint(block, { budgetS = POINT_BUDGET_S, now = defaultNow, shouldStop = () => false } = {}) {
  const start = now();
  await block(1);
  let k = 1;
  for (;;) {
    const t0 = now();
    await block(k);
    const took = now() - t0;
    if (took >= MIN_BLOCK_S || k >= 1e6 || now() - start >= budgetS / 2 || shouldStop()) break;
    k *= 10;
  }
  const samples = [];
  while (samples.length < MAX_SAMPLES && !shouldStop()) {
    const t0 = now();
    await block(k);
    samples.push((now() - t0) / k);
    if (samples.length >= MIN_SAMPLES && now() - start >= budgetS) break;
  }
  return samples;
}

/** A call repeated: the block `timePoint` times, for a call that is one step. */
export function repeated(call) {
  return async (k) => {
    for (let i = 0; i < k; i++) await call();
  };
}

function defaultNow() {
  return performance.now() / 1000;
}

/** FLOPs of one product of two n x n matrices: n * n outputs, each n multiplies and n adds.
 *  The matmul example's work(n, "fp32").flops says the same; tests/site/test_js_units.py
 *  compares the two at every size in SIZES. */
export function matmulFlops(n) {
  return 2 * n ** 3;
}

/** Where the GPU starts to beat the CPU on the reader's machine, by the site's rule
 *  (whygpu.report.crossover): `first`, the first size both measured at which the GPU's median
 *  time is below the CPU's; `sure`, the first size from there on at which the GPU's slowest
 *  likely time is below the CPU's fastest, so a win inside the noise reads as a range. A page
 *  point is one round, and for one round the site's range is its samples' quartiles
 *  (series.time_range), so q3_s and q1_s here. null where there is none. A test runs this and
 *  the Python rule on the same samples (tests/site/test_js_units.py). */
export function crossover(cpu, gpu) {
  const byCpu = new Map(cpu.map((p) => [p.size, p]));
  const shared = gpu.filter((p) => byCpu.has(p.size)).sort((x, y) => x.size - y.size);
  const first = shared.find((p) => p.median_s < byCpu.get(p.size).median_s);
  if (!first) return { first: null, sure: null };
  const sure = shared.find((p) => p.size >= first.size && p.q3_s < byCpu.get(p.size).q1_s);
  return { first: first.size, sure: sure ? sure.size : null };
}

/** A crossing as the site writes one (whygpu.report.crossover.crossing_text): "n = 256", or
 *  "about n = 96 to 128" where the first win is inside the noise, or "n = 96, inside the noise"
 *  where no larger size settles it; `none` where the GPU never won. */
export function crossingText({ first, sure }, none = "no size measured") {
  if (first === null) return none;
  if (sure === first) return `n = ${grouped(first)}`;
  return sure === null ? `n = ${grouped(first)}, inside the noise` : `about n = ${grouped(first)} to ${grouped(sure)}`;
}

function grouped(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
