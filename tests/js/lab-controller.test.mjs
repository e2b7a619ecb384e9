// Unit tests of the lab's pure helpers (node --test): the training pace, the download's name,
// and the charts' alignment of runs onto one epoch axis.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pace, weightsFileName } from "../../src/lab/controller.js";
import { align } from "../../src/lab/views/charts.js";

test("pace: samples per second over the last five seconds; time left at the overall pace", () => {
  const recent = [];
  assert.deepEqual(pace(recent, 1000, 10000, 500, 0), { rate: 2000, eta: 4.5 });
  pace(recent, 3000, 10000, 1500, 0);
  const late = pace(recent, 5000, 10000, 7500, 0);  // the first point is now over 5 s old
  assert.equal(recent.length, 2);
  assert.ok(Math.abs(late.rate - 2000 / 6) < 1e-9, late.rate);
  assert.ok(Math.abs(late.eta - 5000 / (5000 / 7.5)) < 1e-9, late.eta);
});

test("weights files are named after the run, once .npz", () => {
  assert.equal(weightsFileName("relu · sgd lr 0.05"), "mlp-relu-sgd-lr-0.05.npz");
  assert.equal(weightsFileName("weights.npz"), "mlp-weights.npz");
  assert.equal(weightsFileName("128-64 sigmoid · momentum lr 4 (2)"), "mlp-128-64-sigmoid-momentum-lr-4-2.npz");
});

test("align: one sorted x axis, null where a series has no point or a value that is not finite", () => {
  assert.deepEqual(align([[[1, 0.5], [2, 0.4]], [[0.5, 2], [1, NaN]]]), [[0.5, 1, 2], [null, 0.5, 0.4], [2, null, null]]);
  assert.deepEqual(align([]), [[]]);
});
