// The page's palette, read from CSS custom properties (src/styles/base.css), and the one
// observer of Material's light/dark switch. Canvases (charts, digits) are drawn with concrete
// colours, so whoever draws one redraws it on onThemeChange.

/**
 * The value of a CSS custom property on <body>, or `fallback` when it is not set.
 * @param {string} name  e.g. "--site-series-1"
 * @param {string} [fallback]
 * @returns {string}
 */
export function cssVar(name, fallback = "") {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Number of distinct series colours (`--site-series-1` ... `--site-series-N`). */
export const SERIES_COLORS = 10;

/**
 * The chart palette: `n` series colours, repeating after SERIES_COLORS.
 * @param {number} n
 * @returns {string[]}
 */
export function palette(n) {
  const colors = [];
  for (let i = 0; i < n; i++) colors.push(cssVar(`--site-series-${(i % SERIES_COLORS) + 1}`, "#3f51b5"));
  return colors;
}

/**
 * Colours and font of chart axes for the current palette.
 * @returns {{text: string, grid: string, font: string}}
 */
export function chartTheme() {
  return {
    text: cssVar("--md-default-fg-color--light", "#666"),
    grid: cssVar("--md-default-fg-color--lightest", "#ddd"),
    font: `11px ${getComputedStyle(document.body).fontFamily || "sans-serif"}`,
  };
}

const listeners = new Set();
let observer = null;

/**
 * Calls `fn()` after every switch between Material's light and dark palettes.
 * @param {() => void} fn
 * @returns {() => void} unsubscribe
 */
export function onThemeChange(fn) {
  if (!observer) {
    observer = new MutationObserver(() => {
      for (const listener of [...listeners]) {
        try { listener(); } catch (error) { console.error(error); }
      }
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  listeners.add(fn);
  return () => listeners.delete(fn);
}
