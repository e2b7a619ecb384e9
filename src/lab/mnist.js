// Drawing to MNIST, with no DOM: the pad's ink becomes a 28x28 image the way MNIST's digits were
// made. The bounding box of the ink is scaled to fit a 20x20 box (aspect ratio kept),
// anti-aliased by area averaging, and placed so that the centre of mass of the ink sits at the
// centre of the 28x28 field.

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

/**
 * The image as Python's predict() takes it: 784 bytes, 0 (no ink) to 255 (full ink).
 * @param {Float32Array} pixels  784 values in [0, 1]
 * @returns {Uint8Array}
 */
export function toBytes(pixels) {
  return Uint8Array.from(pixels, (v) => Math.round(255 * Math.min(1, Math.max(0, v))));
}
