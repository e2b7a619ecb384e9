// Exercise progress, remembered in this browser: which checks have printed PASS. Pure functions
// over a plain state object, plus its load/save in localStorage (tests/js/exercise-progress.test.mjs).
//   state = {page, titles: [title...], results: {title: {passed, latest: "pass"|"fail", reason}}}
// A pass stays a pass when a later run fails; `latest` is what the last run said.

export const STORE_KEY = "exercises:v1";

/** @returns {{page: string|null, titles: string[], results: Record<string, any>}} */
export function emptyState() {
  return { page: null, titles: [], results: {} };
}

/**
 * The state after a check ran.
 * @param {ReturnType<typeof emptyState>} state
 * @param {{title: string, passed: boolean, reason?: string}} result
 */
export function record(state, { title, passed, reason = "" }) {
  const before = state.results[title];
  const results = { ...state.results,
    [title]: { passed: Boolean(passed || before?.passed), latest: passed ? "pass" : "fail", reason: passed ? "" : reason } };
  return { ...state, results };
}

/**
 * How many of the page's exercises are done.
 * @param {ReturnType<typeof emptyState>} state
 * @returns {{done: number, total: number, complete: boolean}}
 */
export function summary(state) {
  const done = state.titles.filter((t) => state.results[t]?.passed).length;
  return { done, total: state.titles.length, complete: state.titles.length > 0 && done === state.titles.length };
}

/** The nav's mark: "✓" when all are done, "n/N" when some are, "" before any. */
export function navMark(state) {
  const { done, total, complete } = summary(state);
  if (complete) return "\u2713";
  return done && total ? `${done}/${total}` : "";
}

// The storage is read inside the try: where the browser blocks it, reading localStorage throws.
/** @param {Storage} [storage] */
export function load(storage) {
  try {
    storage ??= globalThis.localStorage;
    const saved = JSON.parse(storage.getItem(STORE_KEY) || "null");
    if (saved && Array.isArray(saved.titles) && saved.results && typeof saved.results === "object") return saved;
  } catch {
    // unreadable or blocked storage: start afresh
  }
  return emptyState();
}

/** @param {ReturnType<typeof emptyState>} state @param {Storage} [storage] */
export function save(state, storage) {
  try {
    storage ??= globalThis.localStorage;
    storage.setItem(STORE_KEY, JSON.stringify(state));
    return true;
  } catch {
    return false;  // storage full or blocked: progress lives until the tab closes
  }
}
