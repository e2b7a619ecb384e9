// Put first in every page's <head> by the test server (StaticServer.head_script) for engines
// whose driver has no log API (WebKitWebDriver): records console errors, uncaught errors,
// unhandled rejections and resources that failed to load in window.__engineErrors. What a
// page recorded as it unloads is carried to the next page of the tab (sessionStorage).
// With sessionStorage "engine-no-compression" set, the page has no CompressionStream and no
// DecompressionStream, as in Safari before 16.4 (share links fall back to their own DEFLATE).
(() => {
  if (sessionStorage.getItem("engine-no-compression")) {
    delete window.CompressionStream;
    delete window.DecompressionStream;
  }
  const KEY = "engine-hook-errors";
  const errors = JSON.parse(sessionStorage.getItem(KEY) || "[]");
  sessionStorage.removeItem(KEY);
  window.__engineErrors = errors;
  const text = (value) => (value instanceof Error ? `${value.name}: ${value.message}` : String(value));
  const original = console.error;
  console.error = function (...args) {
    errors.push(`console error: ${args.map(text).join(" ")}`);
    return original.apply(this, args);
  };
  // A script or image that failed to load; stylesheets are left to the server's log (WebKit
  // reports those Material's instant navigation drops as failed, though none was asked for).
  // "ResizeObserver loop" is the browser's note of a deferred layout, no error of the page.
  addEventListener("error", (event) => {
    const target = event.target;
    if (target && target !== window) {
      if (target.tagName === "SCRIPT" || target.tagName === "IMG") errors.push(`failed to load: ${target.src}`);
    } else if (!/^ResizeObserver loop/.test(event.message)) {
      errors.push(`uncaught error: ${event.message || text(event.error)} (${event.filename}:${event.lineno})`);
    }
  }, true);
  addEventListener("unhandledrejection", (event) => errors.push(`unhandled rejection: ${text(event.reason)}`));
  addEventListener("pagehide", () => {
    if (errors.length) sessionStorage.setItem(KEY, JSON.stringify(errors));
  });
})();
