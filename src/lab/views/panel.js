// Pieces every panel of the lab uses: the panel itself, a list of stats, a run's colour swatch,
// and accessible tabs.

import { el } from "../../ui/dom.js";

/**
 * A titled section of the lab: `lab-panel lab-panel--<name>`.
 * @param {string} name
 * @param {string} title
 * @param {...any} children
 */
export function panel(name, title, ...children) {
  const id = `lab-h-${name}`;
  return el("section", { class: `lab-panel lab-panel--${name}`, "aria-labelledby": id },
    el("h2", { class: "lab-panel__title", id, text: title }), ...children);
}

/**
 * Fills a <dl> with [name, value, class?] pairs.
 * @param {HTMLElement} dl
 * @param {[string, string, string?][]} pairs
 */
export function showStats(dl, pairs) {
  dl.replaceChildren(...pairs.map(([name, value, cls]) => el("div", { class: `lab-stat ${cls || ""}` },
    el("dt", { text: name }), el("dd", { text: value }))));
}

/** The CSS that gives an element a run's colour (`--lab-run-color`, one of the site's series colours). */
export function runColor(run) {
  return `--lab-run-color: var(--site-series-${run.color + 1})`;
}

/** A run's colour swatch. */
export function swatch(run) {
  return el("span", { class: "lab-run__swatch", style: run ? runColor(run) : undefined, "aria-hidden": "true" });
}

/** "● Model: relu · sgd lr 0.05" (with ", in training" while it trains). */
export function modelName(run, training = false) {
  return [swatch(run), ` Model: ${run.label}${training ? ", in training" : ""}`];
}

/**
 * Tabs with their panels (WAI-ARIA tabs: arrows, Home and End move between them).
 * @param {[string, string][]} names  [key, label]
 * @returns {{list: HTMLElement, panels: HTMLElement[], select: (i: number) => void}}
 */
export function tabs(names) {
  const buttons = names.map(([key, label], i) => el("button", {
    type: "button", class: "lab-tabs__tab", role: "tab", id: `lab-tab-${key}`, "aria-controls": `lab-tabpanel-${key}`,
    "aria-selected": String(i === 0), tabindex: i === 0 ? "0" : "-1", text: label,
  }));
  const panels = names.map(([key], i) => el("div", {
    class: "lab-tabs__panel", role: "tabpanel", id: `lab-tabpanel-${key}`, "aria-labelledby": buttons[i].id,
    tabindex: "0", hidden: i !== 0,
  }));
  const select = (i) => buttons.forEach((b, j) => {
    b.setAttribute("aria-selected", String(i === j));
    b.tabIndex = i === j ? 0 : -1;
    panels[j].hidden = i !== j;
  });
  const keys = { ArrowRight: (i) => i + 1, ArrowLeft: (i) => i - 1, Home: () => 0, End: () => buttons.length - 1 };
  buttons.forEach((b, i) => {
    b.addEventListener("click", () => select(i));
    b.addEventListener("keydown", (event) => {
      if (!keys[event.key]) return;
      event.preventDefault();
      const j = (keys[event.key](i) + buttons.length) % buttons.length;
      select(j);
      buttons[j].focus();
    });
  });
  const list = el("div", { class: "lab-tabs", role: "tablist", "aria-label": "Views of the model" }, buttons);
  return { list, panels, select };
}
