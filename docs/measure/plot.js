// A log-log line chart drawn as SVG by the page, in the site's colours (CSS classes, so light
// and dark follow the theme): the reader's CPU and GPU in colour, the published machines grey.
// Written here rather than pulled from a plotting library: two small panels with log axes are
// about a hundred lines, and the page then loads nothing it does not need.

const NS = "http://www.w3.org/2000/svg";
const W = 360, H = 240, L = 52, R = 10, T = 12, B = 40;

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** Decades covering [lo, hi], for log ticks. */
export function decades(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

export function tickLabel(v) {
  if (v >= 1000) return `${v / 1000}k`;
  if (v >= 1) return String(v);
  const s = v.toExponential(0).replace("e-", "e\u2212");
  return s;
}

/** Draw `series` ({label, kind: 'reader-cpu'|'reader-gpu'|'published'|'model', points: [{x, y}]})
 *  into `svg`; `mark` is an x to flag (the reader's crossover). Returns the number of lines. */
export function drawPlot(svg, { series, xLabel, yLabel, mark = null, title }) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const usable = (p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y);
  const pts = series.flatMap((s) => s.points).filter(usable);
  if (!pts.length) return 0;
  const xs = pts.map((p) => p.x), ys = pts.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs) / 1.3, Math.max(...xs) * 1.3];
  const [y0, y1] = [Math.min(...ys) / 2, Math.max(...ys) * 2];
  const sx = (x) => L + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * (W - L - R);
  const sy = (y) => H - B - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (H - T - B);
  el("title", {}, svg).textContent = title;
  el("rect", { x: L, y: T, width: W - L - R, height: H - T - B, class: "m-frame" }, svg);
  for (const v of decades(y0, y1)) {
    if (v < y0 || v > y1) continue;
    el("line", { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: "m-grid" }, svg);
    el("text", { x: L - 4, y: sy(v) + 3, "text-anchor": "end", class: "m-tick" }, svg).textContent = tickLabel(v);
  }
  for (const v of [16, 64, 256, 1024, 4096]) {
    if (v < x0 || v > x1) continue;
    el("text", { x: sx(v), y: H - B + 14, "text-anchor": "middle", class: "m-tick" }, svg).textContent = String(v);
  }
  el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", class: "m-axis" }, svg).textContent = xLabel;
  el("text", { x: 12, y: (T + H - B) / 2, "text-anchor": "middle", class: "m-axis",
    transform: `rotate(-90 12 ${(T + H - B) / 2})` }, svg).textContent = yLabel;
  let lines = 0;
  for (const s of series) {
    const ok = s.points.filter(usable).sort((p, q) => p.x - q.x);
    if (!ok.length) continue;
    const d = ok.map((p, i) => `${i ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
    const line = el("path", { d, class: `m-line m-${s.kind}`, "data-series": s.label }, svg);
    el("title", {}, line).textContent = s.label;
    if (s.kind.startsWith("reader")) {
      for (const p of ok) el("circle", { cx: sx(p.x), cy: sy(p.y), r: 2.5, class: `m-dot m-${s.kind}` }, svg);
    }
    lines++;
  }
  if (mark) {
    el("line", { x1: sx(mark), x2: sx(mark), y1: T, y2: H - B, class: "m-mark" }, svg);
    el("text", { x: sx(mark) + 3, y: T + 11, class: "m-tick" }, svg).textContent = `GPU wins from ${mark}`;
  }
  return lines;
}
