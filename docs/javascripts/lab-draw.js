// The drawing pad: the reader draws a digit with a mouse, pen or finger, and the ink is turned into
// a 28x28 image the way MNIST's digits were made: the bounding box is scaled to fit a 20x20 box
// (aspect ratio kept), anti-aliased by area averaging, and placed so that the centre of mass of
// the ink sits at the centre of the 28x28 field.

export const PAD = 280;          // drawing resolution, pixels per side
export const STROKE = 20;        // pen width in pad pixels
export const SIDE = 28;          // MNIST image side
export const BOX = 20;           // the longer side of the digit after scaling
const CENTRE = 14.5;             // MNIST's mean centre of mass, pixel centres at k + 0.5

// Pixels per side of the pad ink; returns [x0, y0, x1, y1) of the ink or null when empty.
export function inkBounds(ink, width, height, threshold = 0.02) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : [x0, y0, x1 + 1, y1 + 1];
}

// Weights of a 1-D area-averaging resampling. Output cell j covers source [start + j/scale,
// start + (j+1)/scale); each source cell k covers [k, k+1). Returns, per output cell, the list
// of [k, weight] with weights scaled so a fully covered output cell sums to 1.
function areaWeights(outSize, srcSize, start, scale) {
  const cells = [];
  for (let j = 0; j < outSize; j++) {
    const a = start + j / scale;
    const b = start + (j + 1) / scale;
    const list = [];
    for (let k = Math.max(0, Math.floor(a)); k < Math.min(srcSize, Math.ceil(b)); k++) {
      const overlap = Math.min(b, k + 1) - Math.max(a, k);
      if (overlap > 0) list.push([k, overlap * scale]);
    }
    cells.push(list);
  }
  return cells;
}

// Turns pad ink (Float32Array width*height, 0..1) into an MNIST-style image (Float32Array 784,
// 0..1, row-major), or null when nothing is drawn.
export function toMnist(ink, width, height) {
  const bounds = inkBounds(ink, width, height);
  if (!bounds) return null;
  const [x0, y0, x1, y1] = bounds;
  const scale = BOX / Math.max(x1 - x0, y1 - y0);  // output pixels per pad pixel

  // Centre of mass of the ink, in pad coordinates (pixel centres at k + 0.5).
  let mass = 0, mx = 0, my = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const v = ink[y * width + x];
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  mx /= mass;
  my /= mass;

  // Output pixel j starts at pad coordinate start + j/scale; pick start so the centre of mass
  // lands where MNIST has it: on the centre of pixel (14, 14), 14.5 in continuous coordinates.
  const startX = mx - CENTRE / scale;
  const startY = my - CENTRE / scale;
  const wx = areaWeights(SIDE, width, startX, scale);
  const wy = areaWeights(SIDE, height, startY, scale);

  const out = new Float32Array(SIDE * SIDE);
  const rowSums = new Float32Array(SIDE);
  for (let i = 0; i < SIDE; i++) {
    for (const [y, w] of wy[i]) {
      // rowSums[j] = sum over x of ink[y, x] * wx[j][x]
      const row = y * width;
      for (let j = 0; j < SIDE; j++) {
        let s = 0;
        for (const [x, v] of wx[j]) s += ink[row + x] * v;
        rowSums[j] = s;
      }
      for (let j = 0; j < SIDE; j++) out[i * SIDE + j] += w * rowSums[j];
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1, Math.max(0, out[k]));
  return out;
}

// Draws a 28x28 image (0..1) into a canvas as black ink with alpha = intensity.
export function paintDigit(canvas, pixels) {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(SIDE, SIDE);
  for (let k = 0; k < SIDE * SIDE; k++) {
    img.data[4 * k + 3] = Math.round(255 * (pixels ? pixels[k] : 0));
  }
  ctx.putImageData(img, 0, 0);
}

const KEY_STEP = 14;      // pad pixels per arrow key press (one MNIST pixel: 280 / 20)
const KEYS_HELP = "Arrow keys move the pen, Space puts it down or lifts it, Backspace clears";

// The pad itself. `onInk(pixels)` gets the MNIST-style image while drawing (pixels is null after
// Clear); the caller debounces its own work. With the keyboard, the focused pad shows a pen
// that the arrow keys move (Shift: small steps) and Space or Enter puts down or lifts; a pen
// that is down draws as it moves.
export function createPad(root, { onInk } = {}) {
  const canvas = document.createElement("canvas");
  canvas.width = PAD;
  canvas.height = PAD;
  canvas.className = "lab-pad__canvas";
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "application");
  canvas.setAttribute("aria-roledescription", "drawing pad");
  canvas.setAttribute("aria-label", "Draw a digit here with the mouse, a pen or a finger. " + KEYS_HELP + ".");
  const frame = document.createElement("div");
  frame.className = "lab-pad__frame";
  frame.append(canvas);
  const pen = document.createElement("div");
  pen.className = "lab-pad__pen";
  pen.setAttribute("aria-hidden", "true");
  frame.append(pen);
  const hint = document.createElement("p");
  hint.className = "lab-pad__hint";
  hint.textContent = "Draw a digit";
  frame.append(hint);
  const keysHint = document.createElement("p");
  keysHint.className = "lab-pad__keys";
  keysHint.textContent = KEYS_HELP + ".";
  frame.append(keysHint);
  root.append(frame);

  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  root.dataset.version = "0";
  let drawing = null;   // pointerId of the pen that is down
  let last = null;
  let dirty = false;
  let pixels = null;
  let version = 0;      // counts the changes of the drawing

  function point(event) {
    const r = canvas.getBoundingClientRect();
    return [(event.clientX - r.left) * (PAD / r.width), (event.clientY - r.top) * (PAD / r.height)];
  }

  function segment(a, b) {
    ctx.strokeStyle = "#000";
    ctx.fillStyle = "#000";
    ctx.lineWidth = STROKE;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    ctx.moveTo(a[0], a[1]);
    ctx.lineTo(b[0], b[1]);
    ctx.stroke();
  }

  function update() {
    dirty = false;
    const data = ctx.getImageData(0, 0, PAD, PAD).data;
    const ink = new Float32Array(PAD * PAD);
    for (let k = 0; k < ink.length; k++) ink[k] = data[4 * k + 3] / 255;
    pixels = toMnist(ink, PAD, PAD);
    version += 1;
    root.dataset.version = String(version);
    frame.classList.toggle("lab-pad__frame--inked", Boolean(pixels));
    onInk?.(pixels);
  }

  function schedule() {
    if (dirty) return;
    dirty = true;
    requestAnimationFrame(update);
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 && event.pointerType === "mouse") return;
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = event.pointerId;
    last = point(event);
    segment(last, last);
    schedule();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (event.pointerId !== drawing) return;
    event.preventDefault();
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const p = point(e);
      segment(last, p);
      last = p;
    }
    schedule();
  });
  const end = (event) => {
    if (event.pointerId !== drawing) return;
    drawing = null;
    last = null;
    schedule();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  // The keyboard's pen, in pad pixels.
  let keyPen = [PAD / 2, PAD / 2];
  let keyDown = false;
  function showPen() {
    pen.style.left = `${(100 * keyPen[0]) / PAD}%`;
    pen.style.top = `${(100 * keyPen[1]) / PAD}%`;
    pen.classList.toggle("lab-pad__pen--down", keyDown);
  }
  showPen();
  const MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  canvas.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const move = MOVES[event.key];
    if (move) {
      const step = event.shiftKey ? KEY_STEP / 4 : KEY_STEP;
      const next = keyPen.map((v, i) => Math.min(PAD - 1, Math.max(0, v + step * move[i])));
      if (keyDown) {
        segment(keyPen, next);
        schedule();
      }
      keyPen = next;
    } else if (event.key === " " || event.key === "Enter") {
      keyDown = !keyDown;
      if (keyDown) {
        segment(keyPen, keyPen);
        schedule();
      }
    } else if (event.key === "Backspace" || event.key === "Delete") {
      clear();
    } else if (event.key === "Escape" && keyDown) {
      keyDown = false;
    } else {
      return;
    }
    event.preventDefault();
    showPen();
  });
  canvas.addEventListener("blur", () => {
    keyDown = false;
    showPen();
  });

  function clear() {
    ctx.clearRect(0, 0, PAD, PAD);
    drawing = null;
    keyPen = [PAD / 2, PAD / 2];
    keyDown = false;
    showPen();
    pixels = null;
    version += 1;
    root.dataset.version = String(version);
    frame.classList.remove("lab-pad__frame--inked");
    onInk?.(null);
  }

  return { canvas, clear, pixels: () => pixels, version: () => version };
}
