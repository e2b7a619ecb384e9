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
 * Series roles: one meaning, one colour and line style in every chart (the cells' training
 * charts, the lab). `color` is the palette slot (--site-series-N), `dash` a canvas dash pattern.
 * Python names them in page.chart(colors={...}) (mlpsite.page.SERIES_ROLES).
 */
export const SERIES_ROLES = {
  train: { color: 1, dash: null },
  eval: { color: 2, dash: [7, 4] },
  batch: { color: 10, dash: null },
};

/** Dash patterns by series order: colour is never the only way to tell two lines apart. */
export const DASHES = [null, [7, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2]];

/**
 * Colour and dash of series `i` of a chart, from its role when it has one.
 * @param {number} i
 * @param {string} [role]  a key of SERIES_ROLES
 * @returns {{color: string, dash: number[] | null}}
 */
export function seriesStyle(i, role) {
  const known = SERIES_ROLES[role];
  const slot = known ? known.color : (i % SERIES_COLORS) + 1;
  return {
    color: cssVar(`--site-series-${slot}`, "#3f51b5"),
    dash: known ? known.dash : DASHES[i % DASHES.length],
  };
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
