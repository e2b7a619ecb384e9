// The cells of one page: one namespace, a queue of runs (Run first runs the cells above that
// have not run since Python started), Stop, and what each result shows in its cell.

import { el } from "../ui/dom.js";
import { duration, keptFilesText } from "../ui/format.js";
import { runtime } from "../runtime/runtime.js";
import { MAX_FILE_BYTES, MAX_TOTAL_BYTES } from "../runtime/work-files.js";
import { Cell } from "./cell.js";
import { openCellLink } from "./shared.js";
import { StatusLine } from "./status-line.js";
import { pagePath } from "./storage.js";

/** "cell 2", "cells 2 and 3", "cells 2–5", "cells 1, 3 and 6" (numbers in order). @param {number[]} numbers */
function cellList(numbers) {
  const [first, last] = [numbers[0], numbers[numbers.length - 1]];
  if (numbers.length === 1) return `cell ${first}`;
  if (numbers.length > 2 && last - first === numbers.length - 1) return `cells ${first}–${last}`;
  return `cells ${numbers.slice(0, -1).join(", ")} and ${last}`;
}

/** A link that scrolls to cell `c` and puts the focus in it. */
function jumpLink(c) {
  return el("a", { href: "#", class: "pycell__link", text: `Go to cell ${c.number}`,
    onclick: (event) => { event.preventDefault(); c.root.scrollIntoView({ block: "center" }); (c.editor || c.runButton).focus(); } });
}

export class PageCells {
  constructor(blocks) {
    this.path = pagePath();
    this.scope = `page:${this.path}`;
    this.cells = [];
    this.tail = Promise.resolve();
    this.token = 0;                // increases on Stop: queued work of older tokens is dropped
    this.running = null;
    runtime.resetScope(this.scope);
    blocks.forEach((block, i) => this.cells.push(new Cell(this, block, i)));
    this.statusLine = new StatusLine();
    this.cells[0].root.before(this.statusLine.node);
    this.unsubscribe = [
      runtime.onStatus((status, detail) => {
        this.statusLine.show(status, detail);
        for (const cell of this.cells) {
          if (cell.state === "queued") cell.setState("queued"); // refreshes "Waiting for Python…"
        }
      }),
      runtime.onReset(({ reason }) => this.onReset(reason)),
    ];
    for (const cell of this.cells) cell.attachEditor();
    this.linkOpened = openCellLink(this);  // a share link in the address (shared.js)
  }

  onReset(reason) {
    for (const cell of this.cells) cell.markStale();
  }

  // Run `cell`, first running the cells above it that have not run since Python started.
  run(cell, { above = true } = {}) {
    if (cell.state === "queued" || cell.state === "running") return cell.pendingRun;
    for (const c of this.cells) if (c.unsaved) c.save();  // an edit storage refused: try again
    const token = this.token;
    const before = above ? this.cells.slice(0, cell.index) : [];
    const needed = before.filter((c) => this.needsRun(c));
    // A cell the reader stopped (an endless loop, say) is never started again by itself.
    const skipped = before.filter((c) => c.state === "stopped");
    // The cells this Run queues: Stop on any of them while it waits drops them all.
    const chain = { cells: [...needed, cell], cancelled: false };
    for (const c of chain.cells) {
      c.chain = chain;
      if (c.state !== "queued" && c.state !== "running") c.setState("queued");
    }
    cell.pendingRun = this.tail = this.tail.then(() => this.runChain(cell, needed, token, chain, skipped));
    return cell.pendingRun;
  }

  needsRun(cell) {
    return !cell.expectError && !(cell.state === "done" && cell.generation === runtime.generation)
      && !["queued", "running", "stopped"].includes(cell.state);
  }

  async runChain(cell, needed, token, chain, skipped = []) {
    const ran = [];
    const dropped = () => token !== this.token || chain.cancelled;
    for (const c of needed) {
      if (dropped()) return this.cancelled([...needed, cell]);
      if (c.state === "done" && c.generation === runtime.generation) continue;
      const result = await this.runOne(c, token);
      if (dropped()) return this.cancelled([...needed, cell]);
      if (!result.ok) {
        for (const rest of [...needed.slice(needed.indexOf(c) + 1), cell]) {
          if (rest.state === "queued") rest.setState("idle");
        }
        cell.begin();
        const anyway = el("button", { type: "button", class: "pycell__link",
          onclick: () => this.run(cell, { above: false }), text: "Run this cell anyway" });
        cell.output.note(`Not run: cell ${c.number} above raised ${result.error?.type || "an error"}. `, { kind: "warning" })
          .append(jumpLink(c), " · ", anyway);
        cell.setStatus("alert", `Cell ${c.number} above failed`);
        cell.announce(`Cell ${cell.number} not run: cell ${c.number} above failed`);
        return { ok: false, state: cell.state, blockedBy: c.index };
      }
      ran.push(c.number);
    }
    if (dropped()) return this.cancelled([cell]);
    return this.runOne(cell, token, ran, skipped);
  }

  cancelled(cells) {
    for (const c of cells) if (c.state === "queued") c.setState("idle");
    return { ok: false, cancelled: true };
  }

  async runOne(cell, token, ranFirst = [], skipped = []) {
    cell.begin();
    if (ranFirst.length) {
      cell.output.note(`Ran ${cellList(ranFirst)} above first, since this cell may need ${ranFirst.length === 1 ? "it" : "them"}.`);
    }
    if (skipped.length) {
      const one = skipped.length === 1;
      cell.output.note(`Skipped ${cellList(skipped.map((c) => c.number))} above: you stopped ${one ? "it" : "them"}, `
        + `so ${one ? "it is" : "they are"} not run again by itself. Run ${one ? "it" : "them"} yourself `
        + "if this cell needs what it defines. ", { kind: "warning" }).append(...skipped.flatMap((c, i) => [i ? " · " : "", jumpLink(c)]));
    }
    const clickedAt = performance.now();
    this.running = cell;
    const onFirst = () => { cell.firstOutputAt ??= performance.now() - clickedAt; };
    const result = await runtime.run(cell.getCode(), {
      scope: this.scope,
      filename: `<cell ${cell.number}>`,
      onStart: () => cell.setState("running"),
      onStdout: (text) => { onFirst(); cell.output.text("stdout", text); },
      onStderr: (text) => { onFirst(); cell.output.text("stderr", text); },
      onFigure: (figure) => { onFirst(); cell.output.figure(figure); },
      onMessage: (message) => {
        if (message.kind === "progress") cell.output.showProgress(message);
        document.dispatchEvent(new CustomEvent("cells:message", { detail: { cell: cell.index, message } }));
      },
    });
    this.running = null;
    cell.output.flush();
    // A KeyboardInterrupt counts as a stop only when Stop asked for it (see finish).
    const stopping = this.stopping;
    this.stopping = null;
    const elapsed = cell.state === "running" ? performance.now() - cell.startedAt : 0;
    // Charts draw once uPlot has loaded: the cell ends when its figures are drawn or failed.
    const figureErrors = await cell.output.figures.failures();
    this.finish(cell, result, elapsed, stopping, figureErrors);
    return { ...result, state: cell.state, ms: Math.round(elapsed), firstOutputMs: cell.firstOutputAt, figureErrors };
  }

  finish(cell, result, elapsed, stopping = null, figureErrors = []) {
    const took = duration(elapsed);
    if (result.ok && figureErrors.length) {
      // The code ran, but the reader does not see what it drew: not "done".
      if (result.value !== undefined) cell.output.value(result.value);
      cell.setState("error");
      const what = figureErrors.length === 1 ? "A figure" : `${figureErrors.length} figures`;
      cell.setStatus("alert", `Ran in ${took}; ${what.toLowerCase()} could not be drawn`);
      cell.announce(`Cell ${cell.number} ran, but ${what.toLowerCase()} could not be drawn: ${figureErrors[0]}`);
      return;
    }
    if (result.ok) {
      if (result.value !== undefined) cell.output.value(result.value);
      cell.generation = runtime.generation;
      cell.setState("done");
      cell.setStatus("check", `Done in ${took}`);
      cell.announce(`Cell ${cell.number} finished in ${took}: ${cell.output.describe()}`);
      return;
    }
    const error = result.error || { type: "Error", message: "unknown error", traceback: "" };
    if (result.cancelled) {
      cell.setState("idle");
      cell.setStatus("", "Not run");
      return;
    }
    if (result.stopped || (error.type === "KeyboardInterrupt" && stopping === cell)) {
      cell.setState("stopped");
      if (result.namespaceReset) {
        const files = keptFilesText(runtime.keptFiles, { maxFile: MAX_FILE_BYTES, maxTotal: MAX_TOTAL_BYTES });
        cell.output.note(`Stopped after ${took}. To stop it, Python was restarted: the variables of `
          + `every cell are gone. ${files} The next Run runs the cells above again first.`, { kind: "warning" });
      } else {
        cell.output.note(`Stopped after ${took} (KeyboardInterrupt). Variables defined so far are kept.`,
          { kind: "warning" });
      }
      cell.setStatus("", `Stopped after ${took}`);
      cell.announce(`Cell ${cell.number} stopped`);
      return;
    }
    cell.setState("error");
    if (error.type === "RuntimeError" && /Python could not start/.test(error.message)) {
      const retry = el("button", { type: "button", class: "pycell__link", text: "Retry",
        onclick: () => { runtime.retry(); this.run(cell); } });
      cell.output.note(error.message + " ", { kind: "error", action: retry });
    } else {
      cell.output.error(error.traceback || `${error.type}: ${error.message}`);
      if (error.hint) cell.output.hint(error.hint);
      if (cell.expectError) cell.output.note("This error is expected: the cell shows what goes wrong.");
    }
    cell.setStatus("alert", cell.expectError ? `${error.type} (expected)` : error.type);
    cell.announce(`Cell ${cell.number} raised ${error.type}: ${error.message}`);
  }

  /**
   * Stop on `cell`; without a cell (window.__cells.stop()), stops whatever of this page runs
   * or waits.
   * @param {import("./cell.js").Cell} [cell]
   */
  async stop(cell) {
    const chain = cell?.state === "queued" ? cell.chain : null;
    if (chain && !chain.cells.includes(this.running)) {
      // A Run still waiting its turn: only it is dropped; what runs now goes on.
      chain.cancelled = true;
      this.cancelled(chain.cells);
      return;
    }
    this.token += 1;
    for (const c of this.cells) if (c.state === "queued" && c !== this.running) c.setState("idle");
    this.stopping = this.running;
    if (this.running) await runtime.stop({ scope: this.scope });
  }

  // Material rendered this same page again (it does so for the first link within the page
  // after a full load): the live cells, with their code, output and running state, take the
  // places of the fresh copies.
  adopt(blocks) {
    blocks.forEach((block, i) => block.replaceWith(this.cells[i].root));
    this.cells[0].root.before(this.statusLine.node);
  }

  dispose() {
    this.token += 1;
    for (const off of this.unsubscribe) off();
    this.statusLine.dispose();
    const busy = this.running;
    for (const cell of this.cells) cell.dispose();
    if (busy) runtime.stop({ scope: this.scope });
    runtime.resetScope(this.scope);
  }
}
