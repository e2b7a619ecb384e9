// Accessible names and keyboard access for parts of the page that the theme builds: run on
// every page (after each of Material's instant page changes too).

// Elements that scroll but hold nothing focusable: the keyboard reaches them by Tab, so they
// can be scrolled with the arrow keys (WCAG 2.1.1). The theme's table wrapper and our own
// scrolling boxes (wide heatmaps, long printed output).
const SCROLLERS = ".md-typeset__scrollwrap, .md-typeset pre > code, .md-typeset div.arithmatex, .pycell-heatmap__scroll, .pycell__text, .pycell__value, .pycell__error";

/** Makes a scrolling element reachable with Tab, named after its content. @param {HTMLElement} node */
export function focusableScroller(node) {
  if (node.hasAttribute("tabindex")) return;
  node.tabIndex = 0;
  if (!node.hasAttribute("role")) node.setAttribute("role", "region");
  if (!node.hasAttribute("aria-label")) {
    const kind = node.matches("code") ? "Code" : node.matches(".md-typeset__scrollwrap, .pycell-heatmap__scroll") ? "Table"
      : node.matches(".arithmatex") ? "Formula" : "Output";
    node.setAttribute("aria-label", `${kind}, scrolls sideways`);
  }
}

function scrollers(root) {
  for (const node of root.querySelectorAll(SCROLLERS)) {
    if (node.scrollWidth > node.clientWidth + 1 || node.scrollHeight > node.clientHeight + 1) focusableScroller(node);
  }
}

function page() {
  // Material's progress bar of instant navigation has the role but no name.
  const progress = document.querySelector(".md-progress[role=progressbar]");
  if (progress && !progress.hasAttribute("aria-label")) progress.setAttribute("aria-label", "Loading the page");
  scrollers(document);
}

/** Names the theme's progress bar and lets the keyboard reach scrolling boxes, on every page. */
export function startA11y() {
  if (globalThis.document$?.subscribe) globalThis.document$.subscribe(page);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", page);
  else page();
  // Scroll boxes come and go (cell output, figures) and change size (a phone turned sideways).
  let queued = false;
  const again = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; scrollers(document); });
  };
  new ResizeObserver(again).observe(document.documentElement);
  new MutationObserver(again).observe(document.body, { childList: true, subtree: true });
}
