// Formatting shared by the cells and the lab: durations, numbers, plurals and the texts that
// describe the state of the site's Python.

/**
 * A duration for people: "350 ms", "2.4 s", "17 s", "3 min 05 s"; "–" when not finite.
 * @param {number} ms  milliseconds
 * @returns {string}
 */
export function duration(ms) {
  if (!Number.isFinite(ms)) return "–";
  if (ms < 1000) return `${Math.max(1, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, "0")} s`;
}

/**
 * A number with thousands separators, as the texts of the lab and the figures write it:
 * "12,345", "0.5" (at most 3 decimals, the rest rounded off).
 * @param {number} n
 * @returns {string}
 */
export function grouped(n) {
  return n.toLocaleString("en-US");
}

/**
 * A number in a figure: whole numbers with thousands separators when `integers`; otherwise
 * 3 decimals below 1, 2 above (a whole number without them: "3"), and exponent notation outside
 * [0.001, 1e5).
 * @param {number} value
 * @param {boolean} [integers]
 * @returns {string}
 */
export function formatNumber(value, integers = false) {
  if (integers) return grouped(Math.round(value));
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e5)) return value.toExponential(2);
  return value.toFixed(abs < 1 ? 3 : 2).replace(/\.?0+$/, (m) => (m.startsWith(".") ? "" : m));
}

/**
 * A share as a percentage: "100%", "<1%", "0%", "42%"; "–" when not a number >= 0.
 * @param {number} p  in [0, 1]
 * @returns {string}
 */
export function percent(p) {
  if (!(p >= 0)) return "–";
  return p >= 0.995 ? "100%" : p < 0.005 ? (p > 0 ? "<1%" : "0%") : `${Math.round(p * 100)}%`;
}

/**
 * "1 epoch", "3 epochs".
 * @param {number} n
 * @param {string} word
 * @returns {string}
 */
export function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * What to say about the site's Python in a given runtime status (see src/runtime/runtime.js).
 * `short` gives the lab's terse form, otherwise the cells' sentence.
 * @param {string} status  "idle" | "loading" | "ready" | "busy" | "failed"
 * @param {{message?: string}} [detail]
 * @param {{short?: boolean}} [options]
 * @returns {string}
 */
export function pythonStatusText(status, detail = {}, { short = false } = {}) {
  const reason = detail?.message || (short ? "unknown error" : "unknown reason");
  const texts = short ? {
    idle: "Python starts when needed",
    loading: `${detail?.message || "Loading Python"}…`,
    ready: "Python ready",
    busy: "Python running",
    failed: `Python failed: ${reason}`,
  } : {
    idle: "Python starts when you run a cell",
    loading: `${detail?.message || "Loading Python"}…`,
    ready: "Python is ready: the cells run in your browser",
    busy: "Python is running",
    failed: `Python could not be loaded: ${reason}`,
  };
  return texts[status] ?? status;
}

/**
 * A file size: "850 bytes", "12 KB", "3.4 MB", "120 MB" (1 KB = 1,000 bytes).
 * @param {number} n  bytes
 * @returns {string}
 */
export function fileSize(n) {
  if (n < 1000) return plural(n, "byte");
  const [value, unit] = n < 999_500 ? [n / 1e3, "KB"] : [n / 1e6, "MB"];
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, "") : Math.round(value)} ${unit}`;
}

/**
 * What a restart of Python did to the working directory's files, for the note of a stopped
 * cell (src/runtime/work-files.js keeps them).
 * @param {{paths: string[], notKept: {count: number, first: {path: string, size: number}[]}}} kept
 *   runtime.keptFiles
 * @param {{maxFile: number, maxTotal: number}} limits  bytes
 * @returns {string}
 */
export function keptFilesText({ paths, notKept }, { maxFile, maxTotal }) {
  // "a", "a and b", "a, b and c", "a, b, c and 2 others"
  const names = (list, count) => {
    const more = count - list.length;
    if (more > 0) return `${list.join(", ")} and ${plural(more, "other")}`;
    return list.length > 1 ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)}` : list.join("");
  };
  let text = paths.length
    ? `The files in the working directory are back as the last cell to finish left them (${names(paths.slice(0, 3), paths.length)}); `
      + "what this cell wrote is lost."
    : "Files this cell wrote, if any, are gone too.";
  if (notKept.count) {
    const first = notKept.first.map((f) => `${f.path} (${fileSize(f.size)})`);
    text += ` Not kept: ${names(first, notKept.count)}: only files up to `
      + `${fileSize(maxFile)}, ${fileSize(maxTotal)} in all, are kept.`;
  }
  return text;
}
