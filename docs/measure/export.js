// The run as a "browser results" file: its own format beside the harness results, with the
// browser and the adapter as its provenance. `whygpu validate` checks it
// (src/whygpu/store/browser.py holds the schema); the Contribute page says how to submit one.
// The format's name and version are Python's (whygpu.contract.names.BROWSER_FORMAT and
// BROWSER_VERSION), read from measure.json.

/** The file for a run; `format` is `{ name, version }` as measure.json gives them (a run without
 *  them has no file). */
export function buildResults({ format, adapter, browser, budgetS, stopped, points, roundTrip, copies, now = new Date() }) {
  if (!format || typeof format.name !== "string" || !format.name || !Number.isInteger(format.version)) {
    throw new Error("no results format: measure.json did not load");
  }
  return {
    format: format.name,
    version: format.version,
    created_utc: now.toISOString().replace(/\.\d+Z$/, "Z"),
    page: "measure/",
    browser,
    adapter: adapter || null,
    budget_s: budgetS,
    stopped: Boolean(stopped),
    points,
    round_trip: roundTrip || null,
    copies: copies || [],
  };
}

/** The browser's own description: its user agent, how many threads the page used (one: the
 *  WebAssembly side is single-threaded) and how many the machine offers. */
export function describeBrowser(nav = globalThis.navigator || {}) {
  return {
    user_agent: String(nav.userAgent || "unknown"),
    threads_used: 1,
    hardware_concurrency: Number(nav.hardwareConcurrency) || null,
  };
}

export function fileName(now = new Date()) {
  return `whygpu-browser-${now.toISOString().slice(0, 19).replace(/[:T]/g, "-")}.json`;
}
