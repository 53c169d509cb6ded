/* Interactive example figures.
 *
 * Under a figure whose data the report wrote (<name>.explore.json), the hook explore_figures.py
 * leaves an empty <div class="xp">. This script puts an "Explore" button there; pressed, it
 * draws the figure from that data in place of the static SVG, with every point's value on hover,
 * tap and keyboard focus, and a choice of machine and of the GPU the model lines show. The data
 * holds every number already computed (times, rates, rounds' ranges, flags, kinds of evidence):
 * this script only draws it. Hand-written SVG, not a plotting library: the chart needs log axes,
 * range bars, dashes by kind of evidence and focusable points, in about 400 lines; uPlot draws on
 * a canvas (no focusable points) and Observable Plot brings d3 (hundreds of KB) to every page.
 */
(() => {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  // the static figures' palettes (src/whygpu/report/style.py THEMES; a test compares them)
  const THEMES = {
    light: { fg: "#1f2328", grid: "#d0d7de", model: "#6e7781", flag: "#cf222e",
      colors: ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"] },
    dark: { fg: "#e6edf3", grid: "#3d444d", model: "#9198a1", flag: "#ff7b72",
      colors: ["#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#d55e00"] },
  };
  const DASH = { compute: "7 4", e2e: "1.5 3.5" };
  const WIDE = 600; // px: below this the line names go under the chart (the site's phone width)
  const SIDE_BY_SIDE = 1000; // px: below this the two panels stack

  // ---- numbers, in the site's style: comma thousands, SI prefixes on ticks ----
  const PREFIX = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
  function si(v) {
    for (const [f, p] of PREFIX) if (Math.abs(v) >= f) return trim(v / f) + p;
    return trim(v);
  }
  function trim(v) {
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US")
      : String(Number(v.toPrecision(v >= 1 ? 3 : 2)));
  }
  function sig(v) { // three significant digits, comma thousands
    if (v >= 1000) return Math.round(Number(v.toPrecision(3))).toLocaleString("en-US");
    return String(Number(v.toPrecision(3)));
  }
  // a size as the static figure writes it: 1k for 1000, 1Ki for 1024, "4 MiB" on a bytes axis
  function size(n, bytes) {
    for (const [f, p] of [[2 ** 30, "Gi"], [2 ** 20, "Mi"], [2 ** 10, "Ki"]])
      if (n >= f && n % f === 0) return bytes ? `${n / f} ${p}B` : `${n / f}${p}`;
    for (const [f, p] of [[1e9, "G"], [1e6, "M"], [1e3, "k"]])
      if (n >= f && n % f === 0) return bytes ? `${n / f} ${p}B` : `${n / f}${p}`;
    return n.toLocaleString("en-US") + (bytes ? " B" : "");
  }

  function time(s) {
    if (s >= 1) return `${sig(s)} s`;
    if (s >= 1e-3) return `${sig(s * 1e3)} ms`;
    if (s >= 1e-6) return `${sig(s * 1e6)} µs`;
    return `${sig(s * 1e9)} ns`;
  }
  function timeTick(s) {
    if (s >= 1) return `${trim(s)} s`;
    if (s >= 1e-3) return `${trim(s * 1e3)} ms`;
    if (s >= 1e-6) return `${trim(s * 1e6)} µs`;
    return `${trim(s * 1e9)} ns`;
  }

  // ---- scales ----
  function logScale(lo, hi, a, b) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    const perDecade = Math.abs(b - a) / (l1 - l0);
    const f = (v) => a + ((Math.log10(v) - l0) / (l1 - l0)) * (b - a);
    f.ticks = () => {
      const out = [];
      const step = perDecade < 28 ? 2 : 1;
      for (let e = Math.ceil(l0); e <= Math.floor(l1); e += step) out.push(10 ** e);
      if (out.length < 3 && perDecade > 110) { // few decades, room: 2 and 5 between them
        for (let e = Math.floor(l0); e <= Math.ceil(l1); e++)
          for (const m of [2, 5]) { const v = m * 10 ** e; if (v >= lo && v <= hi) out.push(v); }
        out.sort((x, y) => x - y);
      }
      return out;
    };
    return f;
  }
  function linScale(lo, hi, a, b) {
    const f = (v) => a + ((v - lo) / (hi - lo)) * (b - a);
    f.ticks = () => {
      const raw = (hi - lo) / 5, p = 10 ** Math.floor(Math.log10(raw));
      const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw);
      const out = [];
      for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
      return out;
    };
    return f;
  }
  function span(values) {
    const v = values.filter((x) => x > 0 && Number.isFinite(x));
    return [Math.min(...v), Math.max(...v)];
  }

  // ---- SVG helpers ----
  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el("text", { x, y, ...attrs }, parent);
    t.textContent = s;
    return t;
  }

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate"
      ? THEMES.dark : THEMES.light;
  }

  // ---- what one view draws: the chosen machine's lines, and the chosen GPU's model ----
  function linesOf(data, machine, gpu) {
    const m = data.machines[machine];
    const th = theme();
    const measured = m.lines.map((l) => ({ // the static figure's colour for the variant
      ...l, kind: "measured", color: th.colors[l.colour % th.colors.length],
    }));
    const models = (m.models[gpu] || []).map((l) => ({ ...l, kind: "model", color: th.model }));
    return { measured, models, cited: m.cited, device: m.device };
  }

  function tipText(data, machine, line, p, panelValue) {
    const rows = [`<b>${line.name}</b> · ${line.evidence}`];
    rows.push(line.kind === "measured" ? `${line.device} (${machine})` : `${line.device}`);
    rows.push(`${data.size_label} = ${p.n.toLocaleString("en-US")}`);
    rows.push(`${time(p.t)} per call · ${sig(p.r)} ${data.rate_unit}`);
    if (line.kind === "measured") {
      const agree = p.flag
        ? `rounds more than ${Math.round(data.flag_fraction * 100)}% apart`
        : "rounds agree";
      rows.push(`${p.rounds} rounds: ${time(p.lo)} to ${time(p.hi)} (${agree})`);
    } else if (line.borrowed) {
      rows.push(`not measured; ${line.borrowed}`);
    } else {
      rows.push("not measured: computed from the datasheet");
    }
    return rows.join("<br>");
  }

  // ---- one panel ----
  function panel(svg, box, spec, view, data, machine, tip, points) {
    const th = theme();
    const g = el("g", {}, svg);
    const { x, y } = spec;
    text(g, box.x, box.y - 10, spec.title, { "font-weight": "600", "font-size": 14, fill: th.fg });
    for (const t of y.ticks()) {
      const yy = y(t);
      el("line", { x1: box.x, x2: box.x + box.w, y1: yy, y2: yy, stroke: th.grid }, g);
      text(g, box.x - 6, yy + 4, spec.yfmt(t), { "text-anchor": "end", "font-size": 12, fill: th.fg });
    }
    for (const t of x.ticks()) {
      const xx = x(t);
      el("line", { x1: xx, x2: xx, y1: box.y, y2: box.y + box.h, stroke: th.grid }, g);
      text(g, xx, box.y + box.h + 16, spec.xfmt(t), { "text-anchor": "middle", "font-size": 12, fill: th.fg });
    }
    el("path", { d: `M${box.x},${box.y}V${box.y + box.h}H${box.x + box.w}`, stroke: th.fg, fill: "none" }, g);
    text(g, box.x + box.w / 2, box.y + box.h + 34, data.size_label,
      { "text-anchor": "middle", "font-size": 12, fill: th.fg });
    const value = spec.value;
    const inside = (p) => value(p) > 0;
    for (const line of [...view.measured, ...view.models]) {
      const pts = line.points.filter(inside);
      const d = pts.map((p, i) => `${i ? "L" : "M"}${x(p.n).toFixed(1)},${y(value(p)).toFixed(1)}`).join("");
      const model = line.kind === "model";
      el("path", {
        d, fill: "none", stroke: line.color, class: model ? "xp-model" : "xp-measured",
        "data-name": line.name,
        "stroke-width": model ? (line.calibrated ? 2.2 : 1.5) : line.accelerator === "gpu" ? 2.6 : 2,
        "stroke-dasharray": model ? DASH[line.e2e ? "e2e" : "compute"] : undefined,
      }, g);
      for (const p of pts) {
        const cx = x(p.n), cy = y(value(p));
        if (!model) { // the rounds' range: thin, red where the rounds disagree
          const [lo, hi] = spec.range(p);
          el("line", { x1: cx, x2: cx, y1: y(lo), y2: y(hi), stroke: p.flag ? th.flag : line.color,
            "stroke-width": p.flag ? 1.6 : 1 }, g);
        }
        const gpu = line.accelerator === "gpu";
        const mark = model
          ? el("circle", { cx, cy, r: 2.5, fill: line.color }, g)
          : gpu
            ? el("rect", { x: cx - 3.5, y: cy - 3.5, width: 7, height: 7, fill: "none",
              stroke: line.color, "stroke-width": 1.6 }, g)
            : el("circle", { cx, cy, r: 3.5, fill: line.color }, g);
        mark.classList.add("xp-pt");
        mark.setAttribute("tabindex", "-1");
        mark.setAttribute("role", "button");
        const label = tipText(data, machine, line, p);
        mark.setAttribute("aria-label", plain(label));
        points.push({ mark, label, cx, cy });
      }
    }
    for (const c of view.cited.filter((c) => c.panel === spec.panelName)) {
      const cx = x(c.n), cy = y(c.v);
      const star = el("path", { d: starPath(cx, cy, 7), fill: th.fg, class: "xp-pt xp-cited" }, g);
      star.setAttribute("tabindex", "-1");
      star.setAttribute("role", "button");
      const shown = spec.panelName === "time" ? time(c.v) : `${sig(c.v)} ${data.rate_unit}`;
      const label = `<b>${c.name}</b> · measured elsewhere (cited)<br>${c.label}<br>` +
        `drawn at ${data.size_label} = ${c.n.toLocaleString("en-US")}: ${shown}`;
      star.setAttribute("aria-label", plain(label));
      points.push({ mark: star, label, cx, cy });
    }
    return g;
  }

  function plain(html) { // a tooltip's text as a screen reader reads it
    return html.replace(/<br>/g, "; ").replace(/<[^>]+>/g, "");
  }

  function starPath(cx, cy, r) {
    let d = "";
    for (let i = 0; i < 10; i++) {
      const a = (Math.PI / 5) * i - Math.PI / 2, rr = i % 2 ? r * 0.45 : r;
      d += `${i ? "L" : "M"}${(cx + rr * Math.cos(a)).toFixed(1)},${(cy + rr * Math.sin(a)).toFixed(1)}`;
    }
    return `${d}Z`;
  }

  // each line's name at its end, pushed apart so that no two overlap
  function endLabels(svg, box, spec, lines, cited) {
    const rows = lines.map((l) => {
      const pts = l.points.filter((p) => spec.value(p) > 0);
      const last = pts[pts.length - 1];
      return { l, y: spec.y(spec.value(last)) };
    });
    for (const c of cited.filter((c) => c.panel === spec.panelName))
      rows.push({ l: { name: `★ ${c.name}, cited`, color: theme().fg }, y: spec.y(c.v) });
    rows.sort((a, b) => a.y - b.y);
    const gap = 30; // two lines of 12 px text
    for (let i = 1; i < rows.length; i++) rows[i].y = Math.max(rows[i].y, rows[i - 1].y + gap);
    for (let i = rows.length - 2; i >= 0; i--) rows[i].y = Math.min(rows[i].y, rows[i + 1].y - gap);
    for (const r of rows) { // a long name on two lines, as the static figure writes it
      const t = text(svg, box.x + box.w + 6, r.y + 4, "", { "font-size": 12, fill: r.l.color, class: "xp-name" });
      const words = r.l.name.split(" ");
      let first = "";
      while (words.length && (first + words[0]).length <= 24) first += `${words.shift()} `;
      const lines = words.length && first ? [first.trim(), words.join(" ")] : [r.l.name];
      lines.forEach((line, i) => {
        const span = el("tspan", { x: box.x + box.w + 6, dy: i ? 14 : lines.length > 1 ? -7 : 0 }, t);
        span.textContent = i === 0 && lines.length > 1 ? `${line} ` : line;
      });
    }
  }

  function draw(root, data, state) {
    const view = linesOf(data, state.machine, state.gpu);
    const width = root.clientWidth || 700;
    const wide = width >= SIDE_BY_SIDE;
    const named = width >= WIDE; // room for each line's name at its end
    const drawn = [...view.measured, ...view.models];
    const longest = Math.max(...drawn.map((l) => l.name.length), ...view.cited.map((c) => c.name.length + 9));
    const names = named ? Math.min(200, 6.6 * Math.min(longest, 26) + 10) : 0;
    const pw = wide ? (width - 70 - 70 - names - 10) / 2 : width - 62 - names - 10;
    const ph = wide ? 300 : 260;
    const boxes = wide
      ? [{ x: 70, y: 34, w: pw, h: ph }, { x: 70 + pw + 70, y: 34, w: pw, h: ph }]
      : [{ x: 62, y: 34, w: pw, h: ph }, { x: 62, y: 34 + ph + 84, w: pw, h: ph }];
    const height = wide ? ph + 84 : 2 * ph + 168;
    const all = drawn.flatMap((l) => l.points);
    const sizes = span([...all.map((p) => p.n), ...view.cited.map((c) => c.n)]); // stars too
    // the static figure's size ticks: the measured sizes, powers of two where most are
    const measuredSizes = [...new Set(all.map((p) => p.n))].sort((a, b) => a - b);
    const powers = measuredSizes.filter((n) => (n & (n - 1)) === 0);
    const bytes = /bytes/.test(data.size_label);
    const xs = (b) => {
      const f = logScale(sizes[0] / 1.3, sizes[1] * 1.3, b.x, b.x + b.w);
      const pool = powers.length >= 3 ? powers : measuredSizes;
      const most = b.w < 400 || bytes ? 4 : 6;
      f.ticks = () => pool.filter((_, i) => i % Math.ceil(pool.length / most) === 0);
      return f;
    };
    const times = span([...all.flatMap((p) => [p.t, p.lo, p.hi]),
      ...view.cited.filter((c) => c.panel === "time").map((c) => c.v)]);
    const rates = span([...all.flatMap((p) => [p.r, p.rlo, p.rhi]),
      ...view.cited.filter((c) => c.panel === "rate").map((c) => c.v)]);
    // more than two decades, or a model beside the measurements: logarithmic
    const logRate = rates[1] / rates[0] > 100 || view.models.length > 0;
    const tb = boxes[0], rb = boxes[1];
    const specs = [
      { panelName: "time", title: "Time per call (lower is better)", x: xs(tb),
        y: logScale(times[0] / 1.6, times[1] * 1.6, tb.y + tb.h, tb.y), yfmt: timeTick, xfmt: (n) => size(n, bytes),
        value: (p) => p.t, range: (p) => [p.lo, p.hi] },
      { panelName: "rate", title: `Throughput, ${data.rate_unit} (higher is better)`, x: xs(rb),
        y: logRate ? logScale(rates[0] / 1.6, rates[1] * 1.6, rb.y + rb.h, rb.y)
          : linScale(0, rates[1] * 1.1, rb.y + rb.h, rb.y),
        yfmt: si, xfmt: (n) => size(n, bytes), value: (p) => p.r, range: (p) => [p.rlo, p.rhi] },
    ];
    const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img",
      "aria-label": `${data.example}: time per call and throughput against ${data.size_label}, ` +
        `on ${state.machine}${view.models.length ? `, with the ${data.gpus[state.gpu]} model` : ""}`,
      class: "xp-svg", "font-family": "var(--md-text-font-family, sans-serif)" });
    const points = [];
    specs.forEach((s, i) => panel(svg, boxes[i], s, view, data, state.machine, state, points));
    if (named) {
      if (!wide) endLabels(svg, tb, specs[0], drawn, view.cited);
      endLabels(svg, rb, specs[1], drawn, view.cited);
    }
    return { svg, points, view };
  }

  // the key under the chart: at most four kinds of mark, and on a phone each line's name
  function key(view, wide) {
    const th = theme();
    const items = [["measured here: solid; ● CPU, ■ GPU; bar: fastest to slowest round", th.fg]];
    if (view.models.length)
      items.push(["model, not measured: dashed compute only, dotted end to end", th.model]);
    if (view.cited.length) items.push(["★ measured elsewhere (cited)", th.fg]);
    items.push(["red bar: rounds disagree", th.flag]);
    const box = document.createElement("ul");
    box.className = "xp-key";
    for (const [s, c] of items) {
      const li = document.createElement("li");
      li.textContent = s;
      li.style.color = c;
      box.appendChild(li);
    }
    if (!wide) {
      for (const l of [...view.measured, ...view.models]) {
        const li = document.createElement("li");
        li.textContent = `— ${l.name}`;
        li.style.color = l.color;
        li.className = "xp-name";
        box.appendChild(li);
      }
      for (const c of view.cited) {
        const li = document.createElement("li");
        li.textContent = `★ ${c.name}, cited`;
        li.className = "xp-name";
        box.appendChild(li);
      }
    }
    return box;
  }

  function controls(data, state, redraw) {
    const bar = document.createElement("div");
    bar.className = "xp-controls";
    const pick = (label, options, value, on) => {
      const l = document.createElement("label");
      l.textContent = `${label} `;
      const s = document.createElement("select");
      for (const [v, t] of options) s.add(new Option(t, v, false, v === value));
      s.addEventListener("change", () => on(s.value));
      l.appendChild(s);
      bar.appendChild(l);
      return s;
    };
    pick("Machine", Object.entries(data.machines).map(([k, m]) => [k, `${k} (${m.device})`]),
      state.machine, (v) => { state.machine = v; redraw(); });
    const gpu = pick("GPU model", Object.entries(data.gpus), state.gpu,
      (v) => { state.gpu = v; redraw(); });
    gpu.classList.add("xp-gpu");
    return { bar, gpu };
  }

  function explore(root, data) {
    const state = { machine: data.machine, gpu: data.gpu };
    const chart = document.createElement("div");
    chart.className = "xp-chart";
    const tip = document.createElement("div");
    tip.className = "xp-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    const note = document.createElement("p");
    note.className = "xp-note";
    const { bar, gpu } = controls(data, state, () => render());
    root.append(bar, chart, note);
    function show(pt) {
      tip.innerHTML = pt.label;
      tip.hidden = false;
      const left = Math.min(pt.cx + 12, chart.clientWidth - 260);
      tip.style.left = `${Math.max(0, left)}px`;
      tip.style.top = `${pt.cy + 12}px`;
    }
    function render() {
      const { svg, points, view } = draw(chart, data, state);
      const modelled = Object.keys(data.machines[state.machine].models).length > 0;
      gpu.disabled = !modelled;
      gpu.title = modelled ? "" : "this machine's GPU side is measured, or has no model";
      chart.replaceChildren(svg, tip, key(view, chart.clientWidth >= WIDE));
      tip.hidden = true;
      points.forEach((pt, i) => {
        pt.mark.setAttribute("tabindex", i ? "-1" : "0"); // one tab stop; arrows move within
        pt.mark.addEventListener("pointerenter", () => show(pt));
        pt.mark.addEventListener("click", () => show(pt)); // a tap
        pt.mark.addEventListener("focus", () => show(pt));
        pt.mark.addEventListener("keydown", (ev) => {
          const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[ev.key];
          if (!step) { if (ev.key === "Escape") tip.hidden = true; return; }
          ev.preventDefault();
          const next = points[(i + step + points.length) % points.length];
          pt.mark.setAttribute("tabindex", "-1");
          next.mark.setAttribute("tabindex", "0");
          next.mark.focus();
        });
      });
      svg.addEventListener("pointerleave", () => { tip.hidden = true; });
      note.textContent = `${points.length} points drawn in your browser from the data of the ` +
        "static figure; hover, tap or focus one (then arrow keys) for its values.";
    }
    render();
    new MutationObserver(render).observe(document.body,
      { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    let width = chart.clientWidth;
    new ResizeObserver(() => { if (chart.clientWidth !== width) { width = chart.clientWidth; render(); } })
      .observe(chart);
  }

  function setUp(root) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "md-button xp-open";
    button.textContent = "Explore this figure: values, machines, GPUs";
    button.setAttribute("aria-expanded", "false");
    root.appendChild(button);
    const statics = [...document.querySelectorAll("article img")].filter((img) =>
      new RegExp(`/${root.dataset.figure}(-dark)?\\.svg#`).test(img.getAttribute("src") || ""));
    let live = null;
    button.addEventListener("click", async () => {
      const open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? "Back to the static figure" : "Explore this figure: values, machines, GPUs";
      for (const img of statics) (img.closest("picture") || img).classList.toggle("xp-hidden", open);
      if (open && !live) {
        live = document.createElement("div");
        live.className = "xp-live";
        root.appendChild(live);
        try {
          const answer = await fetch(root.dataset.explore);
          if (!answer.ok) throw new Error(`${root.dataset.explore}: HTTP ${answer.status}`);
          explore(live, await answer.json());
        } catch (err) {
          live.textContent = `The figure's data could not be read (${err.message}); the static figure stays.`;
          for (const img of statics) (img.closest("picture") || img).classList.remove("xp-hidden");
        }
      }
      if (live) live.hidden = !open;
    });
  }

  document.querySelectorAll("div.xp[data-explore]").forEach(setUp);
  // what the unit tests read (tests/js): the formatting and the scales
  if (typeof window !== "undefined") window.whygpuExplore = { si, time, timeTick, sig, logScale };
})();
