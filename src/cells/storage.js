// Edits of the cells, saved in localStorage per page and cell, with a fingerprint of the
// page's own code at the time, so a page that changed since can say so.

const STORE_PREFIX = "cells:v1:";

/** The page's path, as the key of its saved edits. @returns {string} */
export function pagePath() {
  return location.pathname.replace(/index\.html$/, "");
}

/**
 * FNV-1a hash and length of a text: tells whether the page's own code changed since an edit
 * was saved.
 * @param {string} text
 * @returns {string}
 */
export function fingerprint(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + ":" + text.length;
}

/** @typedef {{code: string, original: string, saved: number}} SavedEdit */

let askedToKeep = false;

/**
 * Asks once per page load that the browser keep this site's storage, where that helps.
 * WebKit (Safari, and every browser on iOS) deletes the storage of a site not visited for 7
 * days of use unless it is persistent, and grants navigator.storage.persist() without asking
 * the reader. Chromium and Firefox evict storage only when the disk runs short, and Firefox
 * would answer with a permission prompt, so they are not asked. WebKit is told by
 * navigator.vendor, which is "Apple Computer, Inc." in WebKit alone. The answer is kept in
 * <html data-storage-persisted> (read by tests/browser/test_runtime.py and test_engines.py).
 */
function keepStorage() {
  if (askedToKeep) return;
  askedToKeep = true;
  const storage = navigator.storage;
  if (!storage?.persist || !navigator.vendor?.startsWith("Apple")) return;
  storage.persisted()
    .then((kept) => kept || storage.persist())
    .then((kept) => { document.documentElement.dataset.storagePersisted = String(kept); })
    .catch((error) => console.warn(`storage: could not ask to keep it: ${error.message}`));
}

export const store = {
  key: (path, index) => `${STORE_PREFIX}${path}#${index}`,

  /** @returns {SavedEdit | null} */
  load(path, index) {
    try {
      const raw = localStorage.getItem(this.key(path, index));
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },

  /** Saves `code`, or forgets the edit when it is the page's own code. Throws when storage is full. */
  save(path, index, code, original) {
    const key = this.key(path, index);
    if (code === original) {
      localStorage.removeItem(key);
      return;
    }
    localStorage.setItem(key, JSON.stringify({ code, original: fingerprint(original), saved: Date.now() }));
    keepStorage();
  },

  clear(path, index) {
    try { localStorage.removeItem(this.key(path, index)); } catch { /* storage unavailable */ }
  },
};
