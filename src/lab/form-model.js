// The lab form's values and checks, with no DOM: the raw strings of the fields become a run's
// configuration, or messages that name the bad value and what is allowed. The lists, limits and
// first values come from Python (mlpsite.lab.choices(): mlp.tools.choices.choices() and
// mlp.RunConfig's fields); only the wording is here.

import { grouped } from "../ui/format.js";

/**
 * What the form offers and checks, as mlpsite.lab.choices() returns it.
 * @typedef {object} Choices
 * @property {string[]} activations
 * @property {{name: string, beta: string|null}[]} optimizers  `beta`: the optimiser's option that
 *   the form's β field sets ("beta", "rho", "beta1"), or null when it has none
 * @property {string[]} dtypes
 * @property {number} inputs   784
 * @property {number} classes  10
 * @property {Record<string, [number, number]>} limits  units, layers, parameters, learning_rate
 *   (above the low end), beta (below the high end), batch_size, epochs, seed, weight_decay,
 *   dropout (below the high end), warmup_epochs, step_epochs, gamma (above the low end)
 * @property {string[]} [schedules]  learning-rate schedules: constant, step, cosine
 * @property {string[]} [backends]   matrix products that work here, the default first
 * @property {Record<string, any>} defaults  the form's first values: mlp.RunConfig's fields
 *   (sizes, learning_rate, keep_best, ...) as mlpsite.lab.LAB_CONFIG sets them, and data
 */

/** The form's raw values: one string per field, keyed by the field's name. */
export const FIELDS = [
  "hidden", "activation", "optimizer", "lr", "beta", "batchSize", "epochs", "weightDecay", "dropout", "schedule",
  "stepEpochs", "gamma", "warmup", "dtype", "keep", "backend", "seed", "data",
];

// The Python name of each field: the form sends every field in use under it (mlpsite.lab.start,
// fields of mlp.RunConfig), and its first values are Python's under the same names
// (choices.defaults, mlpsite.lab.LAB_CONFIG). "hidden" is the hidden part of RunConfig.sizes,
// "keep" RunConfig.keep_best; "backend" starts on the first of choices.backends.
const PYTHON = {
  hidden: "hidden", activation: "activation", optimizer: "optimizer", lr: "learning_rate", beta: "beta",
  batchSize: "batch_size", epochs: "epochs", weightDecay: "weight_decay", dropout: "dropout", schedule: "schedule",
  stepEpochs: "step_epochs", gamma: "gamma", warmup: "warmup_epochs", dtype: "dtype", keep: "keep_best",
  backend: "backend", seed: "seed",
};

/**
 * The form's first values, as the form shows them (strings), from Python's defaults.
 * @param {Choices} choices
 * @returns {Record<string, string>}
 */
export function formDefaults(choices) {
  const d = choices.defaults;
  const values = {};
  for (const field of FIELDS) {
    if (field === "hidden") values.hidden = d.sizes.slice(1, -1).join(", ");
    else if (field === "keep") values.keep = d.keep_best ? "best" : "last";
    else if (field === "backend") values.backend = choices.backends?.[0] ?? "";
    else if (field === "data") values.data = d.data;
    else values[field] = String(d[PYTHON[field]]);
  }
  return values;
}

export const KEEP = [
  { value: "last", label: "the last epoch" },
  { value: "best", label: "the best epoch (test accuracy)" },
];

// Each preset is the form's first values with these changes (presetValues).
export const PRESETS = [
  { id: "sigmoid-momentum", label: "Sigmoid · momentum", title: "The tutorial's first run", changes: {} },
  {
    id: "relu-sgd", label: "ReLU · SGD", title: "The tutorial's second run",
    changes: { activation: "relu", optimizer: "sgd", lr: "0.05" },
  },
];

/**
 * The form's values of a preset.
 * @param {{changes: Record<string, string>}} preset
 * @param {Choices} choices
 */
export function presetValues(preset, choices) {
  return { ...formDefaults(choices), ...preset.changes };
}

export const DATASETS = [
  { value: "subset", label: "subset: 10,000 train + 2,000 test" },
  { value: "full", label: "full MNIST: 60,000 + 10,000 (downloads 15 MB)" },
];

// How the form names mlp's choices (a name not listed here is shown as it is).
const LABELS = {
  relu: "ReLU", leaky_relu: "leaky ReLU", sgd: "SGD", nesterov: "Nesterov", rmsprop: "RMSprop", adam: "Adam",
  classic: "classic momentum", step: "step decay", cosine: "cosine, after a warm-up", kernel: "SIMD kernel",
  numpy: "pure NumPy",
};
const BETA_LABELS = { beta: "β, momentum", rho: "β, decay of the squared gradient", beta1: "β₁, decay of the mean" };

/**
 * The label of an activation or optimiser name: "relu" -> "ReLU".
 * @param {string} name
 * @returns {string}
 */
export function label(name) {
  return LABELS[name] ?? name;
}

/**
 * What the β field means for an optimiser, or null when the optimiser has no such option.
 * @param {Choices} choices
 * @param {string} optimizer
 * @returns {string|null}
 */
export function betaLabel(choices, optimizer) {
  const option = choices.optimizers.find((o) => o.name === optimizer)?.beta;
  return option ? (BETA_LABELS[option] ?? option) : null;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;
const show = (text) => (text.length > 24 ? `"${text.slice(0, 24)}…"` : `"${text}"`);
const cap = (s) => (/^[a-z]/.test(s) ? s[0].toUpperCase() + s.slice(1) : s);

// `name` is how messages call the value: "the learning rate", "β".
function parse(raw, name, pattern, kind) {
  const text = raw.trim();
  if (text === "") return { error: `Enter ${name}.` };
  if (!pattern.test(text)) return { error: `${cap(name)} must be ${kind}; got ${show(text)}.` };
  return { value: Number(text) };
}

// A whole number in [low, high], or a message: "The batch size must be between 1 and 10,000; got 0."
// Written as a number ("1e3" too), so that a whole number too large is named as such.
function wholeIn(raw, name, [low, high]) {
  const r = parse(raw, name, NUMBER, "a whole number");
  if (r.error) return r;
  if (Number.isFinite(r.value) && !Number.isInteger(r.value)) {
    return { error: `${cap(name)} must be a whole number; got ${show(raw.trim())}.` };
  }
  if (r.value >= low && r.value <= high) return r;
  return { error: `${cap(name)} must be between ${grouped(low)} and ${grouped(high)}; got ${shown(r.value, raw)}.` };
}

// The value as a message shows it: as typed when it is too large for a number ("1e400").
const shown = (value, raw) => (Number.isFinite(value) ? String(value) : show(raw.trim()));

// A number in [low, high] (or above low / below high), or a message naming the value and the range.
function numberIn(raw, name, [low, high], { above = false, below = false } = {}) {
  const r = parse(raw, name, NUMBER, "a number");
  if (r.error || ((above ? r.value > low : r.value >= low) && (below ? r.value < high : r.value <= high))) return r;
  return { error: `${cap(name)} must be ${above ? "above" : "at least"} ${low} and ${below ? "below" : "at most"} ${high}; got ${shown(r.value, raw)}.` };
}

function oneOf(raw, names, what) {
  if (names.includes(raw)) return { value: raw };
  return { error: `Unknown ${what} ${show(raw)}; choose one of ${names.join(", ")}.` };
}

/**
 * Number of weights and biases of a fully connected network of these layer sizes:
 * sum of (n_in + 1) * n_out. The form's instant estimate; Python's start() checks the limit
 * again with mlp.layers.parameter_count, and the run shows Python's count.
 * @param {number[]} sizes  e.g. [784, 64, 10]
 * @returns {number}
 */
export function parameterCount(sizes) {
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += (sizes[i - 1] + 1) * sizes[i];
  return n;
}

/**
 * The hidden layer sizes typed as "128, 64" (commas or spaces), checked against the limits.
 * @param {string} raw
 * @param {Choices} choices
 * @returns {{value?: number[], error?: string}}
 */
export function parseHidden(raw, choices) {
  const { units, layers, parameters } = choices.limits;
  const parts = raw.trim().split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return { error: "Enter at least one hidden layer size, e.g. 64 or 128, 64." };
  if (/(^|,)\s*(,|$)/.test(raw.trim())) {
    return { error: `A size is missing between two commas, or at an end, in ${show(raw.trim())}; write sizes like 128, 64.` };
  }
  const sizes = [];
  for (const part of parts) {
    if (!INTEGER.test(part)) return { error: `Layer sizes are whole numbers separated by commas; ${show(part)} is not one.` };
    const n = Number(part);
    if (n < units[0]) return { error: `A layer needs at least ${units[0]} unit; got ${part}.` };
    if (n > units[1]) return { error: `${grouped(n)} units is too many for a browser tab; use at most ${grouped(units[1])} per layer.` };
    sizes.push(n);
  }
  if (sizes.length > layers[1]) return { error: `${sizes.length} hidden layers is too many; use at most ${layers[1]}.` };
  const total = parameterCount([choices.inputs, ...sizes, choices.classes]);
  if (total > parameters[1]) {
    return { error: `This network has ${grouped(total)} parameters; the lab allows at most ${grouped(parameters[1])} so the tab keeps enough memory.` };
  }
  return { value: sizes };
}

/** One check per field: (raw string, all raw values, choices) -> {value} or {error}. */
const CHECKS = {
  hidden: (raw, all, c) => parseHidden(raw, c),
  activation: (raw, all, c) => oneOf(raw, c.activations, "activation"),
  optimizer: (raw, all, c) => oneOf(raw, c.optimizers.map((o) => o.name), "optimiser"),
  lr: (raw, all, c) => numberIn(raw, "the learning rate", c.limits.learning_rate, { above: true }),
  beta: (raw, all, c) => {
    if (!betaLabel(c, all.optimizer)) return { value: 0 };
    return numberIn(raw, "β", c.limits.beta, { below: true });
  },
  batchSize: (raw, all, c) => wholeIn(raw, "the batch size", c.limits.batch_size),
  epochs: (raw, all, c) => wholeIn(raw, "the number of epochs", c.limits.epochs),
  weightDecay: (raw, all, c) => numberIn(raw, "the weight decay", c.limits.weight_decay),
  dropout: (raw, all, c) => numberIn(raw, "the dropout rate", c.limits.dropout, { below: true }),
  schedule: (raw, all, c) => oneOf(raw, c.schedules, "learning-rate schedule"),
  warmup: (raw, all, c) => {
    const r = numberIn(raw, "the warm-up", c.limits.warmup_epochs);
    if (r.error || !(r.value >= Number(all.epochs))) return r;
    return { error: `The warm-up must be shorter than the training (${all.epochs} epochs); got ${r.value}.` };
  },
  stepEpochs: (raw, all, c) => wholeIn(raw, "the epochs between two steps", c.limits.step_epochs),
  gamma: (raw, all, c) => numberIn(raw, "γ", c.limits.gamma, { above: true }),
  keep: (raw) => oneOf(raw, KEEP.map((k) => k.value), "choice of epoch to keep"),
  dtype: (raw, all, c) => oneOf(raw, c.dtypes, "dtype"),
  backend: (raw, all, c) => (raw === "" ? { value: undefined } : oneOf(raw, c.backends ?? [], "matrix product")),
  seed: (raw, all, c) => wholeIn(raw, "the seed", c.limits.seed),
  data: (raw) => oneOf(raw, DATASETS.map((d) => d.value), "data set"),
};

/**
 * Whether a field matters with the other values: β for optimisers that have it, the warm-up
 * for the cosine schedule, the step length and γ for step decay. A field that does not is
 * neither checked nor sent.
 * @param {string} name
 * @param {Record<string, string>} raw
 * @param {Choices} choices
 */
export function fieldUsed(name, raw, choices) {
  if (name === "beta") return Boolean(betaLabel(choices, raw.optimizer));
  if (name === "warmup") return raw.schedule === "cosine";
  if (name === "stepEpochs" || name === "gamma") return raw.schedule === "step";
  return true;
}

/**
 * Checks every field in use (fieldUsed); the configuration holds each of them, so Python
 * assumes no default.
 * @param {Record<string, string>} raw  the form's values
 * @param {Choices} choices
 * @returns {{config: Record<string, any>, errors: Record<string, string>}}  errors: field -> message
 */
export function validate(raw, choices) {
  const config = {};
  const errors = {};
  for (const field of FIELDS) {
    if (!fieldUsed(field, raw, choices)) continue;
    const r = CHECKS[field](String(raw[field] ?? ""), raw, choices);
    if (r.error) errors[field] = r.error;
    else if (r.value !== undefined) config[field] = r.value;
  }
  return { config, errors };
}

/**
 * The keyword arguments of mlpsite.lab.start for a checked configuration: every field it
 * holds under its Python name ("data" is not one: the controller passes the data file).
 * @param {Record<string, any>} config
 */
export function pythonConfig(config) {
  const python = {};
  for (const [field, value] of Object.entries(config)) {
    if (field in PYTHON) python[PYTHON[field]] = field === "keep" ? value === "best" : value;
  }
  return python;
}

/** "4", "0.05": a learning rate without float noise. */
export function formatLr(lr) {
  return String(Number(lr.toPrecision(6)));
}

/**
 * A run's short name, as the legend shows it: "sigmoid · momentum lr 4" (the hidden sizes are
 * named when they are not the default 64).
 */
export function runLabel(c) {
  const name = `${c.activation} · ${c.optimizer} lr ${formatLr(c.lr)}`;
  return c.hidden.length === 1 && c.hidden[0] === 64 ? name : `${c.hidden.join("-")} ${name}`;
}

/**
 * A run's details: "784-64-10 · 50,890 parameters · β 0.9 · batch 128 · 5 epochs · ...".
 * @param {Record<string, any>} c  the checked configuration
 * @param {Choices} choices
 * @param {number} parameters  as Python counted them
 */
export function runDetail(c, choices, parameters) {
  return [
    [choices.inputs, ...c.hidden, choices.classes].join("-"),
    `${grouped(parameters)} parameters`,
    betaLabel(choices, c.optimizer) ? `β ${c.beta}` : null,
    `batch ${c.batchSize}`,
    `${c.epochs} epoch${c.epochs === 1 ? "" : "s"}`,
    c.dtype,
    `seed ${c.seed}`,
    c.data === "full" ? "full MNIST" : "subset",
    ...regularization(c),
  ].filter(Boolean).join(" · ");
}

// The settings that change the training, in words: "weight decay 0.001", "dropout 0.2", ...
function regularization(c) {
  const schedule = c.schedule === "cosine" ? `cosine schedule, ${c.warmup}-epoch warm-up`
    : c.schedule === "step" ? `lr × ${c.gamma} every ${c.stepEpochs} epochs` : null;
  return [
    c.weightDecay ? `weight decay ${c.weightDecay}` : null,
    c.dropout ? `dropout ${c.dropout}` : null,
    schedule,
    c.keep === "best" ? "keeps the best epoch" : null,
  ];
}

/**
 * The form's summary line: "784 → 64 → 10 · 50,890 parameters", or "" while the sizes are bad.
 * @param {string} hiddenRaw
 * @param {Choices} choices
 */
export function summary(hiddenRaw, choices) {
  const h = parseHidden(hiddenRaw, choices);
  if (h.error) return "";
  const sizes = [choices.inputs, ...h.value, choices.classes];
  return `${sizes.join(" → ")} · ${grouped(parameterCount(sizes))} parameters`;
}

/**
 * The preset whose values the form holds, by id, or null (always null before Python's choices).
 * @param {Record<string, string>} raw
 * @param {Choices|null} choices
 */
export function matchingPreset(raw, choices) {
  if (!choices) return null;
  const same = (values) => Object.entries(values).every(([k, v]) => k === "backend" || String(raw[k] ?? "").trim() === v);
  return PRESETS.find((p) => same(presetValues(p, choices)))?.id ?? null;
}
