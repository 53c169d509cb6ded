// What to measure and for how long: the size sweep, capped by the adapter's limits and by time,
// the timing loop every point goes through, and where the GPU starts to win.

export const SIZES = [16, 32, 64, 128, 256, 512, 1024, 2048];
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

/** The first size at which the GPU's median time beats the CPU's, and the first from which it
 *  wins by more than both points' spread (q3 of the GPU under q1 of the CPU); null if never. */
export function crossover(cpu, gpu) {
  const byCpu = new Map(cpu.map((p) => [p.size, p]));
  const shared = gpu.filter((p) => byCpu.has(p.size)).sort((x, y) => x.size - y.size);
  const first = shared.find((p) => p.median_s < byCpu.get(p.size).median_s);
  const sure = shared.find((p) => first && p.size >= first.size && p.q3_s < byCpu.get(p.size).q1_s);
  return { first: first ? first.size : null, sure: sure ? sure.size : null };
}

/** How the page says it, as the site does: "n = 256", or a range when it is inside the noise. */
export function crossoverText({ first, sure }) {
  if (first === null) return "the CPU was faster at every size measured";
  if (sure === first) return `the GPU wins from n = ${first}`;
  if (sure === null) return `the GPU wins from n = ${first}, inside the noise`;
  return `the GPU wins from about n = ${first} to ${sure}`;
}
