// Unit tests of the lab's logic without DOM (node --test): the training pace, the download's name,
// the charts' alignment of runs onto one epoch axis, and the predictor's queue of drawings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pace, weightsFileName } from "../../src/lab/controller.js";
import { align } from "../../src/lab/views/charts.js";
import { predictor } from "../../src/lab/predictor.js";

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

test("predictions: one question at a time, about the latest drawing; none without a model", async () => {
  const asked = [];
  const emitted = [];
  let release;
  const lab = {
    model: { id: "run-1" },
    drawingModel() { return this.model; },
    emit: (what) => emitted.push(what),
    call: (name, kwargs) => {
      asked.push(kwargs.pixels[0]);
      return new Promise((resolve) => { release = () => resolve({ probabilities: Array(10).fill(0.1) }); });
    },
  };
  const p = predictor(lab);
  const image = (v) => Float32Array.from({ length: 784 }, () => v);
  p.request(image(0.1), 1);
  for (let v = 2; v <= 5; v++) p.request(image(v / 10), v);  // drawn while the first is answered
  assert.equal(asked.length, 1);
  release();
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.deepEqual(asked, [26, 128]);  // the first drawing, then only the latest (bytes 0..255)
  release();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual({ version: p.latest.version, model: p.latest.model }, { version: 5, model: "run-1" });
  lab.model = null;
  p.again();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(p.latest.probabilities, null);
  assert.match(p.latest.message, /Train a model first/);
  assert.ok(emitted.every((w) => w === "prediction"));
});
