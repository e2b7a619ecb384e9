// Figure kind "bars": one horizontal bar per value, longest = largest value.
//   {kind: "bars", values (>= 0), labels, highlight?: index, integers?: bool, title?,
//    format?: "number" | "percent", signed?: bool}
// signed: values of either sign, drawn from a centre line (longest = largest |value|).
// update(next) redraws in place (same number of bars): the lab's live class probabilities.

import { el } from "../ui/dom.js";
import { formatNumber, percent } from "../ui/format.js";
import { frame, summaryNode } from "./common.js";
import { barsSummary } from "./summary.js";

/**
 * Where a bar lies in its track, in percent of the track: [left, width]. Unsigned bars start
 * at 0 and are clamped to [0, max]; signed bars start at the centre (50%) and go right for
 * positive values, left for negative ones.
 * @param {number} value
 * @param {number} max  > 0: the value of a full bar (signed: of a half bar)
 * @param {boolean} [signed]
 * @returns {[number, number]}
 */
export function barSpan(value, max, signed = false) {
  if (!signed) return [0, (100 * Math.max(0, Math.min(max, value))) / max];
  const half = (50 * Math.min(max, Math.abs(value))) / max;
  return value < 0 ? [50 - half, half] : [50, half];
}

/**
 * @param {{values: number[], labels: string[], highlight?: number|null, integers?: boolean,
 *          format?: "number"|"percent", title?: string, className?: string}} figure
 * @returns {import("./common.js").Drawn}
 */
export function drawBars(figure) {
  const list = el("div", { class: "pycell-bars", role: "list" });
  let rows = [];
  const summary = summaryNode("");

  const build = (fig) => {
    rows = fig.values.map((_, i) => {
      const bar = el("span", { class: "pycell-bars__bar" });
      const value = el("span", { class: "pycell-bars__value" });
      const row = el("div", { class: "pycell-bars__row", role: "listitem" },
        el("span", { class: "pycell-bars__label", text: fig.labels[i] }),
        el("span", { class: "pycell-bars__track", "aria-hidden": "true" }, bar),
        value);
      return { row, bar, value };
    });
    list.replaceChildren(...rows.map((r) => r.row));
  };

  const fill = (fig) => {
    const max = fig.format === "percent" ? 1
      : Math.max(...fig.values.map((v) => (fig.signed ? Math.abs(v) : v)), 0) || 1;
    const show = (v) => (fig.format === "percent" ? percent(v) : formatNumber(v, fig.integers));
    list.classList.toggle("pycell-bars--signed", Boolean(fig.signed));
    fig.values.forEach((v, i) => {
      const r = rows[i];
      // A value that is not a number (nothing to show yet) draws an empty bar and "–".
      const [left, width] = barSpan(v || 0, max, fig.signed);
      r.bar.style.marginLeft = `${left}%`;
      r.bar.style.width = `${width}%`;
      r.bar.classList.toggle("pycell-bars__bar--negative", Boolean(fig.signed) && v < 0);
      r.value.textContent = show(v);
      r.row.classList.toggle("pycell-bars__row--highlight", i === fig.highlight);
    });
    summary.textContent = barsSummary(fig);
  };

  build(figure);
  fill(figure);
  return {
    node: frame("bars", figure, summary, list),
    update(next) {
      if (next.values.length !== rows.length) build(next);
      fill(next);
    },
  };
}
