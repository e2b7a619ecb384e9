// Unit tests of the lab form's regularisation, schedule, best-epoch and backend settings
// (src/lab/form-model.js): each one is sent when it is in use.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fieldUsed, formDefaults, pythonConfig, runDetail, validate } from "../../src/lab/form-model.js";
import { CHOICES } from "./lab-fixtures.mjs";

const DEFAULTS = formDefaults(CHOICES);

const check = (values) => validate({ ...DEFAULTS, ...values }, CHOICES);

test("the settings reach Python's keyword arguments", () => {
  const { config, errors } = check({ weightDecay: "0.001", dropout: "0.25", schedule: "step", stepEpochs: "3",
    gamma: "0.1", keep: "best", backend: "numpy" });
  assert.deepEqual(errors, {});
  const python = pythonConfig(config);
  assert.deepEqual([python.weight_decay, python.dropout, python.schedule, python.step_epochs, python.gamma,
    python.keep_best, python.backend], [0.001, 0.25, "step", 3, 0.1, true, "numpy"]);
  assert.equal(python.warmup_epochs, undefined);  // only the cosine schedule has a warm-up
  assert.match(runDetail(config, CHOICES, 50890),
    /seed 0 · subset · weight decay 0.001 · dropout 0.25 · lr × 0.1 every 3 epochs · keeps the best epoch$/);
  const cosine = pythonConfig(check({ schedule: "cosine", warmup: "0.5" }).config);
  assert.deepEqual([cosine.schedule, cosine.warmup_epochs, cosine.gamma], ["cosine", 0.5, undefined]);
});

test("each setting's message names the value and what is allowed", () => {
  const cases = [
    [{ weightDecay: "-1" }, "weightDecay", "The weight decay must be at least 0 and at most 10; got -1."],
    [{ dropout: "1" }, "dropout", "The dropout rate must be at least 0 and below 1; got 1."],
    [{ dropout: "half" }, "dropout", 'The dropout rate must be a number; got "half".'],
    [{ schedule: "wiggly" }, "schedule", 'Unknown learning-rate schedule "wiggly"; choose one of constant, step, cosine.'],
    [{ schedule: "cosine", warmup: "5" }, "warmup", "The warm-up must be shorter than the training (5 epochs); got 5."],
    [{ schedule: "step", stepEpochs: "0" }, "stepEpochs", "The epochs between two steps must be between 1 and 100; got 0."],
    [{ schedule: "step", gamma: "0" }, "gamma", "γ must be above 0 and at most 1; got 0."],
    [{ keep: "all" }, "keep", 'Unknown choice of epoch to keep "all"; choose one of last, best.'],
    [{ backend: "gpu" }, "backend", 'Unknown matrix product "gpu"; choose one of kernel, numpy.'],
  ];
  for (const [values, field, message] of cases) assert.equal(check(values).errors[field], message, field);
});

test("a schedule's own settings count only with that schedule", () => {
  assert.deepEqual(check({ warmup: "x", stepEpochs: "x", gamma: "x" }).errors, {});
  assert.ok(fieldUsed("warmup", { schedule: "cosine" }, CHOICES) && !fieldUsed("warmup", { schedule: "step" }, CHOICES));
  assert.ok(fieldUsed("gamma", { schedule: "step" }, CHOICES) && !fieldUsed("stepEpochs", { schedule: "constant" }, CHOICES));
  assert.ok(!fieldUsed("beta", { optimizer: "sgd" }, CHOICES) && fieldUsed("beta", { optimizer: "adam" }, CHOICES));
});
