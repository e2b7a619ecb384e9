// Unit tests of src/lab/mnist.js (node --test): drawing to MNIST. The ink's bounding box is
// scaled into 20x20, anti-aliased, and placed so that its centre of mass is at (14.5, 14.5).
import { test } from "node:test";
import assert from "node:assert/strict";
import { BOX, PAD, SIDE, inkBounds, toBytes, toMnist } from "../../src/lab/mnist.js";

// A pad with ink in the rectangle [x0, x1) x [y0, y1).
function pad(x0, y0, x1, y1, value = 1) {
  const ink = new Float32Array(PAD * PAD);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * PAD + x] = value;
  return ink;
}

function extent(image) {
  const rows = [];
  const cols = [];
  for (let i = 0; i < SIDE; i++) for (let j = 0; j < SIDE; j++) {
    if (image[i * SIDE + j] > 0.05) { rows.push(i); cols.push(j); }
  }
  return [Math.max(...rows) - Math.min(...rows) + 1, Math.max(...cols) - Math.min(...cols) + 1];
}

function centreOfMass(image) {
  let m = 0, x = 0, y = 0;
  for (let i = 0; i < SIDE; i++) for (let j = 0; j < SIDE; j++) {
    const v = image[i * SIDE + j];
    m += v;
    x += v * (j + 0.5);
    y += v * (i + 0.5);
  }
  return [x / m, y / m];
}

test("an empty pad gives no image", () => {
  assert.equal(toMnist(new Float32Array(PAD * PAD), PAD, PAD), null);
  assert.equal(inkBounds(new Float32Array(4), 2, 2), null);
});

test("the ink's longer side becomes 20 pixels, the aspect ratio is kept", () => {
  const image = toMnist(pad(30, 40, 90, 240), PAD, PAD);  // 60 x 200 pad pixels, anywhere
  assert.equal(image.length, SIDE * SIDE);
  const [height, width] = extent(image);
  assert.ok(height === BOX || height === BOX + 1, `height ${height}`);
  assert.ok(Math.abs(width - 6) <= 1, `width ${width}`);
});

test("the centre of mass lands at the centre of the 28x28 field, wherever the ink was", () => {
  for (const [x0, y0] of [[0, 0], [150, 20], [200, 200]]) {
    const [cx, cy] = centreOfMass(toMnist(pad(x0, y0, x0 + 50, y0 + 70), PAD, PAD));
    assert.ok(Math.abs(cx - 14.5) < 0.05 && Math.abs(cy - 14.5) < 0.05, `${x0},${y0}: ${cx}, ${cy}`);
  }
});

test("values stay in [0, 1]; full ink inside the box is full ink; bytes are 0..255", () => {
  const image = toMnist(pad(100, 100, 200, 200), PAD, PAD);
  assert.ok(image.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...image), 1);
  const bytes = toBytes(Float32Array.from([0, 0.5, 1, 1.2, -0.1]));
  assert.deepEqual([...bytes], [0, 128, 255, 255, 0]);
});
