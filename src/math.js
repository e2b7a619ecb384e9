// Typesets the formulas pymdownx.arithmatex (generic mode) leaves in the page, \(...\) and
// \[...\] inside .arithmatex elements, with KaTeX's own auto-render (served by the site:
// assets/vendor/katex/katex.min.js and contrib/auto-render.min.js, loaded before this bundle).
// document$ emits on every page load, instant navigation included.

const DELIMITERS = [
  { left: "\\(", right: "\\)", display: false },
  { left: "\\[", right: "\\]", display: true },
];

/** Typesets every formula under `root`; one KaTeX cannot read keeps its source, marked. */
export function typeset(root) {
  const render = globalThis.renderMathInElement;
  if (typeof render !== "function" || typeof globalThis.katex === "undefined") {
    console.error("math: KaTeX's auto-render is not loaded (assets/vendor/katex/)");
    return;
  }
  for (const node of root.querySelectorAll(".arithmatex")) {
    if (node.dataset.typeset) continue;
    let failed = null;
    render(node, {
      delimiters: DELIMITERS,
      throwOnError: true,  // a parse error goes to errorCallback; the source stays
      output: "htmlAndMathml",
      errorCallback: (message, error) => { failed = error ?? new Error(message); },
    });
    if (!failed) {
      unwrap(node);
      node.dataset.typeset = "1";  // done (tests and a second pass look for it)
    } else {
      // Browser tests fail on console errors: a formula that cannot be read is one.
      node.classList.add("math-error");
      node.title = failed.message;
      console.error(`math: cannot typeset ${JSON.stringify(node.textContent)}: ${failed.message}`);
    }
  }
}

// auto-render puts each formula in a <span> of its own between the text around it; in an
// .arithmatex element there is only the formula, so it takes the element's place: the formula's
// box is then a direct child, as Material's styles for div.arithmatex > * expect.
function unwrap(node) {
  const formula = [...node.children].find((child) => !child.className && child.firstElementChild?.matches(".katex, .katex-display"));
  if (!formula || [...node.childNodes].some((child) => child !== formula && child.textContent.trim())) return;
  node.replaceChildren(...formula.childNodes);
}

/** Typesets now and after every instant navigation. */
export function startMath() {
  if (globalThis.document$?.subscribe) globalThis.document$.subscribe(() => typeset(document.body));
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => typeset(document.body));
  else typeset(document.body);
}
