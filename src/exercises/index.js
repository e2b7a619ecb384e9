// The exercises page's progress panel and the navigation's mark (src/exercises/progress.js
// keeps the state). A page opts in with <div class="exercise-progress" data-exercises="a|b|c">;
// its checks call page.send("exercise", title=..., passed=..., reason=...). A pass printed by a
// cell inside a solution (details.success) is the solution's, not the reader's: not counted.

import { el } from "../ui/dom.js";
import { pagePath } from "../cells/storage.js";
import { emptyState, load, navMark, record, save, summary } from "./progress.js";

let state = emptyState();

function samePage(href, path) {
  try {
    const url = new URL(href, location.href);
    // The page's own table of contents links to its sections (#...): only the page itself counts.
    return !url.hash && url.pathname.replace(/index\.html$/, "") === path;
  } catch {
    return false;
  }
}

function markNav() {
  const mark = state.page ? navMark(state) : "";
  for (const link of document.querySelectorAll(".md-nav__link")) {
    link.querySelector(".exercise-nav-mark")?.remove();
    if (!mark || !link.href || !samePage(link.href, state.page)) continue;
    const { done, total } = summary(state);
    link.append(el("span", { class: "exercise-nav-mark", text: ` ${mark}`,
      "aria-label": `: ${done} of ${total} exercises done` }));
  }
}

function renderPanel() {
  const panel = document.querySelector(".exercise-progress[data-exercises]");
  if (!panel) return;
  const { done, total, complete } = summary(state);
  const items = state.titles.map((title) => {
    const result = state.results[title];
    const status = !result ? "not done yet" : result.passed
      ? (result.latest === "pass" ? "done" : "done; the latest run failed") : "not passed yet: the latest run failed";
    return el("li", { class: `exercise-progress__item exercise-progress__item--${result?.passed ? "done" : "open"}`,
      "data-exercise": title },
      el("span", { class: "exercise-progress__mark", "aria-hidden": "true", text: result?.passed ? "\u2713" : "\u25cb" }),
      ` ${title}: `, el("span", { class: "exercise-progress__status", text: status }));
  });
  const forget = el("button", { type: "button", class: "md-button exercise-progress__reset",
    text: "Forget my progress", onclick: () => update(() => ({ ...emptyState(), page: pagePath(), titles: state.titles })) });
  panel.replaceChildren(
    el("p", { class: "exercise-progress__summary", role: "status" },
      complete ? `All ${total} exercises done.` : `${done} of ${total} exercises done`, " (remembered in this browser)."),
    el("ul", { class: "exercise-progress__list" }, items), forget);
}

function update(change) {
  state = change(state);
  save(state);
  renderPanel();
  markNav();
}

function onMessage(event) {
  const { cell, message } = event.detail || {};
  if (message?.kind !== "exercise" || typeof message.title !== "string") return;
  const node = document.querySelector(`.pycell[data-cell-index="${cell}"]`);
  if (node?.closest("details.success")) return;
  update((s) => record(s, { title: message.title, passed: message.passed === true, reason: message.reason }));
}

function setup() {
  state = load();
  const panel = document.querySelector(".exercise-progress[data-exercises]");
  if (panel) {
    const titles = panel.dataset.exercises.split("|").map((t) => t.trim()).filter(Boolean);
    if (state.page !== pagePath() || titles.join("|") !== state.titles.join("|")) {
      state = { ...state, page: pagePath(), titles };
      save(state);
    }
    renderPanel();
  }
  markNav();
}

/** The progress panel and nav mark, now and after every instant navigation. */
export function startExercises() {
  document.addEventListener("cells:message", onMessage);
  if (window.document$?.subscribe) window.document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
}
