// Unit tests of the backpropagation stepper's layout (src/figures/stepper.js): pure functions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { markLines, nodePositions } from "../../src/figures/stepper.js";

test("markLines: one line per sample, the values right-aligned under the name", () => {
  assert.deepEqual(markLines("dz 0.012|-0.034"), ["dz  0.012", "   -0.034"]);
  assert.deepEqual(markLines("1.000|0.200"), ["1.000", "0.200"]);
  assert.deepEqual(markLines("a 0.5"), ["a 0.5"]);
});

test("the widest marks of neighbouring columns keep apart at the narrowest width", () => {
  const CHAR = 0.62 * 9.5;            // a monospace glyph of the marks' 9.5 px font, generously
  const widest = Math.max(...["da -0.012|-0.034", "dz -0.123|-0.456", "-1.000|-0.500"]
    .flatMap(markLines).map((line) => line.length * CHAR));
  for (const width of [300, 390, 520]) {
    const xs = nodePositions([3, 4, 2], width).map((column) => column[0][0]);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] - xs[i - 1] > widest + 8, `${width}: ${xs}`);
    assert.ok(xs[0] - widest / 2 >= 0 && xs.at(-1) + widest / 2 <= width, `inside ${width}`);
  }
});
