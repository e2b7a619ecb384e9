// The one uPlot chart wrapper: loads uPlot, sizes the plot to its box (and follows resizes),
// rebuilds it when the palette switches, and says so in the box when it cannot draw.
// The cells' line charts (line-chart.js) and the lab's run charts are built on it.

import { el } from "../ui/dom.js";
import { loadUplot } from "../ui/uplot.js";
import { onThemeChange } from "../ui/theme.js";

/**
 * @typedef {object} PlotSpec
 * @property {(width: number) => object} options  uPlot options for a plot `width` px wide
 *   (read colours here: they change with the palette); width and height are added if missing
 * @property {() => any[]} data  uPlot data: [xs, ys1, ys2, ...]
 * @property {(width: number) => number} [height]  default: 200 below 500 px, else 260
 * @property {number} [minWidth]  default 240
 */

/**
 * Draws a uPlot chart into `host` and keeps it drawn.
 * @param {HTMLElement} host  the box the plot fills (its width decides the plot's)
 * @param {PlotSpec} spec
 * @returns {{redraw: () => Promise<void>, refresh: () => void, resize: () => void,
 *            plot: () => any, destroy: () => void, drawn: Promise<void>}}
 *   redraw: rebuild from spec.options (a new shape); refresh: new data, same shape;
 *   drawn: settles once the first drawing is done or has failed (then `host` says why)
 */
export function createPlot(host, spec) {
  const minWidth = spec.minWidth ?? 240;
  const heightFor = spec.height ?? ((w) => (w < 500 ? 200 : 260));
  let plot = null;
  let failed = false;
  let destroyed = false;
  let lastWidth = 0;

  const width = () => {
    // 0 while the page is being laid out (a palette switch, an instant page change): keep the
    // last width; the resize observer corrects it once the layout settles.
    const w = host.clientWidth;
    if (w >= 100 || !lastWidth) lastWidth = Math.max(minWidth, Math.floor(w) || 600);
    return lastWidth;
  };

  const build = (uPlot) => {
    if (destroyed) return;
    plot?.destroy();
    const w = width();
    plot = new uPlot({ width: w, height: heightFor(w), ...spec.options(w) }, spec.data(), host);
  };

  const redraw = () => loadUplot().then(build).catch((error) => {
    if (failed || destroyed) return;
    failed = true;
    host.replaceChildren(el("p", { class: "pycell-fig__error", text: `The chart could not be drawn: ${error.message}` }));
  });

  const resize = () => {
    if (!plot) return;
    const w = width();
    if (Math.abs(w - plot.width) > 1 || plot.height !== heightFor(w)) plot.setSize({ width: w, height: heightFor(w) });
  };
  const observer = new ResizeObserver(resize);
  observer.observe(host);
  // After the palette switch has been laid out, so sizes and colours are the new ones.
  const offTheme = onThemeChange(() => requestAnimationFrame(() => { if (plot) redraw(); }));
  const drawn = redraw();

  return {
    drawn,
    redraw,
    refresh() {
      if (plot) plot.setData(spec.data());
      else redraw();
    },
    resize,
    plot: () => plot,
    destroy() {
      destroyed = true;
      offTheme();
      observer.disconnect();
      plot?.destroy();
      plot = null;
    },
  };
}
