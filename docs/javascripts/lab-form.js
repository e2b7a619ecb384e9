// The lab's configuration form: the fields, their limits, and the checks that refuse bad values
// with a message next to the field. No Python here; the checked config goes to lab.py as JSON.

import { el } from "./dom.js";

export const INPUTS = 784;
export const CLASSES = 10;
export const MAX_UNITS = 4096;        // per hidden layer
export const MAX_LAYERS = 8;          // hidden layers
export const MAX_PARAMETERS = 20e6;   // about 80 MB per float32 copy; training keeps several copies

export const ACTIVATIONS = [
  { value: "sigmoid", label: "sigmoid" },
  { value: "relu", label: "ReLU" },
  { value: "tanh", label: "tanh" },
  { value: "leaky_relu", label: "leaky ReLU" },
];

// `beta` names what the single β field means for each optimiser (null: the optimiser has none).
export const OPTIMIZERS = [
  { value: "sgd", label: "SGD", beta: null },
  { value: "momentum", label: "momentum", beta: "β, momentum" },
  { value: "classic", label: "classic momentum", beta: "β, momentum" },
  { value: "nesterov", label: "Nesterov", beta: "β, momentum" },
  { value: "rmsprop", label: "RMSprop", beta: "β, decay of the squared gradient" },
  { value: "adam", label: "Adam", beta: "β₁, decay of the mean" },
];

export const DATASETS = [
  { value: "subset", label: "subset: 10,000 train + 2,000 test" },
  { value: "full", label: "full MNIST: 60,000 + 10,000 (downloads 15 MB)" },
];

// The tutorial's sigmoid-with-momentum settings; 5 epochs suit the 10,000-image subset.
export const DEFAULTS = Object.freeze({
  hidden: "64", activation: "sigmoid", optimizer: "momentum", lr: "4", beta: "0.9",
  batchSize: "128", epochs: "5", dtype: "float32", seed: "0", data: "subset",
});

export const PRESETS = [
  { id: "sigmoid-momentum", label: "Sigmoid · momentum", title: "The tutorial's first run", values: DEFAULTS },
  {
    id: "relu-sgd", label: "ReLU · SGD", title: "The tutorial's second run",
    values: { ...DEFAULTS, activation: "relu", optimizer: "sgd", lr: "0.05" },
  },
];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

function show(text) {
  return text.length > 24 ? `"${text.slice(0, 24)}…"` : `"${text}"`;
}

// `name` is how messages call the value: "the learning rate", "β".
function parseNumber(raw, name) {
  const text = raw.trim();
  if (text === "") return { error: `Enter ${name}.` };
  if (!NUMBER.test(text)) return { error: `${cap(name)} must be a number; got ${show(text)}.` };
  return { value: Number(text) };
}

function parseInteger(raw, name) {
  const text = raw.trim();
  if (text === "") return { error: `Enter ${name}.` };
  if (!INTEGER.test(text)) return { error: `${cap(name)} must be a whole number; got ${show(text)}.` };
  return { value: Number(text) };
}

function cap(s) {
  return /^[a-z]/.test(s) ? s[0].toUpperCase() + s.slice(1) : s;
}

export function parameterCount(hidden) {
  const sizes = [INPUTS, ...hidden, CLASSES];
  let n = 0;
  for (let i = 1; i < sizes.length; i++) n += sizes[i - 1] * sizes[i] + sizes[i];
  return n;
}

export function parseHidden(raw) {
  const text = raw.trim();
  if (text === "") return { error: "Enter at least one hidden layer size, e.g. 64 or 128, 64." };
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const sizes = [];
  for (const part of parts) {
    if (!INTEGER.test(part)) {
      return { error: `Layer sizes are whole numbers separated by commas; ${show(part)} is not one.` };
    }
    const n = Number(part);
    if (n < 1) return { error: `A layer needs at least 1 unit; got ${part}.` };
    if (n > MAX_UNITS) {
      return { error: `${n.toLocaleString("en")} units is too many for a browser tab; use at most ${MAX_UNITS.toLocaleString("en")} per layer.` };
    }
    sizes.push(n);
  }
  if (sizes.length > MAX_LAYERS) {
    return { error: `${sizes.length} hidden layers is too many; use at most ${MAX_LAYERS}.` };
  }
  const total = parameterCount(sizes);
  if (total > MAX_PARAMETERS) {
    return {
      error: `This network has ${total.toLocaleString("en")} parameters; the lab allows at most `
        + `${MAX_PARAMETERS.toLocaleString("en")} so the tab keeps enough memory.`,
    };
  }
  return { value: sizes };
}

// Each check takes the raw string and the other raw values; returns {value} or {error}.
export const CHECKS = {
  hidden: (raw) => parseHidden(raw),
  activation: (raw) => oneOf(raw, ACTIVATIONS, "activation"),
  optimizer: (raw) => oneOf(raw, OPTIMIZERS, "optimiser"),
  lr: (raw) => {
    const r = parseNumber(raw, "the learning rate");
    if (r.error) return r;
    if (!(r.value > 0 && r.value <= 100)) {
      return { error: `The learning rate must be above 0 and at most 100; got ${r.value}.` };
    }
    return r;
  },
  beta: (raw, all) => {
    if (!betaLabel(all.optimizer)) return { value: 0 };
    const r = parseNumber(raw, "β");
    if (r.error) return r;
    if (!(r.value >= 0 && r.value < 1)) return { error: `β must be at least 0 and below 1; got ${r.value}.` };
    return r;
  },
  batchSize: (raw) => {
    const r = parseInteger(raw, "the batch size");
    if (r.error) return r;
    if (r.value < 1 || r.value > 10000) {
      return { error: `The batch size must be between 1 and 10,000; got ${r.value}.` };
    }
    return r;
  },
  epochs: (raw) => {
    const r = parseInteger(raw, "the number of epochs");
    if (r.error) return r;
    if (r.value < 1 || r.value > 100) return { error: `The number of epochs must be between 1 and 100; got ${r.value}.` };
    return r;
  },
  dtype: (raw) => oneOf(raw, [{ value: "float32" }, { value: "float64" }], "dtype"),
  seed: (raw) => {
    const r = parseInteger(raw, "the seed");
    if (r.error) return r;
    if (r.value < 0 || r.value > 4294967295) {
      return { error: `The seed must be between 0 and 4,294,967,295; got ${r.value}.` };
    }
    return r;
  },
  data: (raw) => oneOf(raw, DATASETS, "data set"),
};

function oneOf(raw, options, name) {
  if (options.some((o) => o.value === raw)) return { value: raw };
  return { error: `Unknown ${name} ${show(raw)}; choose one of ${options.map((o) => o.value).join(", ")}.` };
}

export function betaLabel(optimizer) {
  const o = OPTIMIZERS.find((x) => x.value === optimizer);
  return o ? o.beta : null;
}

// Checks every field; returns {config, errors} where errors maps field -> message.
export function validate(raw) {
  const config = {};
  const errors = {};
  for (const [field, check] of Object.entries(CHECKS)) {
    const r = check(String(raw[field] ?? ""), raw);
    if (r.error) errors[field] = r.error;
    else config[field] = r.value;
  }
  return { config, errors };
}

export function formatLr(lr) {
  return String(Number(lr.toPrecision(6)));
}

// A short name for a run, as the legend shows it: "sigmoid · momentum lr 4".
export function runLabel(c) {
  let label = `${c.activation} · ${c.optimizer} lr ${formatLr(c.lr)}`;
  if (c.hidden.length !== 1 || c.hidden[0] !== 64) label = `${c.hidden.join("-")} ${label}`;
  return label;
}

export function runDetail(c) {
  const parts = [
    [INPUTS, ...c.hidden, CLASSES].join("-"),
    `${parameterCount(c.hidden).toLocaleString("en")} parameters`,
    betaLabel(c.optimizer) ? `β ${c.beta}` : null,
    `batch ${c.batchSize}`,
    `${c.epochs} epoch${c.epochs === 1 ? "" : "s"}`,
    c.dtype,
    `seed ${c.seed}`,
    c.data === "full" ? "full MNIST" : "subset",
  ];
  return parts.filter(Boolean).join(" · ");
}

// ---------------------------------------------------------------------------------------------
// DOM

let uid = 0;


// Builds the form inside `root`; returns an object to read, fill and lock it.
export function createForm(root, { onSubmit, onChange } = {}) {
  const id = `lab-${++uid}`;
  const fields = {};
  const form = el("form", { class: "lab-form", novalidate: true, "aria-label": "Training configuration" });

  const presets = el("div", { class: "lab-presets", role: "group", "aria-label": "Presets" });
  presets.append(el("span", { class: "lab-presets__label", text: "Presets", "aria-hidden": "true" }));
  for (const p of PRESETS) {
    const b = el("button", {
      type: "button", class: "lab-chip", "data-preset": p.id, title: p.title, text: p.label,
    });
    b.addEventListener("click", () => {
      fill(p.values);
      markPreset();
      refresh();
    });
    presets.append(b);
  }
  form.append(presets);

  const grid = el("div", { class: "lab-fields" });
  form.append(grid);

  function field(name, label, control, hint) {
    const cid = `${id}-${name}`;
    control.id = cid;
    control.name = name;
    const err = el("p", { class: "lab-field__error", id: `${cid}-error`, "aria-live": "polite" });
    const hintEl = hint ? el("p", { class: "lab-field__hint", id: `${cid}-hint`, text: hint }) : null;
    control.setAttribute("aria-describedby", [hintEl && hintEl.id, err.id].filter(Boolean).join(" "));
    const lab = el("label", { for: cid, class: "lab-field__label", text: label });
    const wrap = el("div", { class: `lab-field lab-field--${name}` }, [lab, control, hintEl, err]);
    grid.append(wrap);
    fields[name] = { control, err, wrap, label: lab };
    return control;
  }

  const text = (attrs = {}) => el("input", { type: "text", autocomplete: "off", spellcheck: "false", ...attrs });
  const select = (options) => el("select", {}, options.map((o) => el("option", { value: o.value, text: o.label ?? o.value })));

  field("hidden", "Hidden layers", text({ inputmode: "text", placeholder: "64 or 128, 64" }),
    "Units per hidden layer, separated by commas");
  field("activation", "Activation", select(ACTIVATIONS));
  field("optimizer", "Optimiser", select(OPTIMIZERS));
  field("lr", "Learning rate", text({ inputmode: "decimal" }));
  field("beta", "β", text({ inputmode: "decimal" }));
  field("batchSize", "Batch size", text({ inputmode: "numeric" }));
  field("epochs", "Epochs", text({ inputmode: "numeric" }));
  field("dtype", "dtype", select([{ value: "float32" }, { value: "float64" }]));
  field("seed", "Seed", text({ inputmode: "numeric" }));
  field("data", "Data", select(DATASETS));

  const summary = el("p", { class: "lab-form__summary", "aria-live": "polite" });
  form.append(summary);

  const actions = el("div", { class: "lab-form__actions" });
  const train = el("button", { type: "submit", class: "md-button md-button--primary lab-train", text: "Train" });
  const stop = el("button", { type: "button", class: "md-button lab-stop", text: "Stop", disabled: true });
  actions.append(train, stop);
  form.append(actions);
  root.append(form);

  function read() {
    const raw = {};
    for (const [k, f] of Object.entries(fields)) raw[k] = f.control.value;
    return raw;
  }

  function fill(values) {
    for (const [k, v] of Object.entries(values)) if (fields[k]) fields[k].control.value = v;
    for (const f of Object.values(fields)) setError(f, null);
  }

  function setError(f, message) {
    f.err.textContent = message || "";
    f.wrap.classList.toggle("lab-field--invalid", Boolean(message));
    if (message) f.control.setAttribute("aria-invalid", "true");
    else f.control.removeAttribute("aria-invalid");
  }

  function markPreset() {
    const raw = read();
    for (const b of presets.querySelectorAll("[data-preset]")) {
      const p = PRESETS.find((x) => x.id === b.dataset.preset);
      const on = Object.entries(p.values).every(([k, v]) => raw[k].trim() === v);
      b.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  // Updates the β label, the parameter count and, for fields already marked, their messages.
  function refresh() {
    const raw = read();
    const beta = betaLabel(raw.optimizer);
    fields.beta.control.disabled = !beta || locked;
    fields.beta.label.textContent = beta || "β (not used by SGD)";
    fields.beta.wrap.classList.toggle("lab-field--off", !beta);
    const { errors } = validate(raw);
    // Messages appear when Train is pressed; while the reader edits, those shown are updated and
    // cleared but none is added: a message appearing on blur would move the Train button away
    // from under the pointer.
    for (const [k, f] of Object.entries(fields)) {
      if (f.wrap.classList.contains("lab-field--invalid")) setError(f, errors[k]);
    }
    const h = parseHidden(raw.hidden);
    summary.textContent = h.error
      ? ""
      : `${[INPUTS, ...h.value, CLASSES].join(" → ")} · ${parameterCount(h.value).toLocaleString("en")} parameters`;
    markPreset();
    onChange?.(raw);
  }

  for (const f of Object.values(fields)) {
    f.control.addEventListener("input", refresh);
    f.control.addEventListener("change", refresh);
  }

  let locked = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (locked) return;
    const result = submit();
    if (result) onSubmit?.(result);
  });

  // Checks all fields, shows every message, focuses the first bad field; returns the config or null.
  function submit() {
    const { config, errors } = validate(read());
    let first = null;
    for (const [k, f] of Object.entries(fields)) {
      setError(f, errors[k]);
      if (errors[k] && !first) first = f.control;
    }
    if (first) {
      first.focus();
      return null;
    }
    return config;
  }

  function lock(on) {
    locked = on;
    // A focused button that becomes disabled drops the focus to the page: hand it over.
    const handOver = document.activeElement === (on ? train : stop);
    for (const f of Object.values(fields)) f.control.disabled = on;
    for (const b of presets.querySelectorAll("button")) b.disabled = on;
    train.disabled = on;
    stop.disabled = !on;
    if (handOver) (on ? stop : train).focus();
    if (!on) refresh();
  }

  fill(DEFAULTS);
  refresh();
  return { form, fields, read, fill, lock, refresh, train, stop };
}
