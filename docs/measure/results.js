// What the page shows, in words and in a table: the site's published lines as the plots draw
// them, the results table under the plots (n | CPU | GPU | GPU/CPU, each time column in one
// unit) and the verdict above them, which names a software adapter as what it is, since its
// "GPU" times are the CPU's.
import { columnUnit, grouped, number, ratio, TIMES } from "./format.js";
import { crossover, crossingText } from "./plan.js";
import { softwareName } from "./webgpu.js";

/** The results table: `head` (four column names, each time column with its unit) and `rows`
 *  (one per size the CPU measured; a size the GPU did not reach shows a dash), as text. */
export function resultsTable(cpu, gpu) {
  const [cpuUnit, cpuScale] = columnUnit(cpu.map((p) => p.median_s));
  const [gpuUnit, gpuScale] = columnUnit(gpu.map((p) => p.median_s));
  const bySize = new Map(gpu.map((p) => [p.size, p]));
  const rows = [...cpu].sort((a, b) => a.size - b.size).map((c) => {
    const g = bySize.get(c.size);
    return [
      grouped(c.size),
      number(c.median_s / cpuScale),
      g ? number(g.median_s / gpuScale) : "–",
      g ? ratio(g.median_s / c.median_s) : "–",
    ];
  });
  // a column with no times (no WebGPU) names no unit
  return { head: ["n", `CPU (${cpuUnit})`, gpu.length ? `GPU (${gpuUnit})` : "GPU", "GPU/CPU"], rows };
}

/** What the table's caption says about its columns. */
export const TABLE_CAPTION = "Median time of one product on your machine. GPU/CPU is the GPU's " +
  `time over the CPU's: above 1${TIMES} the CPU was faster.`;

/** The verdict on the reader's run: where the GPU starts to win, with the data already on it
 *  and end to end, by the site's crossover rule; and, when the adapter is software, that its
 *  times are the CPU's own and say nothing about a real GPU. "" before there is anything. */
export function verdict({ cpu, gpu, gpuE2e = [], adapter = null, webgpu = true }) {
  if (!cpu.length) return "";
  if (!webgpu) return "On your machine only the CPU side ran: this browser offered no WebGPU.";
  if (!gpu.length) return "";
  const compute = crossover(cpu, gpu);
  const e2e = crossover(cpu, gpuE2e);
  let said;
  if (compute.first === null) {
    said = "On your machine the CPU was faster than the GPU at every size measured";
  } else {
    const endToEnd = gpuE2e.length
      ? (e2e.first === null ? ", and at no size measured end to end" : `, and from ${crossingText(e2e)} end to end, copies included`)
      : "";
    said = `On your machine the GPU wins from ${crossingText(compute)} with the data already on it${endToEnd}`;
  }
  if (adapter && adapter.software) {
    const name = softwareName(adapter);
    return `${said}, but this GPU was ${name}, software running on your CPU, so this says nothing about a real GPU.`;
  }
  return `${said}.`;
}

/** Each published line as the plot draws it: named by the site, grey, a model dashed (dotted
 *  end to end). measure.json says a line is end to end only in its name
 *  (whygpu.report.published writes "end to end" into it), so the name is what is read. */
export function publishedSeries(line) {
  const model = line.kind === "model";
  const e2e = /\bend to end\b/.test(line.name);
  const cpu = !model && / CPU \(/.test(line.name);  // "<machine> CPU (measured by this site)"
  return {
    label: line.name,
    // the name at the line's end: short, the legend below has the full one
    tag: model ? `GPU model${e2e ? ", end to end" : ""}` : line.name.replace(/ \([^()]*\)$/, ""),
    kind: model ? "model" : "published",
    e2e,
    gpu: !model && !cpu,  // a measured GPU line: square points
    group: cpu ? "the site's CPUs" : undefined,  // one name for them all on a phone
    points: line.points.map((p) => ({ x: p.size, time: p.median_s, rate: p.gflop_per_s })),
  };
}
