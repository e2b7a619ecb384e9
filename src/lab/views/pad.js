// The drawing pad: the reader draws a digit with a mouse, pen or finger, or with the keyboard's
// pen, and gets the MNIST-style image of the ink (mnist.js) while drawing. With the keyboard,
// the focused pad shows a pen that the arrow keys move (Shift: small steps) and Space or Enter
// puts down or lifts; a pen that is down draws as it moves.

import { PAD, STROKE, toMnist } from "../mnist.js";
import { el } from "../../ui/dom.js";

const KEY_STEP = 14;      // pad pixels per arrow key press (one MNIST pixel: 280 / 20)
const KEYS_HELP = "Arrow keys move the pen, Space puts it down or lifts it, Backspace clears";
const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const CENTRE = [PAD / 2, PAD / 2];

/**
 * The pad inside `root`. `onInk(pixels, version)` gets the MNIST-style image (784 values in
 * [0, 1], null after Clear) at most once a frame while drawing; `version` counts the changes.
 */
export class Pad {
  constructor(root, { onInk } = {}) {
    this.root = root;
    this.onInk = onInk;
    this.canvas = el("canvas", {
      class: "lab-pad__canvas", width: PAD, height: PAD, tabindex: "0", role: "application",
      "aria-roledescription": "drawing pad",
      "aria-label": `Draw a digit here with the mouse, a pen or a finger. ${KEYS_HELP}.`,
    });
    this.pen = el("div", { class: "lab-pad__pen", "aria-hidden": "true" });
    this.frame = el("div", { class: "lab-pad__frame" }, this.canvas, this.pen,
      el("p", { class: "lab-pad__hint", text: "Draw a digit" }),
      el("p", { class: "lab-pad__keys", text: `${KEYS_HELP}.` }));
    root.append(this.frame);
    root.dataset.version = "0";
    this.ctx = this.canvas.getContext("2d", { willReadFrequently: true });
    this.pixels = null;
    this.version = 0;       // counts the changes of the drawing
    this.dirty = false;
    this.pointer = null;    // {id, last}: the pointer that is down
    this.keyPen = [...CENTRE];
    this.keyDown = false;
    this.listen();
    this.showPen();
  }

  listen() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.pointerDown(e));
    c.addEventListener("pointermove", (e) => this.pointerMove(e));
    c.addEventListener("pointerup", (e) => this.pointerUp(e));
    c.addEventListener("pointercancel", (e) => this.pointerUp(e));
    c.addEventListener("keydown", (e) => this.key(e));
    c.addEventListener("blur", () => {
      this.keyDown = false;
      this.showPen();
    });
  }

  point(event) {
    const r = this.canvas.getBoundingClientRect();
    return [(event.clientX - r.left) * (PAD / r.width), (event.clientY - r.top) * (PAD / r.height)];
  }

  segment(a, b) {
    const ctx = this.ctx;
    Object.assign(ctx, { strokeStyle: "#000", lineWidth: STROKE, lineCap: "round", lineJoin: "round" });
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
    this.schedule();
  }

  // The image is made again at most once a frame.
  schedule() {
    if (this.dirty) return;
    this.dirty = true;
    requestAnimationFrame(() => this.update());
  }

  update() {
    this.dirty = false;
    const data = this.ctx.getImageData(0, 0, PAD, PAD).data;
    const ink = new Float32Array(PAD * PAD);
    for (let k = 0; k < ink.length; k++) ink[k] = data[4 * k + 3] / 255;
    this.changed(toMnist(ink, PAD, PAD));
  }

  changed(pixels) {
    this.pixels = pixels;
    this.version += 1;
    this.root.dataset.version = String(this.version);
    this.frame.classList.toggle("lab-pad__frame--inked", Boolean(pixels));
    this.onInk?.(pixels, this.version);
  }

  pointerDown(event) {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    const p = this.point(event);
    this.pointer = { id: event.pointerId, last: p };
    this.segment(p, p);
  }

  pointerMove(event) {
    if (event.pointerId !== this.pointer?.id) return;
    event.preventDefault();
    const events = event.getCoalescedEvents?.() ?? [];
    for (const e of events.length ? events : [event]) {
      const p = this.point(e);
      this.segment(this.pointer.last, p);
      this.pointer.last = p;
    }
  }

  pointerUp(event) {
    if (event.pointerId !== this.pointer?.id) return;
    this.pointer = null;
    this.schedule();
  }

  key(event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const move = MOVES[event.key];
    if (move) {
      const step = event.shiftKey ? KEY_STEP / 4 : KEY_STEP;
      const next = this.keyPen.map((v, i) => Math.min(PAD - 1, Math.max(0, v + step * move[i])));
      if (this.keyDown) this.segment(this.keyPen, next);
      this.keyPen = next;
    } else if (event.key === " " || event.key === "Enter") {
      this.keyDown = !this.keyDown;
      if (this.keyDown) this.segment(this.keyPen, this.keyPen);
    } else if (event.key === "Backspace" || event.key === "Delete") {
      this.clear();
    } else if (event.key === "Escape" && this.keyDown) {
      this.keyDown = false;
    } else {
      return;
    }
    event.preventDefault();
    this.showPen();
  }

  showPen() {
    this.pen.style.left = `${(100 * this.keyPen[0]) / PAD}%`;
    this.pen.style.top = `${(100 * this.keyPen[1]) / PAD}%`;
    this.pen.classList.toggle("lab-pad__pen--down", this.keyDown);
  }

  /** Empties the pad and brings the keyboard's pen back to the centre. */
  clear() {
    this.ctx.clearRect(0, 0, PAD, PAD);
    this.pointer = null;
    this.keyPen = [...CENTRE];
    this.keyDown = false;
    this.showPen();
    this.changed(null);
  }
}
