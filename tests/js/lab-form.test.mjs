// Unit tests of src/lab/form-model.js (node --test): the form's values become a configuration,
// or messages that name the bad value and what is allowed.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PRESETS, betaLabel, formDefaults, matchingPreset, presetValues, parameterCount, parseHidden, pythonConfig, runDetail, runLabel,
  summary, validate,
} from "../../src/lab/form-model.js";
import { CHOICES } from "./lab-fixtures.mjs";

const DEFAULTS = formDefaults(CHOICES);

const check = (values) => validate({ ...DEFAULTS, ...values }, CHOICES);

test("the form's first values are Python's defaults, and every field in use goes back to Python as it is", () => {
  assert.deepEqual(DEFAULTS, {
    hidden: "64", activation: "sigmoid", optimizer: "momentum", lr: "4", beta: "0.9", batchSize: "128", epochs: "5",
    weightDecay: "0", dropout: "0", schedule: "constant", stepEpochs: "2", gamma: "0.5", warmup: "1", dtype: "float32",
    keep: "last", backend: "kernel", seed: "0", data: "subset",
  });
  const { config, errors } = check({});
  assert.deepEqual(errors, {});
  assert.deepEqual(pythonConfig(config), {
    hidden: [64], activation: "sigmoid", optimizer: "momentum", learning_rate: 4, beta: 0.9, batch_size: 128,
    epochs: 5, weight_decay: 0, dropout: 0, schedule: "constant", dtype: "float32", keep_best: false,
    backend: "kernel", seed: 0,
  });
});

test("for every optimiser and schedule, each setting in use reaches Python with the value the form shows", () => {
  const d = CHOICES.defaults;
  for (const { name: optimizer, beta } of CHOICES.optimizers) {
    for (const schedule of CHOICES.schedules) {
      const { config, errors } = check({ optimizer, schedule });
      assert.deepEqual(errors, {}, `${optimizer} ${schedule}`);
      const python = pythonConfig(config);
      const expected = {
        hidden: d.sizes.slice(1, -1), activation: d.activation, optimizer, learning_rate: d.learning_rate,
        batch_size: d.batch_size, epochs: d.epochs, weight_decay: d.weight_decay, dropout: d.dropout, schedule,
        dtype: d.dtype, keep_best: d.keep_best, backend: CHOICES.backends[0], seed: d.seed,
        ...(beta ? { beta: d.beta } : {}),
        ...(schedule === "cosine" ? { warmup_epochs: d.warmup_epochs } : {}),
        ...(schedule === "step" ? { step_epochs: d.step_epochs, gamma: d.gamma } : {}),
      };
      assert.deepEqual(python, expected, `${optimizer} ${schedule}`);
    }
  }
});

test("hidden sizes: commas or spaces, each a whole number within the limits", () => {
  assert.deepEqual(parseHidden(" 128, 64 32 ", CHOICES), { value: [128, 64, 32] });
  assert.deepEqual(parseHidden("128 ,\t64", CHOICES), { value: [128, 64] });
  const cases = [
    ["", "Enter at least one hidden layer size"],
    ["64, abc", '"abc" is not one'],
    ["-5", "A layer needs at least 1 unit; got -5."],
    ["5000", "5,000 units is too many for a browser tab; use at most 4,096 per layer."],
    ["1 1 1 1 1 1 1 1 1", "9 hidden layers is too many; use at most 8."],
    ["4096, 4096", "This network has 20,037,642 parameters; the lab allows at most 20,000,000"],
    ["64,,32", 'A size is missing between two commas, or at an end, in "64,,32"'],
    ["64, 32,", 'A size is missing between two commas, or at an end, in "64, 32,"'],
    [",64", "A size is missing"],
  ];
  for (const [raw, message] of cases) assert.match(parseHidden(raw, CHOICES).error, new RegExp(message.replace(/[.*+?()[\]]/g, "\\$&")), raw);
});

test("numbers: each message names the value and the allowed range", () => {
  const cases = [
    [{ lr: "" }, "lr", "Enter the learning rate."],
    [{ lr: "fast" }, "lr", 'The learning rate must be a number; got "fast".'],
    [{ lr: "0" }, "lr", "The learning rate must be above 0 and at most 100; got 0."],
    [{ lr: "1000" }, "lr", "The learning rate must be above 0 and at most 100; got 1000."],
    [{ beta: "1" }, "beta", "β must be at least 0 and below 1; got 1."],
    [{ beta: "x" }, "beta", 'β must be a number; got "x".'],
    [{ batchSize: "20000" }, "batchSize", "The batch size must be between 1 and 10,000; got 20000."],
    [{ batchSize: "12.5" }, "batchSize", 'The batch size must be a whole number; got "12.5".'],
    [{ epochs: "0" }, "epochs", "The number of epochs must be between 1 and 100; got 0."],
    [{ epochs: "1e9" }, "epochs", "The number of epochs must be between 1 and 100; got 1000000000."],
    [{ epochs: "1e400" }, "epochs", 'The number of epochs must be between 1 and 100; got "1e400".'],
    [{ lr: "1e400" }, "lr", 'The learning rate must be above 0 and at most 100; got "1e400".'],
    [{ seed: "-1" }, "seed", "The seed must be between 0 and 4,294,967,295; got -1."],
    [{ activation: "swish" }, "activation", 'Unknown activation "swish"; choose one of sigmoid, relu, tanh, leaky_relu.'],
  ];
  for (const [values, field, message] of cases) {
    const { errors } = check(values);
    assert.equal(errors[field], message, JSON.stringify(values));
    assert.deepEqual(Object.keys(errors), [field]);
  }
});

test("β is checked only for an optimiser that has it, and named after its option", () => {
  assert.deepEqual(check({ optimizer: "sgd", beta: "not a number" }).errors, {});
  assert.equal("beta" in check({ optimizer: "sgd" }).config, false);
  assert.equal(betaLabel(CHOICES, "sgd"), null);
  assert.equal(betaLabel(CHOICES, "adam"), "β₁, decay of the mean");
  assert.equal(betaLabel(CHOICES, "rmsprop"), "β, decay of the squared gradient");
});

test("parameter count, summary, labels and presets", () => {
  assert.equal(parameterCount([784, 64, 10]), 784 * 64 + 64 + 64 * 10 + 10);
  assert.equal(summary("64", CHOICES), "784 → 64 → 10 · 50,890 parameters");
  assert.equal(summary("abc", CHOICES), "");
  const relu = presetValues(PRESETS.find((p) => p.id === "relu-sgd"), CHOICES);
  assert.equal(matchingPreset(DEFAULTS, CHOICES), "sigmoid-momentum");
  assert.equal(matchingPreset({ ...relu, lr: " 0.05 ", backend: "numpy" }, CHOICES), "relu-sgd");
  assert.equal(matchingPreset({ ...DEFAULTS, epochs: "3" }, CHOICES), null);
  assert.equal(matchingPreset(DEFAULTS, null), null);
  const config = validate(relu, CHOICES).config;
  assert.equal(runLabel(config), "relu · sgd lr 0.05");
  assert.equal(runLabel({ ...config, hidden: [128, 64] }), "128-64 relu · sgd lr 0.05");
  assert.equal(runDetail(config, CHOICES, 50890), "784-64-10 · 50,890 parameters · batch 128 · 5 epochs · float32 · seed 0 · subset");
});
