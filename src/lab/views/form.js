// The "Configure" panel: presets, the fields with their hints and messages, the summary of the
// network, Train and Stop. The checks are form-model.js's; the lists come from Python.

import { el } from "../../ui/dom.js";
import { pythonStatusText } from "../../ui/format.js";
import {
  DATASETS, FIELDS, KEEP, PRESETS, betaLabel, fieldUsed, formDefaults, label, matchingPreset, presetValues, summary,
  validate,
} from "../form-model.js";
import { decodeLink, encodeLink, isLabLink } from "../share.js";
import { panel } from "./panel.js";

const text = (attrs = {}) => el("input", { type: "text", autocomplete: "off", spellcheck: "false", ...attrs });
const options = (list) => list.map((o) => el("option", { value: o.value, text: o.label ?? o.value }));
// Until Python answers, a list is empty.
const names = (list) => (list ?? []).map((name) => ({ value: name, label: label(name) }));
// The values of a form's fields that are filled in.
const filled = (values) => Object.fromEntries(Object.entries(values ?? {}).filter(([, v]) => String(v).trim() !== ""));

const FIELD_SPECS = {
  hidden: ["Hidden layers", () => text({ inputmode: "text", placeholder: "64 or 128, 64" }), "Units per hidden layer, separated by commas"],
  activation: ["Activation", () => el("select")],
  optimizer: ["Optimiser", () => el("select")],
  lr: ["Learning rate", () => text({ inputmode: "decimal" })],
  beta: ["β", () => text({ inputmode: "decimal" })],
  batchSize: ["Batch size", () => text({ inputmode: "numeric" })],
  epochs: ["Epochs", () => text({ inputmode: "numeric" })],
  weightDecay: ["Weight decay", () => text({ inputmode: "decimal" }), "Pulls the weights towards 0; 0 for none"],
  dropout: ["Dropout", () => text({ inputmode: "decimal" }), "Share of hidden units dropped per batch"],
  schedule: ["Learning-rate schedule", () => el("select"), "How the learning rate changes over the epochs"],
  warmup: ["Warm-up epochs", () => text({ inputmode: "decimal" })],
  stepEpochs: ["Step every (epochs)", () => text({ inputmode: "numeric" })],
  gamma: ["γ, factor per step", () => text({ inputmode: "decimal" })],
  keep: ["Keep", () => el("select", {}, options(KEEP)), "The best epoch's weights come back when training ends"],
  dtype: ["dtype", () => el("select")],
  backend: ["Matrix product", () => el("select"), "Compare the runs' samples/s"],
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

function pythonStatus(runtime) {
  const node = el("span", { class: "lab-python", "aria-live": "polite" });
  const off = runtime.onStatus((s, detail) => {
    node.textContent = pythonStatusText(s, detail, { short: true });
    node.dataset.status = s;
    if (s === "failed" && !node.querySelector("button")) {
      node.append(" ", el("button", { type: "button", class: "lab-icon-button", text: "Retry", onclick: () => runtime.retry() }));
    }
  });
  return { node, off };
}

/** The "Configure" panel; `render("all")` follows the controller (choices, training or not). */
export class FormView {
  /**
   * @param {import("../controller.js").LabController} lab
   * @param {any} runtime  the site's runtime, for the status of Python
   */
  constructor(lab, runtime) {
    this.lab = lab;
    this.fields = Object.fromEntries(FIELDS.map((name) => [name, field(name)]));
    this.presets = el("div", { class: "lab-presets", role: "group", "aria-label": "Presets" },
      el("span", { class: "lab-presets__label", text: "Presets", "aria-hidden": "true" }),
      PRESETS.map((p) => el("button", {
        type: "button", class: "lab-chip", "data-preset": p.id, title: p.title, text: p.label,
        onclick: () => {
          if (!this.lab.choices) return;
          this.fill(presetValues(p, this.lab.choices));
          this.refresh();
        },
      })));
    this.summary = el("p", { class: "lab-form__summary", "aria-live": "polite" });
    this.train = el("button", { type: "submit", class: "md-button md-button--primary lab-train", text: "Train" });
    this.stop = el("button", { type: "button", class: "md-button lab-stop", text: "Stop", disabled: true, onclick: () => lab.requestStop() });
    this.share = el("button", {
      type: "button", class: "md-button lab-share", text: "Copy link", title: "A link that holds every setting and the seed",
      onclick: () => this.copyLink(),
    });
    this.linkNote = el("p", { class: "lab-link-note", "aria-live": "polite" });
    const form = el("form", { class: "lab-form", novalidate: true, "aria-label": "Training configuration" },
      this.presets, this.linkNote, el("div", { class: "lab-fields" }, FIELDS.map((n) => this.fields[n].wrap)), this.summary,
      el("div", { class: "lab-form__actions" }, this.train, this.stop, this.share));
    form.addEventListener("submit", (event) => this.submit(event));
    this.edited = new Set();  // the fields the reader changed
    const changed = (event) => {
      if (event.target.name) this.edited.add(event.target.name);
      this.refresh();
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    this.python = pythonStatus(runtime);
    this.node = panel("config", "Configure", form);
    this.node.querySelector(".lab-panel__title").after(this.python.node);
    this.locked = false;
    this.waiting = false;  // Train was pressed before Python's choices came
    this.lists = undefined;  // the choices the selects show
    this.link = location.hash;  // a share link to open once Python's choices came
    this.onHash = () => { this.link = location.hash; this.render("all"); };
    window.addEventListener("hashchange", this.onHash);
    this.render("all");
  }

  read() {
    return Object.fromEntries(FIELDS.map((k) => [k, this.fields[k].control.value]));
  }

  fill(values) {
    for (const [k, v] of Object.entries(values)) if (this.fields[k]) this.fields[k].control.value = v;
    // A value the select does not offer (a backend that does not work here): its first option.
    for (const f of Object.values(this.fields)) if (f.control.selectedIndex === -1) f.control.selectedIndex = 0;
    for (const f of Object.values(this.fields)) setError(f, null);
  }

  // The selects' options, and the first values: Python's (choices.defaults), under the values
  // kept from an earlier visit and those typed before Python's choices came.
  fillLists() {
    const c = this.lab.choices;
    if (this.lists === c) return;
    // Before Python's choices, only the fields the reader changed hold values of the reader's.
    const raw = this.lists ? this.read() : Object.fromEntries(Object.entries(this.read()).filter(([k]) => this.edited.has(k)));
    this.lists = c;
    const f = this.fields;
    f.activation.control.replaceChildren(...options(names(c?.activations)));
    f.optimizer.control.replaceChildren(...options(names(c?.optimizers.map((o) => o.name))));
    f.dtype.control.replaceChildren(...options(names(c?.dtypes)));
    f.schedule.control.replaceChildren(...options(names(c?.schedules)));
    f.backend.control.replaceChildren(...options(names(c?.backends)));
    this.fill({ ...(c ? formDefaults(c) : {}), ...filled(this.lab.formValues), ...filled(raw) });
  }

  // Updates the β label, the summary, the presets and, for fields already marked, their messages.
  refresh() {
    const raw = this.read();
    const choices = this.lab.choices;
    if (choices) this.lab.keepForm(raw);
    const preset = matchingPreset(raw, choices);
    for (const b of this.presets.querySelectorAll("[data-preset]")) b.setAttribute("aria-pressed", String(b.dataset.preset === preset));
    if (!choices) return;
    const beta = betaLabel(choices, raw.optimizer);
    this.fields.beta.label.textContent = beta || "β (not used by SGD)";
    for (const name of ["beta", "warmup", "stepEpochs", "gamma"]) {
      const used = fieldUsed(name, raw, choices);
      this.fields[name].control.disabled = !used || this.locked;
      this.fields[name].wrap.classList.toggle("lab-field--off", !used);
    }
    // Messages appear when Train is pressed; while the reader edits, those shown are updated and
    // cleared but none is added: a message appearing on blur would move Train from under the pointer.
    const { errors } = validate(raw, choices);
    for (const [k, f] of Object.entries(this.fields)) if (f.wrap.classList.contains("lab-field--invalid")) setError(f, errors[k]);
    this.summary.textContent = summary(raw.hidden, choices);
  }

  // Checks all fields, shows every message, focuses the first bad field; trains when all are good.
  // Before Python has sent its choices (it is starting), Train waits for them.
  async submit(event) {
    event.preventDefault();
    if (this.locked || this.waiting) return;
    if (!this.lab.choices) {
      this.waiting = true;
      this.lab.setStatus("Starting Python…");
      const ready = await this.lab.loadChoices().then(() => true, () => false);
      this.waiting = false;
      this.lab.setStatus(null);
      if (!ready) return;  // the status of Python says why
    }
    const config = this.check();
    if (config) this.lab.train(config);
  }

  // Shows every field's message and focuses the first bad field; the configuration if all are good.
  check() {
    const { config, errors } = validate(this.read(), this.lab.choices);
    for (const [k, f] of Object.entries(this.fields)) setError(f, errors[k]);
    const bad = FIELDS.find((k) => errors[k]);
    if (bad) this.fields[bad].control.focus();
    return bad ? null : config;
  }

  note(text, kind = "info") {
    this.linkNote.textContent = text || "";
    this.linkNote.className = `lab-link-note${text ? ` lab-link-note--${kind}` : ""}`;
    delete this.linkNote.dataset.link;
  }

  // Puts a link to these settings in the address bar and, when the browser lets the page, on the clipboard.
  async copyLink() {
    if (!this.lab.choices || !this.check()) return;
    const url = `${location.href.split("#")[0]}#${encodeLink(this.read())}`;
    history.replaceState(history.state, "", url);
    const copied = await navigator.clipboard?.writeText(url).then(() => true, () => false);
    this.note(`${copied ? "Link copied" : "The address bar holds the link"}: it holds every setting and the seed, `
      + "so Train there draws the same curves.");
    this.linkNote.dataset.link = url;
  }

  /** Fills the form from a share link in `hash` (location.hash), or says why it cannot. */
  openLink(hash) {
    if (!isLabLink(hash) || !this.lab.choices || this.locked) return;
    const r = decodeLink(hash, this.lab.choices);
    if (r.error) {
      this.note(r.error, "error");
      return;
    }
    this.fill(r.values);
    this.refresh();
    this.note("The form holds the settings of the link you opened: press Train to draw the same curves.");
  }

  lock(on) {
    if (on === this.locked) return;
    this.locked = on;
    // A focused button that becomes disabled drops the focus to the page: hand it over.
    const handOver = document.activeElement === (on ? this.train : this.stop);
    for (const f of Object.values(this.fields)) f.control.disabled = on;
    for (const b of this.presets.querySelectorAll("button")) b.disabled = on;
    this.train.disabled = on;
    this.stop.disabled = !on;
    if (handOver) (on ? this.stop : this.train).focus();
  }

  render(what) {
    if (what !== "all") return;
    this.fillLists();
    this.lock(Boolean(this.lab.training));
    this.refresh();
    if (this.link && this.lab.choices && !this.locked) {
      this.openLink(this.link);
      this.link = null;
    }
  }

  destroy() {
    window.removeEventListener("hashchange", this.onHash);
    this.python.off();
  }
}
