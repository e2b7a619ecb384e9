// Pieces every figure renderer shares.

import { el } from "../ui/dom.js";

/**
 * The caption of a figure, or null without a title.
 * @param {string} [title]
 * @returns {HTMLElement | null}
 */
export function caption(title) {
  return title ? el("figcaption", { class: "pycell-fig__title", text: title }) : null;
}

/**
 * The `<figure>` around a renderer's content: `pycell-fig pycell-fig--<kind>` plus the
 * figure's own `className` (the lab adds its classes this way).
 * @param {string} kind
 * @param {{title?: string, className?: string}} figure
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function frame(kind, figure, ...children) {
  const cls = `pycell-fig pycell-fig--${kind}` + (figure.className ? ` ${figure.className}` : "");
  return el("figure", { class: cls }, caption(figure.title), ...children);
}

/**
 * The figure's text alternative: a sentence for screen readers, visually hidden
 * (summary.js writes it). Renderers that update in place set its textContent again.
 * @param {string} text
 * @returns {HTMLElement}
 */
export function summaryNode(text) {
  return el("p", { class: "site-sr pycell-fig__summary", text });
}

/**
 * What a renderer returns: the node to insert, and optionally `update(nextFigure)` (redraw in
 * place with a figure of the same kind), `destroy()` (release observers and canvases) and
 * `settled` (a promise, for figures drawn later: settles once drawn or replaced by a
 * `.pycell-fig__error` saying why).
 * @typedef {{node: HTMLElement, update?: (figure: any) => void, destroy?: () => void,
 *            settled?: Promise<void>}} Drawn
 */
