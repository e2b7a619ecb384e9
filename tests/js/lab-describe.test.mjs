// Unit tests of src/lab/describe.js (node --test): the stats, the status line and the message
// about a run say the same epoch, also after Stop in the middle of an epoch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { epochOf, message, position, stats, statusLine } from "../../src/lab/describe.js";

const progress = (epoch, batch, extra = {}) => ({
  epoch, batch, epochs: 20, batchesPerEpoch: 79, samples: 10000 * epoch + 128 * batch, total: 200000,
  rate: 5000, eta: 30, elapsed: 4, ...extra,
});
const run = (status, p, extra = {}) => ({
  label: "relu · sgd lr 0.05", status, progress: p, epochs: Array.from({ length: p?.epoch ?? 0 }, (_, i) => ({
    epoch: i + 1, test_acc: 0.9 + i / 100, test_loss: 0.3,
  })), config: { lr: 0.05, activation: "relu", optimizer: "sgd" }, result: null, ...extra,
});
const epochStat = (r) => stats(r).find(([name]) => name === "Epoch")[1];

test("stopped in the middle of epoch 2: stats, status and message all say epoch 2", () => {
  const r = run("stopped", progress(1, 76));
  assert.equal(epochOf(r.progress), 2);
  assert.equal(epochStat(r), "2 of 20");
  assert.equal(statusLine(r), "Stopped relu · sgd lr 0.05 in epoch 2 of 20, after batch 76 of 79.");
  const m = message(r);
  assert.equal(m.kind, "info");
  assert.ok(m.text.startsWith("Stopped in epoch 2 of 20, after batch 76 of 79 (1 complete epoch on the charts)."), m.text);
  assert.match(m.text, /model trained so far is kept/);
});

test("stopped at an epoch's end: epoch 3 done is epoch 3 everywhere", () => {
  const r = run("stopped", progress(3, 0));
  assert.equal(epochStat(r), "3 of 20");
  assert.equal(position(r.progress), "epoch 3 of 20");
  assert.ok(message(r).text.startsWith("Stopped in epoch 3 of 20. The model"), message(r).text);
});

test("while training: the epoch in progress, batches, time left and the last test accuracy", () => {
  const r = run("training", progress(2, 10));
  assert.deepEqual(stats(r), [["Epoch", "3 of 20"], ["Samples/s", "5,000"], ["Time left", "about 30 s"], ["Test accuracy", "0.9100"]]);
  assert.equal(statusLine(r), "Training relu · sgd lr 0.05: batch 10 of 79 in epoch 3.");
  assert.equal(statusLine(run("training", progress(2, 0))), "Training relu · sgd lr 0.05: epoch 2 of 20 done.");
  assert.equal(statusLine(run("training", null)), "Training relu · sgd lr 0.05…");
  assert.equal(message(r), null);
});

test("a finished run reports its training time, the final model's accuracy, and a bad loss", () => {
  const p = progress(3, 0, { epochs: 3, samples: 30000 });
  const r = run("done", p, { result: { accuracy: 0.9315 } });
  assert.deepEqual(stats(r), [["Epoch", "3 of 3"], ["Samples/s", "7,500"], ["Training time", "4.0 s"], ["Test accuracy", "0.9315"]]);
  assert.equal(statusLine(r), "Finished relu · sgd lr 0.05: 3 epochs in 4.0 s of training.");
  assert.equal(message(r), null);
  r.epochs.at(-1).test_loss = 9;
  assert.equal(message(r).kind, "warning");
  assert.match(message(r).text, /learning rate \(0.05\) is probably too large for relu with sgd/);
});

test("failures say so", () => {
  assert.deepEqual(message(run("failed", null, { message: "Python was restarted" })),
    { text: "Training failed: Python was restarted", kind: "error" });
  assert.equal(message(run("diverged", null, { message: "Training diverged." })).kind, "error");
  assert.equal(statusLine(null).startsWith("Choose a configuration"), true);
});

test("a run that keeps its best epoch says which, after Stop and at the end", () => {
  const kept = { epoch: 2, text: "restored the weights of epoch 2 (test accuracy 0.9512)" };
  const stopped = run("stopped", progress(3, 40), { kept });
  assert.equal(message(stopped).text, "Stopped in epoch 4 of 20, after batch 40 of 79 (3 complete epochs on the charts). "
    + "The model is the best epoch's: restored the weights of epoch 2 (test accuracy 0.9512). Draw a digit or inspect it below.");
  const done = run("done", progress(3, 0, { epochs: 3 }), { kept });
  assert.deepEqual(message(done), { text: `The model is the best epoch's: ${kept.text}.`, kind: "info" });
});
