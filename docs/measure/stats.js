// Summaries of timed samples, as the harness keeps them: median and quartiles, never the mean
// (one slow sample from a busy tab would drag it), with the count beside them.

export function quantile(sorted, q) {
  if (!sorted.length) throw new Error("no samples");
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

export function summarize(samples) {
  const sorted = [...samples].sort((x, y) => x - y);
  return {
    median_s: quantile(sorted, 0.5),
    q1_s: quantile(sorted, 0.25),
    q3_s: quantile(sorted, 0.75),
    samples: sorted.length,
  };
}
