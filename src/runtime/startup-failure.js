// Some start-up failures of Pyodide (a WebAssembly file that cannot be fetched or compiled)
// do not reject loadPyodide: Emscripten reports them on the console and aborts in a promise
// nobody awaits. This watches for those while Python starts.

/**
 * @param {string} indexURL  where pyodide.asm.wasm is served (for the message)
 * @returns {{promise: Promise<never>, stop: () => void}} promise rejects with the reason;
 *   stop() ends the watch (call it once loadPyodide settled)
 */
export function startupFailure(indexURL) {
  let stop = () => {};
  const promise = new Promise((_, reject) => {
    const warn = console.warn;
    const onRejection = (event) => {
      event.preventDefault();
      reject(event.reason instanceof Error ? event.reason : new Error(String(event.reason)));
    };
    const seen = [];
    console.warn = (...args) => {
      warn.apply(console, args);
      seen.push(args.map(String).join(" "));
      if (/instantiation failed|HTTP status code is not ok|Aborted\(/.test(seen.at(-1))) {
        // The reason follows in the next warning: collect it, then fail.
        // Named like the other files (worker.js fetchOk): "could not fetch <file> (<url>): <reason>".
        setTimeout(() => {
          const reason = seen.join(" ");
          const verb = /fetch|HTTP status/i.test(reason) ? "fetch" : "load";
          reject(new Error(`could not ${verb} pyodide.asm.wasm (${indexURL}pyodide.asm.wasm): ${reason}`));
        }, 50);
      }
    };
    self.addEventListener("unhandledrejection", onRejection);
    stop = () => {
      console.warn = warn;
      self.removeEventListener("unhandledrejection", onRejection);
    };
  });
  promise.catch(() => {});
  return { promise, stop: () => stop() };
}
