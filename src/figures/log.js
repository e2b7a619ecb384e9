// Figure kind "log": lines of text, e.g. a training log, one line per row; a line longer than
// the box scrolls sideways instead of wrapping mid-phrase ("... validation / acc 0.9025").
//   {kind: "log", lines: string[], title?}

import { el } from "../ui/dom.js";
import { frame } from "./common.js";

/**
 * @param {{lines: string[], title?: string, className?: string}} figure
 * @returns {import("./common.js").Drawn}
 */
export function drawLog(figure) {
  const pre = el("pre", { class: "pycell-log", tabindex: "0", "aria-label": figure.title || "Log" });
  const node = frame("log", figure, pre);
  const show = (next) => {
    // Lines only grow in a live log: append the new ones, so a screen reader hears only those.
    if (next.lines.length < pre.childNodes.length) pre.replaceChildren();
    for (const line of next.lines.slice(pre.childNodes.length)) pre.append(el("span", { class: "pycell-log__line", text: line }));
  };
  show(figure);
  return { node, update: show };
}
