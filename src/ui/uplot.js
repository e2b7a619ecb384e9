// The one loader of uPlot (served by the site from npm, assets/vendor/uplot/): its script and
// stylesheet are added to the page the first time a chart needs them.

import { el } from "./dom.js";
import { siteURL } from "./urls.js";

const UPLOT_JS = siteURL("assets/vendor/uplot/uPlot.iife.min.js");
const UPLOT_CSS = siteURL("assets/vendor/uplot/uPlot.min.css");

let loading = null;

/**
 * Loads uPlot once per tab; resolves to its constructor. A failed load may be retried.
 * @returns {Promise<any>} the uPlot constructor
 */
export function loadUplot() {
  loading ??= new Promise((resolve, reject) => {
    if (globalThis.uPlot) return resolve(globalThis.uPlot);
    const css = el("link", { rel: "stylesheet", href: UPLOT_CSS });
    const cssReady = new Promise((done) => { css.onload = css.onerror = done; });
    document.head.append(css);
    const script = el("script", { src: UPLOT_JS });
    script.onload = () => cssReady.then(() => resolve(globalThis.uPlot));
    script.onerror = () => { loading = null; reject(new Error(`could not load ${UPLOT_JS}`)); };
    document.head.append(script);
  });
  return loading;
}
