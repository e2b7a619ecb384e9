import assert from "node:assert/strict";
import test from "node:test";

import { DARK_TEXT, LIGHT_TEXT, contrast, luminance, textOn } from "../../src/ui/contrast.js";

test("luminance follows WCAG 2.1: black 0, white 1, pure green 0.7152", () => {
  assert.equal(luminance([0, 0, 0]), 0);
  assert.equal(luminance([255, 255, 255]), 1);
  assert.ok(Math.abs(luminance([0, 255, 0]) - 0.7152) < 1e-12);
});

test("contrast is 21 for black on white, 1 for equal colours, and symmetric", () => {
  assert.equal(contrast(0, 1), 21);
  assert.equal(contrast(1, 0), 21);
  assert.equal(contrast(0.3, 0.3), 1);
});

test("textOn picks the text colour with the higher contrast, at least 4.5:1 on every grey", () => {
  assert.equal(textOn([255, 255, 255]), DARK_TEXT);
  assert.equal(textOn([0, 0, 0]), LIGHT_TEXT);
  assert.equal(textOn([255, 110, 66]), DARK_TEXT);   // the dark palette's orange accent
  assert.equal(textOn([63, 81, 181]), LIGHT_TEXT);   // the light palette's indigo
  const dark = 0;
  for (let v = 0; v <= 255; v += 5) {
    const l = luminance([v, v, v]);
    const chosen = textOn([v, v, v]) === DARK_TEXT ? contrast(l, dark) : contrast(l, 1);
    assert.ok(chosen >= 4.5, `grey ${v}: ${chosen.toFixed(2)}:1`);
  }
});
