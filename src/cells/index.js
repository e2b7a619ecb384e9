// Python cells: fenced Python blocks marked as cells become editors with Run, Stop, Reset, Copy
// and Link (a share link, share.js); their code runs in the site's Python worker (src/runtime/runtime.js).
//
// For page writers: mark a block with the `cell` class (pymdownx.superfences attribute syntax),
//
//     ```{.python .cell}
//     import numpy as np
//     print(np.arange(3))
//     ```
//
// and `.expect-error` for a cell that raises on purpose (never run automatically as a "cell
// above"). The cells of one page share one namespace, like a notebook. Figures come from
// Python's `page` module (pysite/mlpsite/page.py); the data file is /data/mnist-subset.npz.
//
// For tests and tools: every cell is `div.pycell[data-cell-index][data-cell-state]` with state
// idle | queued | running | done | error | stopped; `window.__cells` has ready(), list(),
// run(i, {above}), runAll() (per cell: state, ok, error, figureErrors: why a figure was not
// drawn, which also makes the state "error"), getCode(i), setCode(i, code), stop(), link(i) (a share link to
// cell i), linkOpened() (what the address's share link did) and runtime.

import { runtime } from "../runtime/runtime.js";
import { PageCells } from "./page-cells.js";
import { pagePath } from "./storage.js";

/** @type {PageCells | null} */
let current = null;

function setup() {
  const content = document.querySelector(".md-content") || document.body;
  const blocks = [...content.querySelectorAll("div.highlight.cell")].filter((b) => !b.closest(".pycell"));
  if (current && current.path === pagePath() && current.cells.length === blocks.length
      && !current.cells[0].root.isConnected) {
    current.adopt(blocks);
    return;
  }
  if (current) {
    current.dispose();
    current = null;
  }
  if (!blocks.length) return;
  // Start Python first, so that it loads while the editors are built; the status shows
  // progress or failure.
  runtime.ready().catch(() => {});
  current = new PageCells(blocks);
}

function saveAll() {
  for (const cell of current?.cells ?? []) if (cell.saveTimer || cell.unsaved) cell.save();
}

/** Turns the page's cell blocks into cells, now and after every instant navigation. */
export function startCells() {
  addEventListener("pagehide", saveAll);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") saveAll(); });
  if (window.document$?.subscribe) window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
  window.__cells = testHook();
}

// For tests and tools: drive the cells of the current page.
function testHook() {
  return {
    runtime,
    ready: () => runtime.ready(),
    list: () => (current?.cells ?? []).map((c) => ({
      index: c.index, state: c.state, expectError: c.expectError, edited: c.code !== c.original,
    })),
    getCode: (i) => current.cells[i].getCode(),
    setCode: (i, code) => current.cells[i].setCode(code),
    run: (i, options) => current.run(current.cells[i], options),
    async runAll() {
      const results = [];
      for (const cell of current?.cells ?? []) {
        const r = await current.run(cell, { above: false });
        results.push({ index: cell.index, state: cell.state, ok: r.ok, expectError: cell.expectError,
          error: r.error, figureErrors: r.figureErrors ?? [], ms: r.ms, firstOutputMs: r.firstOutputMs });
      }
      return results;
    },
    stop: () => current?.stop(),
    link: (i) => current.cells[i].link(),
    linkOpened: () => current?.linkOpened ?? null,
  };
}
