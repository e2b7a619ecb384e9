// A cell's output: streamed text (stdout, stderr), the value of a last expression, the error,
// notes, a training progress line and figures, in the order they came.

import { el } from "../ui/dom.js";
import { plural } from "../ui/format.js";
import { appendText, limit, shortLine } from "./text.js";
import { FigureArea } from "./figure-area.js";

const FLUSH_MS = 200;            // output reaches the DOM at most 5 times a second

export class Output {
  /** @param {HTMLElement} node  the output box (hidden while empty) */
  constructor(node) {
    this.node = node;
    this.figures = new FigureArea();
    this.pending = [];           // [kind, text] not yet in the DOM
    this.timer = null;
    this.lastFlush = 0;
    this.block = null;           // the current text block: {pre, segments, shown}
    this.progress = null;
  }

  clear() {
    clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.figures.clear();
    this.block = null;
    this.progress = null;
    this.node.replaceChildren();
    this.node.hidden = true;
  }

  _show(child) {
    this.node.hidden = false;
    this.node.append(child);
  }

  /** Streamed text; reaches the page within FLUSH_MS. @param {"stdout"|"stderr"} kind @param {string} text */
  text(kind, text) {
    this.pending.push([kind, text]);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_MS - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending.length) return;
    this.lastFlush = performance.now();
    if (!this.block) {
      const pre = el("pre", { class: "pycell__text" });
      this.block = { pre, segments: [], shown: [] };
      this._show(pre);
    }
    const { segments, pre } = this.block;
    let rewrite = false;
    for (const [kind, raw] of this.pending.splice(0)) rewrite = appendText(segments, kind, raw) || rewrite;
    rewrite = limit(segments) || rewrite;
    const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 8;
    const node = (kind, text) => (kind === "stdout" ? document.createTextNode(text)
      : el("span", { class: kind === "stderr" ? "pycell__stderr" : "pycell__dropped", text }));
    // Usually text only grows: append what is new, so a screen reader hears only that.
    const shown = this.block.shown;  // characters of each segment already in the DOM
    if (rewrite) {
      pre.replaceChildren(...segments.map((seg) => node(seg.kind, seg.text)));
      this.block.shown = segments.map((seg) => seg.text.length);
    } else {
      const added = [];
      segments.forEach((seg, i) => {
        const have = shown[i] ?? 0;
        if (seg.text.length > have) added.push(node(seg.kind, seg.text.slice(have)));
        shown[i] = seg.text.length;
      });
      pre.append(...added);
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  /** A figure from Python's `page` module. @param {{kind: string, key?: string}} figure */
  figure(figure) {
    this.flush();
    const atEnd = this.figures.show(figure, (node) => this._show(node));
    if (atEnd) this.block = null; // text after a new figure starts a new block below it
  }

  /** The progress line of page.ProgressCallback ("progress" messages). */
  showProgress(message) {
    if (!this.progress) {
      const bar = el("progress", { max: 1, value: 0, "aria-label": "Training progress" });
      const label = el("span", { class: "pycell-progress__text" });
      this.progress = { node: el("div", { class: "pycell-progress" }, bar, label), bar, label };
      this.flush();
      this.block = null;
      this._show(this.progress.node);
    }
    const { bar, label } = this.progress;
    if (message.done) {
      bar.value = 1;
      label.textContent = message.stop_reason && message.stop_reason !== "finished"
        ? `Stopped after epoch ${message.epoch}: ${message.stop_reason}` : `Finished ${plural(message.epoch, "epoch")}`;
      return;
    }
    const total = message.epochs * message.batches;
    bar.value = total ? ((message.epoch - 1) * message.batches + message.batch) / total : 0;
    label.textContent = `epoch ${message.epoch}/${message.epochs} · batch ${message.batch}/${message.batches}`
      + ` · loss ${Number(message.loss).toFixed(4)}`;
  }

  /**
   * What the output holds, for the announcement at the end of a run: "12 lines of output and
   * 1 figure; the last line: accuracy 0.92" (a long last line shortened), or "no output".
   * @returns {string}
   */
  describe() {
    // What Python printed, without the notes of what was dropped or cut.
    const printed = (pre) => [...pre.childNodes]
      .filter((n) => !n.classList?.contains("pycell__dropped")).map((n) => n.textContent).join("");
    const lines = [...this.node.querySelectorAll(".pycell__text")]
      .flatMap((pre) => printed(pre).split("\n").filter((line) => line.trim()));
    const figures = this.node.querySelectorAll(".pycell-fig").length;
    const parts = [lines.length && `${plural(lines.length, "line")} of output`, figures && plural(figures, "figure")];
    const text = parts.filter(Boolean).join(" and ") || "no output";
    const last = lines.at(-1)?.trim();
    return last ? `${text}; the last line: ${shortLine(last)}` : text;
  }

  /**
   * A note under the output (not Python's): "info", "warning" or "error".
   * @returns {HTMLElement} the note, to append links to
   */
  note(text, { kind = "info", action = null } = {}) {
    const node = el("p", { class: `pycell__note pycell__note--${kind}` }, text);
    if (action) node.append(" ", action);
    this._show(node);
    return node;
  }

  value(text) {
    this.flush();
    this.block = null;
    this._show(el("pre", { class: "pycell__value", "aria-label": "Value of the last line", text }));
  }

  error(text) {
    this.flush();
    this.block = null;
    this._show(el("pre", { class: "pycell__error", text }));
  }

  /** One plain line about the error, under its traceback (e.g. the shapes that did not fit). */
  hint(text) {
    this._show(el("p", { class: "pycell__hint" }, el("strong", { text: "Hint: " }), text));
  }
}
