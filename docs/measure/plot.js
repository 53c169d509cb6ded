// A log-log line chart drawn as SVG by the page, in the site's colours (CSS classes, so light
// and dark follow the theme) and its figures' style (whygpu.report.style): a title on the
// panel, SI prefixes and time units on the ticks, each line named at its end. Measured lines
// are solid with points (the reader's in colour, the site's grey); model lines grey, dashed
// (compute only) or dotted (end to end), without points.
// Written here rather than pulled from a plotting library: two log-log panels are a couple of
// hundred lines, and the page then loads nothing it does not need.
//
// The SVG is drawn at the width it is shown at (one unit a CSS pixel), so the text sizes below
// are the sizes a reader sees, on a phone as on a desktop.
import { sizeTick } from "./format.js";

const NS = "http://www.w3.org/2000/svg";
export const FONT = 12;  // ticks and line names, in px: the least the site lets text be
const TITLE_FONT = 15;
const AXIS_FONT = 13;
const GAP = 3;  // px between two line names

function el(name, attrs, parent) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** A text's width in px, estimated (no layout needed, so node tests the same numbers): a
 *  sans-serif character is at most about 0.6 of its font size wide on average. */
export function textWidth(text, px = FONT) {
  return text.length * px * 0.58;
}

/** Decades covering [lo, hi]; where fewer than three fall inside, the 2s and 5s between too. */
export function logTicks(lo, hi) {
  const out = [];
  // Number("1e-5"), not 10 ** -5, which is 0.000009999999999999999
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(Number(`1e${e}`));
  const inside = (v) => v >= lo && v <= hi;
  if (out.filter(inside).length >= 3) return out.filter(inside);
  return out.flatMap((d) => [d, 2 * d, 5 * d]).filter(inside);
}

/** Every k-th of `ticks`, the smallest k that keeps `room(tick)` px between neighbours, given
 *  `at(tick)`, the tick's position in px. */
export function thinned(ticks, at, room) {
  for (let k = 1; k <= ticks.length; k++) {
    const kept = ticks.filter((_, i) => i % k === 0);
    if (kept.every((t, i) => i === 0 || Math.abs(at(t) - at(kept[i - 1])) >= (room(t) + room(kept[i - 1])) / 2)) return kept;
  }
  return ticks.slice(0, 1);
}

/** Line names moved apart vertically so none overlaps another it shares columns with:
 *  `labels` are { x, w, y (wanted centre), h }; each gets `at`, its centre, kept in [lo, hi]
 *  where it can be. Names are pushed down past the ones above them, then back up from the
 *  bottom, so a stack stays near the lines it names. */
export function spread(labels, lo, hi, gap = GAP) {
  const overlapX = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w;
  const order = [...labels].sort((a, b) => a.y - b.y);
  const placed = [];
  for (const label of order) {
    let at = Math.max(label.y, lo + label.h / 2);
    for (const other of placed) {
      if (overlapX(label, other)) at = Math.max(at, other.at + (other.h + label.h) / 2 + gap);
    }
    label.at = at;
    placed.push(label);
  }
  for (let i = placed.length - 1; i >= 0; i--) {
    const label = placed[i];
    let at = Math.min(label.at, hi - label.h / 2);
    for (const other of placed.slice(i + 1)) {
      if (overlapX(label, other)) at = Math.min(at, other.at - (other.h + label.h) / 2 - gap);
    }
    label.at = Math.max(at, lo + label.h / 2);
  }
  return labels;
}

/** A name split in two lines at the space nearest its middle, when it is wider than `room`. */
export function wrapped(text, room, px = FONT) {
  if (textWidth(text, px) <= room) return [text];
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  if (!spaces.length) return [text];
  const cut = spaces.reduce((best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best));
  return [text.slice(0, cut), text.slice(cut + 1)];
}

/** The classes of a series: its kind, and m-e2e for an end-to-end line. */
function classes(s) {
  return `m-${s.kind}${s.e2e ? " m-e2e" : ""}`;
}

/** A point's marker: a circle for a CPU, a square for a GPU (the site's figures' markers). */
function marker(svg, s, x, y, text) {
  const cls = `m-dot ${classes(s)}`;
  const node = s.gpu
    ? el("rect", { x: x - 3.5, y: y - 3.5, width: 7, height: 7, class: cls }, svg)
    : el("circle", { cx: x, cy: y, r: s.kind === "published" ? 2 : 3.5, class: cls }, svg);
  el("title", {}, node).textContent = text;
}

/** The names drawn at the lines' ends: one per line, or, below NARROW px, one per `group` of
 *  lines (the site's CPUs, which lie close together), so a phone's plot is not all names.
 *  Each is { text, cls, series (what data-series says), end: the last point }. */
export function endNames(lines, narrow) {
  const names = [];
  const groups = new Map();
  for (const s of lines) {
    const end = s.ok[s.ok.length - 1];
    if (narrow && s.group && lines.filter((o) => o.group === s.group).length > 1) {
      if (!groups.has(s.group)) {
        groups.set(s.group, { text: s.group, cls: tagClasses(s), series: s.group, ends: [] });
        names.push(groups.get(s.group));
      }
      groups.get(s.group).ends.push(end);
    } else {
      names.push({ text: s.tag, cls: tagClasses(s), series: s.label, end });
    }
  }
  for (const g of groups.values()) {
    // the group's name at its members' right-most end, at their middle height (log scale)
    const x = Math.max(...g.ends.map((p) => p.x));
    const y = 10 ** (g.ends.reduce((sum, p) => sum + Math.log10(p.y), 0) / g.ends.length);
    g.end = { x, y };
  }
  return names;
}

export const NARROW = 600;

/** A name's classes: its own (m-tag-*), not the line's, so a line's stroke never outlines it. */
function tagClasses(s) {
  return `m-tag m-tag-${s.kind}${s.e2e ? " m-tag-e2e" : ""}`;
}

/** Draw `series` into `svg` at `width` px: each series is { label (full name), tag (the name
 *  at its end), group (a name it shares on a phone), kind: 'reader-cpu'|'reader-gpu'|
 *  'published'|'model', e2e, gpu, points: [{x, y}] }. `yTick` writes a value axis tick; `mark`
 *  is an x to flag (the reader's crossover). Returns the number of lines drawn. */
export function drawPlot(svg, { series, title, xLabel, yLabel, yTick, xTick = sizeTick, mark = null, width = 640 }) {
  while (svg.firstChild) svg.removeChild(svg.firstChild);
  const W = Math.max(260, Math.round(width));
  const H = Math.round(Math.min(420, Math.max(300, W * 0.58)));
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("width", W);
  svg.setAttribute("height", H);
  el("title", {}, svg).textContent = title;
  el("text", { x: 0, y: TITLE_FONT + 2, class: "m-title" }, svg).textContent = title;

  const usable = (p) => p.x > 0 && p.y > 0 && Number.isFinite(p.x) && Number.isFinite(p.y);
  const lines = series.map((s) => ({ ...s, ok: s.points.filter(usable).sort((p, q) => p.x - q.x) }))
    .filter((s) => s.ok.length);
  if (!lines.length) return 0;
  const xs = lines.flatMap((s) => s.ok.map((p) => p.x)), ys = lines.flatMap((s) => s.ok.map((p) => p.y));
  const [x0, x1] = [Math.min(...xs) / 1.25, Math.max(...xs) * 1.25];
  const [y0, y1] = [Math.min(...ys) / 1.6, Math.max(...ys) * 1.6];

  // Margins from what they hold: the value ticks at the left, the names of the lines that
  // reach the right edge in a gutter there (at most a third of the width; longer names wrap).
  const yTicks = logTicks(y0, y1);
  const L = AXIS_FONT + 10 + Math.max(...yTicks.map((v) => textWidth(yTick(v)))) + 6;
  const T = TITLE_FONT + 16, B = FONT + AXIS_FONT + 26;
  const xMax = Math.max(...xs);
  const names = endNames(lines, W < NARROW);
  const atEdge = names.filter((t) => t.end.x === xMax);
  const R = Math.min(W / 3, Math.max(0, ...atEdge.map((t) => textWidth(t.text))) + 10);
  const sx = (x) => L + ((Math.log10(x) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))) * (W - L - R);
  const sy = (y) => H - B - ((Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (H - T - B);

  const shownY = thinned(yTicks, sy, () => FONT + 8);
  for (const v of shownY) {
    el("line", { x1: L, x2: W - R, y1: sy(v), y2: sy(v), class: "m-grid" }, svg);
    el("text", { x: L - 6, y: sy(v) + FONT * 0.35, "text-anchor": "end", class: "m-tick" }, svg).textContent = yTick(v);
  }
  const powers = [];
  for (let n = 2 ** Math.ceil(Math.log2(x0)); n <= x1; n *= 2) powers.push(n);
  for (const v of thinned(powers, sx, (t) => textWidth(xTick(t)) + 12)) {
    el("line", { x1: sx(v), x2: sx(v), y1: T, y2: H - B, class: "m-grid" }, svg);
    el("text", { x: sx(v), y: H - B + FONT + 6, "text-anchor": "middle", class: "m-tick" }, svg).textContent = xTick(v);
  }
  el("path", { d: `M${L},${T} V${H - B} H${W - R}`, class: "m-frame" }, svg);
  el("text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle", class: "m-axis" }, svg).textContent = xLabel;
  const mid = (T + H - B) / 2;
  el("text", { x: AXIS_FONT, y: mid, "text-anchor": "middle", class: "m-axis",
    transform: `rotate(-90 ${AXIS_FONT} ${mid})` }, svg).textContent = yLabel;

  if (mark) {
    el("line", { x1: sx(mark), x2: sx(mark), y1: T, y2: H - B, class: "m-mark" }, svg);
    el("text", { x: sx(mark) + 4, y: T + FONT, class: "m-tick m-mark-text" }, svg).textContent = `GPU wins from ${mark}`;
  }

  // grey lines first, the reader's on top of them
  const order = [...lines].sort((a, b) => a.kind.startsWith("reader") - b.kind.startsWith("reader"));
  for (const s of order) {
    const d = s.ok.map((p, i) => `${i ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
    const path = el("path", { d, class: `m-line ${classes(s)}`, "data-series": s.label }, svg);
    el("title", {}, path).textContent = s.label;
    if (s.kind !== "model") {
      for (const p of s.ok) marker(svg, s, sx(p.x), sy(p.y), `${s.label}: n = ${p.x}, ${yTick(p.y)}`);
    }
  }

  // each line's name at its end, moved apart where two would overlap
  const tags = names.map((name) => {
    const x = sx(name.end.x) + 7;
    const room = name.end.x === xMax ? R - 8 : W - x - 2;
    const rows = wrapped(name.text, room);
    const w = Math.max(...rows.map((r) => textWidth(r)));
    return { ...name, rows, x: Math.min(x, W - w - 2), w, y: sy(name.end.y), h: rows.length * (FONT + 2) };
  });
  spread(tags, T, H - B);
  for (const t of tags) {
    const text = el("text", { x: t.x, y: t.at - t.h / 2 + FONT - 1, class: t.cls, "data-series": t.series }, svg);
    t.rows.forEach((row, i) => {
      el("tspan", { x: t.x, dy: i ? FONT + 2 : 0 }, text).textContent = row;
    });
  }
  return lines.length;
}
