// How the Measure page writes numbers: the site's one style (whygpu.report.text and
// whygpu.report.ticks in Python), so the reader's run reads like the site's own figures.
// Ticks carry SI prefixes and time units (1k, 100 µs), never "1e-6"; text rounds to three
// significant figures with comma thousands; a factor has two and the sign ×.

export const TIMES = "\u00d7";

/** Units of time, largest first: [name, seconds]. */
const TIME_UNITS = [["s", 1], ["ms", 1e-3], ["µs", 1e-6], ["ns", 1e-9]];
const DECIMAL = [[1e9, "G"], [1e6, "M"], [1e3, "k"]];
const BINARY = [[2 ** 30, "Gi"], [2 ** 20, "Mi"], [2 ** 10, "Ki"]];

/** 1234567 -> "1,234,567"; the fraction, if any, is kept as it is. */
export function grouped(value) {
  const [whole, fraction] = String(value).split(".");
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? withCommas : `${withCommas}.${fraction}`;
}

/** Three significant figures, thousands separated, as whygpu.report.text.number: 169, 2.31,
 *  36,600, 0.0481. Trailing zeros stay (0.200), so a column of them reads at one precision. */
export function number(value) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 100) return grouped(Math.round(Number(value.toPrecision(3))));
  return value.toPrecision(3);
}

/** A factor with two significant figures and ×: 0.45×, 2.4×, 24×, 1,200×. */
export function ratio(value) {
  if (!(value > 0) || !Number.isFinite(value)) return "–";
  const rounded = Number(value.toPrecision(2));
  if (rounded >= 100) return `${grouped(Math.round(rounded))}${TIMES}`;
  return `${rounded.toPrecision(2)}${TIMES}`;
}

/** A time in the unit a reader would use, as whygpu.report.text.duration: "615 µs". */
export function duration(seconds) {
  const [unit, scale] = TIME_UNITS.find(([, s]) => seconds >= s) || TIME_UNITS[TIME_UNITS.length - 1];
  return `${number(seconds / scale)} ${unit}`;
}

/** One unit for a column of times: the one its middle value reads best in (between 1 and
 *  1,000), so a column is read without comparing units row by row. Returns [name, seconds]. */
export function columnUnit(seconds) {
  const sorted = seconds.filter((s) => s > 0 && Number.isFinite(s)).sort((a, b) => a - b);
  if (!sorted.length) return TIME_UNITS[1];
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  return TIME_UNITS.find(([, s]) => middle >= s) || TIME_UNITS[TIME_UNITS.length - 1];
}

/** A tick on a time axis: the decade in its own unit, "1 µs", "10 ms", "1 s". */
export function timeTick(seconds) {
  const [unit, scale] = TIME_UNITS.find(([, s]) => seconds >= s * 0.999) || TIME_UNITS[TIME_UNITS.length - 1];
  return `${Number((seconds / scale).toPrecision(3))} ${unit}`;
}

/** A tick on a value axis with an SI prefix, as whygpu.report.ticks.plain: 0.1, 60, 1k, 10M. */
export function plainTick(value) {
  for (const [div, suffix] of DECIMAL) {
    if (Math.abs(value) >= div * 0.999) return `${Number((value / div).toPrecision(3))}${suffix}`;
  }
  return String(Number(value.toPrecision(3)));
}

/** A size as the site's axes write it, whygpu.report.ticks.short: 1000 -> 1k, 1024 -> 1Ki
 *  (the binary prefix, so no two sizes share a label), 1536 -> 1.5Ki; else 1,234. */
export function sizeTick(n) {
  for (const [div, suffix] of [...DECIMAL, ...BINARY]) {
    if (n >= div && n % div === 0) return `${n / div}${suffix}`;
  }
  for (const [div, suffix] of BINARY) {
    if (n >= div && (2 * n) % div === 0) return `${n / div}${suffix}`;
  }
  return grouped(n);
}

/** Bytes with a binary prefix: 65536 -> "64 KiB", 1048576 -> "1 MiB". */
export function bytesText(bytes) {
  const found = BINARY.find(([div]) => bytes >= div);
  return found ? `${Number((bytes / found[0]).toPrecision(3))} ${found[1]}B` : `${bytes} B`;
}
