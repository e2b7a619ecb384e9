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
    if (code === original) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ code, original: fingerprint(original), saved: Date.now() }));
  },

  clear(path, index) {
    try { localStorage.removeItem(this.key(path, index)); } catch { /* storage unavailable */ }
  },
};
