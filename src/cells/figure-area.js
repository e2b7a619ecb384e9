// The figures of one cell's output: drawn by src/figures/, keyed so that a figure with a key
// already shown is redrawn in place (live training charts), and parts "name#part" of one key
// kept together.

import { renderFigure } from "../figures/index.js";

export class FigureArea {
  constructor() {
    this.byKey = new Map();    // key -> drawn figure
    this.drawn = [];
  }

  clear() {
    for (const f of this.drawn) f.destroy?.();
    this.drawn = [];
    this.byKey.clear();
  }

  /**
   * Shows `figure`: updates the figure of the same key, or inserts a new one through
   * `place(node, after)` (after: the last node of its group, or null).
   * @param {{kind: string, key?: string}} figure
   * @param {(node: HTMLElement, after: HTMLElement|null) => void} place
   * @returns {boolean} true if a new node was placed at the end (text after it starts a new block)
   */
  show(figure, place) {
    const existing = figure.key ? this.byKey.get(figure.key) : null;
    if (existing?.update) {
      existing.update(figure);
      return false;
    }
    const drawn = renderFigure(figure);
    const group = figure.key?.includes("#") ? figure.key.slice(0, figure.key.indexOf("#")) : null;
    const sibling = !existing && group ? this.lastOfGroup(group) : null;
    let atEnd = false;
    if (existing) existing.node.replaceWith(drawn.node);
    else if (sibling) sibling.node.after(drawn.node);
    else {
      place(drawn.node);
      atEnd = true;
    }
    drawn.group = group;
    if (existing) existing.destroy?.();
    if (figure.key) this.byKey.set(figure.key, drawn);
    this.drawn.push(drawn);
    return atEnd;
  }

  /**
   * Waits for the figures still being drawn (charts load uPlot first), then says what could
   * not be drawn.
   * @returns {Promise<string[]>} the text of each figure's `.pycell-fig__error`, in order
   */
  async failures() {
    await Promise.all(this.drawn.map((f) => f.settled));
    return this.drawn.filter((f) => f.node.isConnected)
      .flatMap((f) => (f.node.matches(".pycell-fig__error") ? [f.node] : [...f.node.querySelectorAll(".pycell-fig__error")]))
      .map((node) => node.textContent);
  }

  lastOfGroup(group) {
    let last = null;
    for (const f of this.drawn) if (f.group === group && f.node.isConnected) last = f;
    return last;
  }
}
