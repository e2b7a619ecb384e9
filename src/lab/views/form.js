// The "Configure" panel: presets, the fields with their hints and messages, the summary of the
// network, Train and Stop. The checks are form-model.js's; the lists come from Python.

import { el } from "../../ui/dom.js";
import { pythonStatusText } from "../../ui/format.js";
import {
  DATASETS, DEFAULTS, FIELDS, PRESETS, betaLabel, label, matchingPreset, summary, validate,
} from "../form-model.js";
import { panel } from "./panel.js";

const text = (attrs = {}) => el("input", { type: "text", autocomplete: "off", spellcheck: "false", ...attrs });
const options = (list) => list.map((o) => el("option", { value: o.value, text: o.label ?? o.value }));
// Until Python answers, a list shows only the default choice.
const names = (list, fallback) => (list ?? [fallback]).map((name) => ({ value: name, label: label(name) }));

const FIELD_SPECS = {
  hidden: ["Hidden layers", () => text({ inputmode: "text", placeholder: "64 or 128, 64" }), "Units per hidden layer, separated by commas"],
  activation: ["Activation", () => el("select")],
  optimizer: ["Optimiser", () => el("select")],
  lr: ["Learning rate", () => text({ inputmode: "decimal" })],
  beta: ["β", () => text({ inputmode: "decimal" })],
  batchSize: ["Batch size", () => text({ inputmode: "numeric" })],
  epochs: ["Epochs", () => text({ inputmode: "numeric" })],
  dtype: ["dtype", () => el("select")],
  seed: ["Seed", () => text({ inputmode: "numeric" })],
  data: ["Data", () => el("select", {}, options(DATASETS))],
};

function field(name) {
  const [title, make, hint] = FIELD_SPECS[name];
  const id = `lab-field-${name}`;
  const control = make();
  Object.assign(control, { id, name });
  const err = el("p", { class: "lab-field__error", id: `${id}-error`, "aria-live": "polite" });
  const hintEl = hint ? el("p", { class: "lab-field__hint", id: `${id}-hint`, text: hint }) : null;
  control.setAttribute("aria-describedby", [hintEl?.id, err.id].filter(Boolean).join(" "));
  const labelEl = el("label", { for: id, class: "lab-field__label", text: title });
  const wrap = el("div", { class: `lab-field lab-field--${name}` }, labelEl, control, hintEl, err);
  return { control, err, wrap, label: labelEl };
}

function setError(f, message) {
  f.err.textContent = message || "";
  f.wrap.classList.toggle("lab-field--invalid", Boolean(message));
  if (message) f.control.setAttribute("aria-invalid", "true");
  else f.control.removeAttribute("aria-invalid");
}

/**
 * @param {import("../controller.js").LabController} lab
 * @param {import("../../runtime/runtime.js").runtime} runtime  for the status of Python
 */
export function formView(lab, runtime) {
  const fields = Object.fromEntries(FIELDS.map((name) => [name, field(name)]));
  const presets = el("div", { class: "lab-presets", role: "group", "aria-label": "Presets" },
    el("span", { class: "lab-presets__label", text: "Presets", "aria-hidden": "true" }),
    PRESETS.map((p) => el("button", {
      type: "button", class: "lab-chip", "data-preset": p.id, title: p.title, text: p.label,
      onclick: () => { fill(p.values); refresh(); },
    })));
  const summaryLine = el("p", { class: "lab-form__summary", "aria-live": "polite" });
  const train = el("button", { type: "submit", class: "md-button md-button--primary lab-train", text: "Train" });
  const stop = el("button", { type: "button", class: "md-button lab-stop", text: "Stop", disabled: true, onclick: () => lab.requestStop() });
  const form = el("form", { class: "lab-form", novalidate: true, "aria-label": "Training configuration" },
    presets, el("div", { class: "lab-fields" }, FIELDS.map((n) => fields[n].wrap)), summaryLine,
    el("div", { class: "lab-form__actions" }, train, stop));
  const pyStatus = el("span", { class: "lab-python", "aria-live": "polite" });
  const node = panel("config", "Configure", form);
  node.querySelector(".lab-panel__title").after(pyStatus);
  let locked = false;
  let waiting = false;  // Train was pressed before Python's choices came
  let lists = null;  // the choices the selects show

  const read = () => Object.fromEntries(FIELDS.map((k) => [k, fields[k].control.value]));
  function fill(values) {
    for (const [k, v] of Object.entries(values)) if (fields[k]) fields[k].control.value = v;
    for (const f of Object.values(fields)) setError(f, null);
  }

  // The selects' options, from Python's choices once they came.
  function fillLists() {
    const c = lab.choices;
    if (lists === c && lists) return;
    const raw = read();
    lists = c;
    fields.activation.control.replaceChildren(...options(names(c?.activations, DEFAULTS.activation)));
    fields.optimizer.control.replaceChildren(...options(names(c?.optimizers.map((o) => o.name), DEFAULTS.optimizer)));
    fields.dtype.control.replaceChildren(...options(names(c?.dtypes, DEFAULTS.dtype)));
    fill(raw.hidden ? raw : (lab.formValues ?? DEFAULTS));
  }

  // Updates the β label, the summary, the presets and, for fields already marked, their messages.
  function refresh() {
    const raw = read();
    lab.keepForm(raw);
    for (const b of presets.querySelectorAll("[data-preset]")) b.setAttribute("aria-pressed", String(b.dataset.preset === matchingPreset(raw)));
    if (!lab.choices) return;
    const beta = betaLabel(lab.choices, raw.optimizer);
    fields.beta.control.disabled = !beta || locked;
    fields.beta.label.textContent = beta || "β (not used by SGD)";
    fields.beta.wrap.classList.toggle("lab-field--off", !beta);
    // Messages appear when Train is pressed; while the reader edits, those shown are updated and
    // cleared but none is added: a message appearing on blur would move Train from under the pointer.
    const { errors } = validate(raw, lab.choices);
    for (const [k, f] of Object.entries(fields)) if (f.wrap.classList.contains("lab-field--invalid")) setError(f, errors[k]);
    summaryLine.textContent = summary(raw.hidden, lab.choices);
  }

  // Checks all fields, shows every message, focuses the first bad field; trains when all are good.
  // Before Python has sent its choices (it is starting), Train waits for them.
  async function submit(event) {
    event.preventDefault();
    if (locked || waiting) return;
    if (!lab.choices) {
      waiting = true;
      lab.setStatus("Starting Python…");
      const ready = await lab.loadChoices().then(() => true, () => false);
      waiting = false;
      lab.setStatus(null);
      if (!ready) return;  // the status of Python says why
    }
    const { config, errors } = validate(read(), lab.choices);
    for (const [k, f] of Object.entries(fields)) setError(f, errors[k]);
    const bad = FIELDS.find((k) => errors[k]);
    if (bad) fields[bad].control.focus();
    else lab.train(config);
  }

  function lock(on) {
    if (on === locked) return;
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

  form.addEventListener("submit", submit);
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  const unsubscribe = runtime.onStatus((s, detail) => {
    pyStatus.textContent = pythonStatusText(s, detail, { short: true });
    pyStatus.dataset.status = s;
    if (s === "failed" && !pyStatus.querySelector("button")) {
      pyStatus.append(" ", el("button", { type: "button", class: "lab-icon-button", text: "Retry", onclick: () => runtime.retry() }));
    }
  });
  fillLists();
  refresh();

  return {
    node,
    render(what) {
      if (what !== "all") return;
      fillLists();
      lock(Boolean(lab.training));
      refresh();
    },
    destroy: unsubscribe,
  };
}
