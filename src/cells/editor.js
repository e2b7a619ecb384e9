// The code editor of the Python cells: CodeMirror 6 with Python support,
// coloured with Material's own code highlighting variables so that an editable
// cell looks like the static code blocks around it, in the light and the dark
// palette alike.
//
// Bundled by esbuild (scripts/build_frontend.mjs) into a chunk of its own that
// src/cells/cell.js imports on demand: pages load CodeMirror only once they have cells.

import {
  EditorView, keymap, drawSelection, dropCursor, highlightActiveLine,
  highlightSpecialChars, placeholder,
} from "@codemirror/view";
import { EditorState, Compartment, Prec } from "@codemirror/state";
import {
  history, defaultKeymap, historyKeymap, indentWithTab, indentMore, indentLess,
} from "@codemirror/commands";
import {
  indentOnInput, bracketMatching, indentUnit, syntaxHighlighting, HighlightStyle,
} from "@codemirror/language";
import {
  closeBrackets, closeBracketsKeymap, autocompletion, completionKeymap,
} from "@codemirror/autocomplete";
import { highlightSelectionMatches } from "@codemirror/search";
import { python } from "@codemirror/lang-python";
import { tags as t } from "@lezer/highlight";
import { onThemeChange } from "../ui/theme.js";

// Pygments classes in Material's stylesheet -> the same variables for Lezer tags.
const hl = (name) => `var(--md-code-hl-${name}-color)`;
const materialHighlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword,
          t.operatorKeyword], color: hl("keyword") },
  { tag: [t.bool, t.null, t.self], color: hl("name") },
  { tag: [t.string, t.docString], color: hl("string") },
  { tag: [t.escape, t.regexp], color: hl("special") },
  { tag: t.special(t.string), color: hl("string") },
  { tag: [t.number, t.integer, t.float], color: hl("number") },
  { tag: [t.comment, t.lineComment, t.blockComment], color: hl("comment") },
  { tag: [t.function(t.definition(t.variableName)), t.definition(t.className),
          t.className, t.namespace], color: hl("function") },
  { tag: [t.standard(t.variableName), t.constant(t.variableName)], color: hl("constant") },
  { tag: [t.operator, t.compareOperator, t.arithmeticOperator, t.logicOperator,
          t.bitwiseOperator, t.updateOperator, t.definitionOperator], color: hl("operator") },
  { tag: [t.punctuation, t.paren, t.squareBracket, t.brace, t.separator,
          t.derefOperator], color: hl("punctuation") },
  { tag: [t.meta, t.annotation], color: hl("keyword") },
  { tag: t.propertyName, color: "var(--md-code-fg-color)" },
  { tag: t.invalid, color: hl("special"), textDecoration: "underline wavy" },
]);

// Layout in the units of Material's `pre > code`, colours from its variables.
const materialTheme = EditorView.theme({
  "&": {
    color: "var(--md-code-fg-color)",
    backgroundColor: "var(--md-code-bg-color)",
    fontSize: "0.85em",
    borderRadius: "0.1rem",
  },
  "&.cm-focused": {
    outline: "0.1rem solid var(--md-accent-fg-color)",
    outlineOffset: "0",
  },
  ".cm-scroller": {
    fontFamily: "var(--md-code-font-family)",
    lineHeight: "1.4",
    overflowX: "auto",
    scrollbarWidth: "thin",
    scrollbarColor: "var(--md-default-fg-color--lighter) transparent",
  },
  ".cm-content": {
    padding: "0.7720588235em 0",
    caretColor: "var(--md-accent-fg-color)",
  },
  ".cm-line": { padding: "0 1.1764705882em" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-accent-fg-color)", borderLeftWidth: "2px" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
    { backgroundColor: "var(--md-code-hl-color--light)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground":
    { backgroundColor: "color-mix(in srgb, var(--md-code-hl-color) 28%, transparent)" },
  ".cm-activeLine": { backgroundColor: "transparent" },
  "&.cm-focused .cm-activeLine": { backgroundColor: "var(--md-code-hl-color--light)" },
  ".cm-selectionMatch": { backgroundColor: "color-mix(in srgb, var(--md-code-hl-color) 14%, transparent)" },
  "&.cm-focused .cm-matchingBracket": {
    backgroundColor: "color-mix(in srgb, var(--md-accent-fg-color) 22%, transparent)",
    outline: "none",
  },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "transparent", outline: `1px solid ${hl("special")}` },
  ".cm-placeholder": { color: "var(--md-default-fg-color--lighter)" },
  ".cm-tooltip": {
    border: "1px solid var(--md-default-fg-color--lightest)",
    backgroundColor: "var(--md-default-bg-color)",
    color: "var(--md-default-fg-color)",
    boxShadow: "var(--md-shadow-z2)",
    borderRadius: "0.1rem",
  },
  ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: "var(--md-code-font-family)" },
  ".cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]": {
    backgroundColor: "var(--md-accent-fg-color)",
    color: "var(--md-accent-bg-color)",
  },
  ".cm-completionIcon": { opacity: "0.6" },
});

// The dark flag tells CodeMirror's base theme which defaults to use; Material
// switches palettes at run time, so every editor follows the body attribute.
function isDark() {
  return document.body?.getAttribute("data-md-color-scheme") === "slate";
}

/**
 * Create an editor.
 *
 * @param {object} options
 * @param {HTMLElement} options.parent   element the editor is appended to
 * @param {string} options.doc           initial code
 * @param {string} [options.label]       accessible name of the editing area
 * @param {(code: string) => void} [options.onChange]  called after every change
 * @param {() => void} [options.onRun]   Ctrl/Cmd+Enter or Shift+Enter
 * @returns {{view: EditorView, getCode(): string, setCode(code: string): void,
 *            focus(): void, destroy(): void}}
 */
export function createEditor({ parent, doc, label = "Python code", onChange, onRun }) {
  const theme = new Compartment();
  const runKeys = Prec.highest(keymap.of([
    { key: "Mod-Enter", run: () => { onRun?.(); return true; } },
    { key: "Shift-Enter", run: () => { onRun?.(); return true; } },
    // Escape, then Tab, leaves the editor (keyboard users are never trapped).
    { key: "Escape", run: (view) => { view.setTabFocusMode(2000); return false; } },
  ]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKeys,
        highlightSpecialChars(),
        history(),
        drawSelection(),
        dropCursor(),
        indentOnInput(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ activateOnTyping: true, defaultKeymap: true }),
        highlightActiveLine(),
        highlightSelectionMatches(),
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
          indentWithTab,
          { key: "Mod-]", run: indentMore },
          { key: "Mod-[", run: indentLess },
        ]),
        python(),
        syntaxHighlighting(materialHighlight),
        materialTheme,
        EditorView.lineWrapping,   // a long line wraps in the cell instead of hiding past its edge
        theme.of(EditorView.darkTheme.of(isDark())),
        placeholder("# write Python here"),
        EditorView.contentAttributes.of({
          "aria-label": label,
          "aria-multiline": "true",
          spellcheck: "false",
          autocorrect: "off",
          autocapitalize: "off",
          translate: "no",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange?.(update.state.doc.toString());
        }),
      ],
    }),
  });
  const off = onThemeChange(() => view.dispatch({ effects: theme.reconfigure(EditorView.darkTheme.of(isDark())) }));
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    destroy() {
      off();
      view.destroy();
    },
  };
}
