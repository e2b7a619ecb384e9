// Unit tests of the pure parts of src/figures/ (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { columns, logDecades, logTickLabels } from "../../src/figures/line-chart.js";
import { shades } from "../../src/figures/heatmap.js";

test("columns: x first, gaps (None from Python arrives as undefined) become null", () => {
  assert.deepEqual(columns({ x: [1, 2, 3], series: [{ values: [0.5, undefined, null] }] }),
    [[1, 2, 3], [0.5, null, null]]);
});

test("logDecades keeps powers of ten, thinned when crowded", () => {
  const splits = [0.001, 0.002, 0.01, 0.1, 1, 10];
  assert.deepEqual(logDecades(splits, 400), [0.001, null, 0.01, 0.1, 1, 10]);
  // 5 decades on 40 px: every third one
  assert.deepEqual(logDecades(splits, 40), [0.001, null, null, null, 1, null]);
  assert.deepEqual(logTickLabels([1e-5, 0.001, null, 1e4, 1e5]), ["1e-5", "0.001", "", "10000", "1e5"]);
});

test("shades: all cells between min and max, or each row's share with misses stretched", () => {
  const all = shades({ rows: 2, cols: 2, values: [0, 1, 2, 4] });
  assert.deepEqual(all.map((s) => s.share), [0, 0.25, 0.5, 1]);
  const rows = shades({ rows: 2, cols: 2, values: [9, 1, 0, 10], shade: "row" });
  assert.deepEqual(rows.map((s) => s.share), [0.9, 0.5, 0, 1]);
  assert.deepEqual(rows.map((s) => s.diagonal), [true, false, false, true]);
});
