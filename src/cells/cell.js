// One Python cell: the editor (or, until it loads, the page's highlighted code), its buttons
// and status, and its output. What runs when is decided by the page's cells (page-cells.js).

import { el, enable } from "../ui/dom.js";
import { runtime } from "../runtime/runtime.js";
import { cellView } from "./cell-view.js";
import { icon } from "./icons.js";
import { Output } from "./output.js";
import { encodeCellLink } from "./share.js";
import { sharedBanner } from "./shared.js";
import { fingerprint, store } from "./storage.js";

const SAVE_DELAY_MS = 400;
const UNDO_MS = 15_000;          // how long "Undo reset" stays offered
const SAVED_TITLE = "Your edit is saved in this browser";
const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
export const RUN_KEYS = IS_MAC ? "⌘+Enter" : "Ctrl+Enter";

export class Cell {
  constructor(page, block, index) {
    this.page = page;
    this.index = index;
    this.number = index + 1;
    this.expectError = block.classList.contains("expect-error");
    const codeNode = block.querySelector("code") || block;
    this.original = codeNode.textContent.replace(/\n$/, "");
    this.code = this.original;
    this.editor = null;
    this.state = "idle";
    this.generation = -1;         // runtime.generation of the last successful run
    this.saveTimer = null;
    this.startedAt = 0;
    this.tick = null;

    const saved = store.load(page.path, index);
    this.staleEdit = false;
    if (saved && typeof saved.code === "string" && saved.code !== this.original) {
      this.code = saved.code;
      this.staleEdit = saved.original !== fingerprint(this.original);
    }

    this.shared = null;           // {banner, mine}: showing code from a share link, not saved
    this.unsaved = false;         // the last save failed (storage full): retried at each change and Run
    this.undoButton = null;
    // The nodes (CellView in cell-view.js): root, codeHost, the five buttons (runButton,
    // stopButton, resetButton, copyButton, linkButton), numberLabel, edited, statusIcon,
    // statusText, live and outputNode.
    Object.assign(this, cellView({
      index, lines: this.code.split("\n").length, folded: block.classList.contains("folded"),
      expectError: this.expectError, runKeys: RUN_KEYS, savedTitle: SAVED_TITLE,
      actions: { run: () => page.run(this), stop: () => page.stop(this), reset: () => this.reset(),
        copy: () => this.copy(), link: () => this.copyLink() },
    }));
    this.output = new Output(this.outputNode);

    block.replaceWith(this.root);
    // Until the editor arrives, the highlighted block stays visible (read-only).
    this.staticBlock = block;
    if (this.code !== this.original) {
      this.staticBlock = el("div", { class: "highlight" }, el("pre", {}, el("code", { text: this.code })));
    }
    this.codeHost.append(this.staticBlock);
    this.updateEdited();
    if (this.expectError) this.setStatus("", "This cell raises an error on purpose");
    else this.setStatus("", "");
    if (this.staleEdit) {
      this.staleNote = this.output.note("The page's code for this cell has changed since you edited it. "
        + "Your edit is shown; Reset shows the new code.", { kind: "warning" });
    }
  }

  async attachEditor() {
    try {
      const { createEditor } = await import("./editor.js");
      if (this.disposed) return;
      const host = el("div", { class: "pycell__editor" });
      this.editor = createEditor({
        parent: host,
        doc: this.code,
        label: `Python code of cell ${this.number}. ${RUN_KEYS} or Shift+Enter runs it; Escape then Tab leaves the editor.`,
        onChange: (code) => this.changed(code),
        onRun: () => this.page.run(this),
      });
      // On screen while the editor has focus: Tab types an indent there (the label says it too).
      host.append(el("p", { class: "pycell__keys", "aria-hidden": "true", text: "Tab indents · Esc then Tab leaves" }));
      this.staticBlock.replaceWith(host);
      this.staticBlock = null;
    } catch (error) {
      this.setStatus("", `The editor could not be loaded (${error.message}); the code runs as shown.`);
    }
  }

  getCode() {
    return this.editor ? this.editor.getCode() : this.code;
  }

  setCode(code) {
    if (this.editor) this.editor.setCode(code);
    else this.changed(code);
  }

  changed(code) {
    this.code = code;
    this.updateEdited();
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), SAVE_DELAY_MS);
  }

  save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (this.shared) return;      // shared code is saved only when the reader keeps it
    try {
      store.save(this.page.path, this.index, this.getCode(), this.original);
      this.setUnsaved(null);
    } catch (error) {
      this.setUnsaved(error);
    }
  }

  // The "edited" badge says whether the edit is saved; an unsaved edit stays marked (a Run's
  // status does not replace it) until a later save works.
  setUnsaved(error) {
    const was = this.unsaved;
    this.unsaved = Boolean(error);
    this.edited.classList.toggle("pycell__edited--unsaved", this.unsaved);
    this.edited.textContent = this.unsaved ? "edited, not saved: it will be lost on reload" : "edited";
    this.edited.title = this.unsaved
      ? `This browser did not save your edit (${error.message || error}); it is tried again at each change and each Run.`
      : SAVED_TITLE;
    if (this.unsaved && !was) this.announce(`The edit of cell ${this.number} could not be saved: it will be lost on reload`);
  }

  updateEdited() {
    const edited = this.code !== this.original;
    this.edited.hidden = !edited && !this.shared;
    if (!this.unsaved) {
      this.edited.textContent = this.shared ? "shared, not saved" : "edited";
      this.edited.title = this.shared ? "Code from a share link: saved only if you keep it" : SAVED_TITLE;
    }
    enable(this.resetButton, edited && !this.shared);
    this.root?.classList.toggle("pycell--edited", edited);
  }

  // Shows `code` in the editor (or the read-only block before it loads); nothing is saved.
  display(code) {
    if (this.editor) this.editor.setCode(code);  // its change event schedules a save: dropped
    this.code = code;
    if (this.staticBlock && !this.editor) {
      const block = el("div", { class: "highlight" }, el("pre", {}, el("code", { text: code })));
      this.staticBlock.replaceWith(block);
      this.staticBlock = block;
    }
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.updateEdited();
  }

  /**
   * Shows code from a share link, marked as shared and not saved; the reader's own version
   * (their saved edit, or the page's code) stays in storage, one click away on the banner.
   * @param {string} code
   */
  showShared(code) {
    const mine = this.getCode();
    this.shared = { mine, banner: null };
    this.shared.banner = sharedBanner(this, mine !== this.original, {
      keep: () => this.leaveShared(this.getCode(), true),
      mine: () => this.leaveShared(mine, false),
    });
    this.root.classList.add("pycell--shared");
    this.root.prepend(this.shared.banner);
    this.display(code);
  }

  // Back to the reader's own cell: with `code` shown, saved as their edit when `keep`.
  leaveShared(code, keep) {
    this.shared?.banner.remove();
    this.shared = null;
    this.root.classList.remove("pycell--shared");
    this.display(code);
    if (keep) this.save();
    this.announce(keep ? `Cell ${this.number}: the shared code is kept as your edit`
      : `Cell ${this.number}: your own version is back`);
    this.editor?.focus();
  }

  reset() {
    const previous = this.getCode();
    this.display(this.original);
    store.clear(this.page.path, this.index);
    this.setUnsaved(null);
    this.staleNote?.remove();  // the page's code is what shows now
    this.staleNote = null;
    this.announce(`Cell ${this.number} reset to the page's code; Undo reset brings your edit back`);
    this.editor?.focus();
    if (previous !== this.original) this.offerUndo(previous);
  }

  // For UNDO_MS after a Reset, a button next to Reset brings the edit back.
  offerUndo(previous) {
    this.dropUndo();
    this.undoButton = el("button", {
      type: "button", class: "pycell__link pycell__undo", text: "Undo reset",
      "aria-label": `Undo the reset of cell ${this.number}: bring your edit back`,
      onclick: () => {
        this.dropUndo();
        this.setCode(previous);
        this.save();
        this.announce(`Cell ${this.number}: your edit is back`);
        this.editor?.focus();
      },
    });
    this.resetButton.after(this.undoButton);
    this.undoTimer = setTimeout(() => this.dropUndo(), UNDO_MS);
  }

  dropUndo() {
    clearTimeout(this.undoTimer);
    this.undoButton?.remove();
    this.undoButton = null;
  }

  copy() {
    return this.copyText(this.getCode(), this.copyButton, "Copied", "Code copied");
  }

  /** The address of this page with this cell's current code in its fragment (share.js). */
  async link() {
    return `${location.href.split("#")[0]}#${await encodeCellLink(this.number, this.getCode())}`;
  }

  async copyLink() {
    const url = await this.link();
    this.root.dataset.shareLink = url;  // also where a reader whose browser refuses copying finds it
    return this.copyText(url, this.linkButton, "Link copied",
      `Link to cell ${this.number} copied: it opens this page with this code`);
  }

  async copyText(text, button, done, said) {
    let ok;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      const area = el("textarea", { class: "pycell__sr", "aria-hidden": "true" });
      area.value = text;
      document.body.append(area);
      area.select();
      try { ok = document.execCommand("copy"); } catch { ok = false; }
      area.remove();
    }
    const label = button.querySelector(".pycell__btn-text");
    const was = label.dataset.text ??= label.textContent;
    label.textContent = ok ? done : "Copy failed";
    button.classList.add("pycell__btn--said");  // shown even where the button is an icon alone
    this.announce(ok ? said : "The browser did not allow copying");
    clearTimeout(button.copyTimer);
    button.copyTimer = setTimeout(() => {
      label.textContent = was;
      button.classList.remove("pycell__btn--said");
    }, 1500);
    return ok;
  }

  announce(text) {
    this.live.textContent = text;
  }

  setStatus(iconName, text) {
    this.statusIcon.replaceChildren(...(iconName ? [icon(iconName)] : []));
    this.statusText.textContent = text;
  }

  setState(state) {
    const was = this.state;
    this.state = state;
    this.root.dataset.cellState = state;
    const busy = state === "queued" || state === "running";
    enable(this.stopButton, busy);
    enable(this.runButton, !busy);
    clearInterval(this.tick);
    this.tick = null;
    if (state === "queued") {
      this.setStatus("", runtime.status === "loading" || runtime.status === "idle"
        ? "Waiting for Python to load…" : "Queued");
    } else if (state === "running") {
      this.startedAt = performance.now();
      const update = () => this.setStatus("", `Running… ${((performance.now() - this.startedAt) / 1000).toFixed(1)} s`);
      update();
      this.tick = setInterval(update, 100);
      this.announce(`Cell ${this.number} running`);
    } else if (state === "idle" && was === "queued") {
      this.setStatus("", "Not run");
    }
  }

  markStale() {
    // Python restarted: what this cell defined is gone; its output stays, dimmed.
    if (this.state === "done" || this.state === "error") {
      this.setState("idle");
      this.root.classList.add("pycell--stale");
      this.setStatus("", "Not run since Python restarted");
    }
  }

  begin() {
    this.output.clear();
    this.root.classList.remove("pycell--stale");
    this.firstOutputAt = null;
  }

  dispose() {
    this.disposed = true;
    if (this.saveTimer || this.unsaved) this.save();
    clearInterval(this.tick);
    this.dropUndo();
    this.output.clear();
    this.editor?.destroy();
  }
}
