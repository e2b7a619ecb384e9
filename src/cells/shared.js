// Opening a cell's share link (share.js): the shared code in its cell, under a banner that
// offers the reader's own version back in one click, or a note at the top of the cells when
// the link cannot be used.

import { el } from "../ui/dom.js";
import { decodeCellLink, isCellLink } from "./share.js";

/**
 * The banner above a cell that shows shared code.
 * @param {{number: number}} cell
 * @param {boolean} hasOwnEdit  the reader has a saved edit of this cell
 * @param {{keep: () => void, mine: () => void}} actions
 * @returns {HTMLElement}
 */
export function sharedBanner(cell, hasOwnEdit, actions) {
  const mine = hasOwnEdit ? "Show my saved edit" : "Show the page's code";
  return el("div", { class: "pycell__shared", role: "note", "aria-label": `Cell ${cell.number} shows shared code` },
    el("strong", { text: "Shared code" }),
    el("span", { text: hasOwnEdit
      ? " from the link you opened. Your saved edit of this cell is kept; changes here are not saved unless you keep them. "
      : " from the link you opened. Changes here are not saved unless you keep them. " }),
    el("button", { type: "button", class: "pycell__link", text: "Keep this code", onclick: actions.keep,
      "aria-label": `Keep the shared code of cell ${cell.number} as your edit` + (hasOwnEdit ? ", replacing your saved edit" : "") }),
    " · ",
    el("button", { type: "button", class: "pycell__link", text: mine, onclick: actions.mine }));
}

/**
 * Applies the share link in the address, if there is one, to the page's cells: the shared code
 * in its cell, scrolled into view; or a note saying why the link cannot be used.
 * @param {{cells: import("./cell.js").Cell[], statusLine: {node: HTMLElement}}} page
 * @returns {Promise<{index: number} | {error: string} | null>}  what was done, for tests
 */
export async function openCellLink(page) {
  if (!isCellLink(location.hash)) return null;
  const found = await decodeCellLink(location.hash, page.cells.length);
  if ("error" in found) {
    const note = el("div", { class: "admonition warning pycell-link-note", role: "status", tabindex: "-1" },
      el("p", { class: "admonition-title", text: "This link could not be opened" }),
      el("p", { text: found.error }));
    page.statusLine.node.after(note);
    // The reader followed a link to a cell: the note stands where that cell would have been shown.
    note.scrollIntoView({ block: "center" });
    note.focus({ preventScroll: true });
    return found;
  }
  const cell = page.cells[found.index];
  cell.showShared(found.code);
  cell.root.scrollIntoView({ block: "center" });
  return { index: found.index };
}
