// Typeset the formulas that pymdownx.arithmatex (generic mode) leaves in the page:
// <span class="arithmatex">\(...\)</span> and <div class="arithmatex">\[...\]</div>.
// KaTeX is served by the site (assets/vendor/katex/). document$ emits on every page load,
// including instant navigation, so formulas on pages reached by a link are typeset too.
(function () {
  "use strict";

  const DELIMITERS = [
    ["\\(", "\\)", false],
    ["\\[", "\\]", true],
    ["$$", "$$", true],
    ["$", "$", false],
  ];

  function unwrap(text) {
    const s = text.trim();
    for (const [open, close, display] of DELIMITERS) {
      if (s.startsWith(open) && s.endsWith(close) && s.length >= open.length + close.length) {
        return { tex: s.slice(open.length, s.length - close.length), display };
      }
    }
    return null;
  }

  function typeset(root) {
    if (typeof katex === "undefined") {
      console.error("math.js: KaTeX is not loaded (assets/vendor/katex/katex.min.js)");
      return;
    }
    for (const el of root.querySelectorAll(".arithmatex")) {
      if (el.dataset.typeset) continue;
      const found = unwrap(el.textContent);
      if (!found) continue;
      const display = found.display || el.tagName === "DIV";
      try {
        katex.render(found.tex, el, { displayMode: display, throwOnError: true, output: "htmlAndMathml" });
        el.dataset.typeset = "1";
      } catch (err) {
        // Leave the source visible and say what is wrong; browser tests fail on console errors.
        el.classList.add("math-error");
        el.title = err.message;
        console.error(`math.js: cannot typeset ${JSON.stringify(found.tex)}: ${err.message}`);
      }
    }
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(() => typeset(document.body));
  } else {
    document.addEventListener("DOMContentLoaded", () => typeset(document.body));
  }
})();
