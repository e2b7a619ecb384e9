// The one loader of uPlot (served by the site from npm, assets/vendor/uplot/): its script is
// added to the page the first time a chart needs it. Its stylesheet is bundled into the site's
// own (src/styles/index.css): Material's instant navigation replaces <head>, which would drop
// a stylesheet added here and leave every chart of the next page without it.

import { el } from "./dom.js";
import { siteURL } from "./urls.js";

const UPLOT_JS = siteURL("assets/vendor/uplot/uPlot.iife.min.js");

let loading = null;

/** True if `tag` is a locale Intl accepts (a BCP 47 language tag such as "en-GB"). */
function validLocale(tag) {
  try {
    new Intl.NumberFormat(tag);
    return typeof tag === "string" && tag !== "";
  } catch {
    return false;
  }
}

/**
 * uPlot runs `new Intl.NumberFormat(navigator.language)` as its script loads, which throws a
 * RangeError where the browser reports a locale that is not a language tag (WebKitGTK under
 * LANG=C reports "C"), and its global is then never defined. While its script runs,
 * navigator.language is the first valid tag of navigator.languages (else "en-US");
 * the returned function puts the browser's own back.
 * @returns {() => void}
 */
function guardLocale() {
  if (validLocale(navigator.language)) return () => {};
  const tag = (navigator.languages || []).find(validLocale) || "en-US";
  Object.defineProperty(navigator, "language", { value: tag, configurable: true });
  return () => { delete navigator.language; };
}

/**
 * Loads uPlot once per tab; resolves to its constructor. Rejects, naming the reason, if its
 * script cannot be loaded or defines no `uPlot`; a failed load may be retried.
 * @returns {Promise<Function>} the uPlot constructor
 */
export function loadUplot() {
  loading ??= new Promise((resolve, reject) => {
    if (typeof globalThis.uPlot === "function") return resolve(globalThis.uPlot);
    const fail = (message) => { loading = null; script.remove(); reject(new Error(message)); };
    const script = el("script", { src: UPLOT_JS });
    let restore = () => {};
    let thrown = null;
    const onError = (event) => { if (event.filename === script.src) thrown = event.message; };
    const done = () => { restore(); window.removeEventListener("error", onError); };
    script.onload = () => {
      done();
      if (typeof globalThis.uPlot === "function") resolve(globalThis.uPlot);
      else fail(`${UPLOT_JS} loaded but defined no uPlot${thrown ? ` (${thrown})` : ""}`);
    };
    script.onerror = () => { done(); fail(`could not load ${UPLOT_JS}`); };
    window.addEventListener("error", onError);
    restore = guardLocale();
    document.head.append(script);
  });
  return loading;
}
