// The one loader of uPlot (served by the site from npm, assets/vendor/uplot/): its script is
// added to the page the first time a chart needs it. Its stylesheet is bundled into the site's
// own (src/styles/index.css): Material's instant navigation replaces <head>, which would drop
// a stylesheet added here and leave every chart of the next page without it.

import { el } from "./dom.js";
import { siteURL } from "./urls.js";

const UPLOT_JS = siteURL("assets/vendor/uplot/uPlot.iife.min.js");

let loading = null;

/**
 * Loads uPlot once per tab; resolves to its constructor. A failed load may be retried.
 * @returns {Promise<any>} the uPlot constructor
 */
export function loadUplot() {
  loading ??= new Promise((resolve, reject) => {
    if (globalThis.uPlot) return resolve(globalThis.uPlot);
    const script = el("script", { src: UPLOT_JS });
    script.onload = () => resolve(globalThis.uPlot);
    script.onerror = () => { loading = null; reject(new Error(`could not load ${UPLOT_JS}`)); };
    document.head.append(script);
  });
  return loading;
}
