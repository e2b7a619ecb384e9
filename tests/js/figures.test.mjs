// Unit tests of the pure parts of src/figures/ (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { columns, logDecades, logTickLabels } from "../../src/figures/line-chart.js";
import { shades } from "../../src/figures/heatmap.js";
import { barSpan } from "../../src/figures/bars.js";
import { pickUnits, signed } from "../../src/figures/prediction.js";

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

test("barSpan: unsigned bars clamp to [0, max]; signed ones grow from the centre", () => {
  assert.deepEqual(barSpan(5, 10), [0, 50]);
  assert.deepEqual(barSpan(-3, 10), [0, 0]);
  assert.deepEqual(barSpan(20, 10), [0, 100]);
  assert.deepEqual(barSpan(5, 10, true), [50, 25]);
  assert.deepEqual(barSpan(-10, 10, true), [0, 50]);
  assert.deepEqual(barSpan(0, 10, true), [50, 0]);
});

test("pickUnits: every unit of a small layer; else the strongest, the weakest and how many between", () => {
  assert.deepEqual(pickUnits(5), { first: [0, 1, 2, 3, 4], last: [], hidden: 0 });
  assert.deepEqual(pickUnits(12), { first: [...Array(12).keys()], last: [], hidden: 0 });
  assert.deepEqual(pickUnits(64), { first: [0, 1, 2, 3, 4, 5, 6, 7], last: [60, 61, 62, 63], hidden: 52 });
  assert.deepEqual(pickUnits(6, 2, 1), { first: [0, 1], last: [5], hidden: 3 });
});

test("signed numbers always show their sign", () => {
  assert.equal(signed(0.25), "+0.250");
  assert.equal(signed(-1.5), "-1.50");
  assert.equal(signed(0), "0");
});
