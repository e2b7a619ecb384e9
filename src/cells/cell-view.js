// The DOM of one cell: its code area, its bar (number, buttons, status) and its output area,
// built in place of the page's code block. No state: the Cell (cell.js) keeps the nodes and
// decides what they show.

import { el, enable } from "../ui/dom.js";
import { icon } from "./icons.js";

/**
 * A button of a cell's bar. aria-disabled, not disabled: a focused button keeps the focus
 * while it is unavailable (ui/dom.js `enable`), and a click then does nothing.
 * @param {string} name  its icon (icons.js) and class pycell__btn--<name>
 * @param {string} text  the word shown beside the icon
 * @param {string} ariaLabel
 * @param {string} title
 * @param {() => void} onclick
 * @returns {HTMLButtonElement}
 */
export function cellButton(name, text, ariaLabel, title, onclick) {
  const button = el("button", {
    type: "button", class: `pycell__btn pycell__btn--${name}`, "aria-label": ariaLabel, title,
    "aria-disabled": "false",
    onclick: () => { if (button.getAttribute("aria-disabled") !== "true") onclick(); },
  }, icon(name), el("span", { class: "pycell__btn-text", text }));
  return button;
}

/**
 * @typedef {object} CellView
 * @property {HTMLElement} root  div.pycell, with data-cell-index, data-cell-state and data-expect
 * @property {HTMLElement} codeHost  where the code shows: the highlighted block, then the editor
 * @property {HTMLButtonElement} runButton
 * @property {HTMLButtonElement} stopButton  unavailable until the cell runs
 * @property {HTMLButtonElement} resetButton
 * @property {HTMLButtonElement} copyButton
 * @property {HTMLButtonElement} linkButton
 * @property {HTMLElement} numberLabel  "cell N"
 * @property {HTMLElement} edited  the "edited" badge
 * @property {HTMLElement} statusIcon
 * @property {HTMLElement} statusText  shown; read by screen readers through `live` instead
 * @property {HTMLElement} live  a role=status region: what the cell announces
 * @property {HTMLElement} outputNode  the output area (output.js fills it), hidden while empty
 */

/**
 * Builds the nodes of cell number `index + 1` (not yet in the page).
 * @param {{index: number, lines: number, folded: boolean, expectError: boolean, runKeys: string,
 *          savedTitle: string, actions: {run: () => void, stop: () => void, reset: () => void,
 *          copy: () => void, link: () => void}}} options
 *   lines: of the code, for a folded cell's toggle; actions: what the buttons do
 * @returns {CellView}
 */
export function cellView({ index, lines, folded, expectError, runKeys, savedTitle, actions }) {
  const label = `cell ${index + 1}`;
  const runButton = cellButton("run", "Run", `Run ${label}`, `Run (${runKeys} or Shift+Enter in the code)`,
    actions.run);
  const stopButton = cellButton("stop", "Stop", `Stop ${label}`, "Stop the running code", actions.stop);
  const resetButton = cellButton("reset", "Reset", `Reset ${label} to the page's code`,
    "Restore the original code", actions.reset);
  const copyButton = cellButton("copy", "Copy", `Copy the code of ${label}`, "Copy the code", actions.copy);
  const linkButton = cellButton("link", "Link", `Copy a link to ${label} with its code`,
    "Copy a link that opens this page with this code in this cell", actions.link);
  enable(stopButton, false);
  const edited = el("span", { class: "pycell__edited", text: "edited", title: savedTitle });
  const numberLabel = el("span", { class: "pycell__number", text: label });
  const statusText = el("span", { class: "pycell__status-text", "aria-hidden": "true" });
  const statusIcon = el("span", { class: "pycell__status-icon", "aria-hidden": "true" });
  const live = el("span", { class: "pycell__sr", role: "status" });
  const codeHost = el("div", { class: "pycell__code" });
  // Not a live region: screen readers hear the end of a run (with what it printed) from
  // `live`, not every streamed line.
  const outputNode = el("div", { class: "pycell__output", role: "group", "aria-label": `Output of ${label}`,
    hidden: true });
  // A folded cell (```{.python .cell .folded}```): its code hides under a one-line toggle; it
  // runs as any other (e.g. as a "cell above"), its output shows.
  const codeArea = !folded ? codeHost
    : el("details", { class: "pycell__fold" }, el("summary", { text: `Show the code (${lines} lines)` }), codeHost);
  const root = el("div", {
    class: "pycell", role: "group", "aria-label": `Python ${label}`,
    "data-cell-index": index, "data-cell-state": "idle", "data-expect": expectError ? "error" : null,
  },
  codeArea,
  el("div", { class: "pycell__bar" },
    el("div", { class: "pycell__buttons" }, numberLabel, runButton, stopButton, resetButton, copyButton, linkButton),
    el("div", { class: "pycell__status" }, edited, statusIcon, statusText, live)),
  outputNode);
  return { root, codeHost, runButton, stopButton, resetButton, copyButton, linkButton, numberLabel, edited,
    statusIcon, statusText, live, outputNode };
}
