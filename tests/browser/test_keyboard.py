"""The keyboard alone: a chapter's cells and the training lab are used with Tab, Shift+Tab,
Enter, Space and the arrow keys only (no mouse, no clicks from the test), and every control
the focus lands on shows that it has it.
"""

from __future__ import annotations

from labpage import TRAIN_TIMEOUT_MS, wait_idle, wait_prediction

CHAPTER = "softmax/"
MAX_TABS = 250
# A "1" on the pad: the pen goes up from the centre, is put down, drawn down, lifted.
PAD_KEYS_DIGIT_ONE = ["ArrowUp"] * 6 + ["Space"] + ["ArrowDown"] * 12 + ["Space"]

# The focused element, whether its focus can be seen (an outline or a ring on it, or on the
# editor or pad around it), and whether it matches `selector`; read once the page has drawn.
FOCUS = """async (selector) => {
  // Two frames first: CodeMirror marks a focused editor (.cm-focused) in its next update.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const shows = (n) => {
    if (!n) return false;
    const s = getComputedStyle(n);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
  };
  const host = e.closest(".cm-editor");
  return {
    what: `${e.tagName.toLowerCase()}.${String(e.className).split(" ")[0]} ${(e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 40)}`,
    visible: shows(e) || shows(e.closest(".cm-editor, .lab-pad__frame")),
    match: e.matches(selector),
    ours: Boolean(e.closest(".pycell, .lab, .pycell-runtime")),
    editor: Boolean(host),
  };
}"""


def tab_to(page, selector: str, unseen: list, key: str = "Tab") -> None:
    """Presses `key` until the focus is on `selector`; adds to `unseen` each of our controls
    on the way whose focus is not visible."""
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        focus = page.evaluate(FOCUS, selector)
        if focus and focus["ours"] and not focus["visible"]:
            unseen.append(focus["what"])
        if focus and focus["match"]:
            return
        if focus and focus["editor"]:
            # Tab indents inside an editor; Escape first lets the next Tab move on, as the
            # editor's own help says (src/cells/editor.js).
            page.keyboard.press("Escape")
    raise AssertionError(f"{key} never reached {selector}")


def test_a_chapter_with_the_keyboard_alone(page):
    page.goto(CHAPTER, wait_until="load")
    page.wait_for_function("document.querySelectorAll('.pycell .cm-editor').length === document.querySelectorAll('.pycell').length")
    unseen = []
    first = '.pycell[data-cell-index="0"]'

    # Tab from the top of the page to the first cell's Run button; Enter runs it.
    tab_to(page, f"{first} .pycell__btn--run", unseen)
    page.keyboard.press("Enter")
    page.wait_for_selector(f'{first}[data-cell-state="done"]', timeout=TRAIN_TIMEOUT_MS)
    assert "finished" in page.inner_text(f"{first} .pycell__status [role=status]")

    # Shift+Tab back into the editor; typing edits the code, Ctrl+Enter runs it again.
    tab_to(page, f"{first} .cm-content", unseen, key="Shift+Tab")
    # The editor says on screen what Tab does in it, and only while it has the focus.
    assert page.locator(f"{first} .pycell__keys").inner_text() == "Tab indents · Esc then Tab leaves"
    assert page.locator(".pycell__keys:visible").count() == 1
    page.keyboard.press("Control+End")
    page.keyboard.type("\nprint('typed with the keyboard')")
    page.keyboard.press("Control+Enter")
    page.wait_for_function(f"document.querySelector('{first} .pycell__output').textContent.includes('typed with the keyboard')",
                           timeout=TRAIN_TIMEOUT_MS)

    # Escape, then Tab leaves the editor; Space on Reset puts the page's code back.
    page.keyboard.press("Escape")
    tab_to(page, f"{first} .pycell__btn--reset", unseen)
    page.keyboard.press("Space")
    page.wait_for_function(f"!document.querySelector('{first}').classList.contains('pycell--edited')")
    assert "typed with the keyboard" not in page.evaluate("window.__cells.getCode(0)")
    assert not unseen, f"focus not visible on: {unseen}"


def test_the_lab_with_the_keyboard_alone(page):
    page.goto("lab/", wait_until="load")
    page.wait_for_selector("#lab[data-ready]", timeout=TRAIN_TIMEOUT_MS)
    unseen = []

    # The form: one epoch typed into its field, then Enter on Train.
    tab_to(page, "[name=epochs]", unseen)
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    tab_to(page, ".lab-train", unseen)
    page.keyboard.press("Enter")
    page.wait_for_selector(".lab-run[data-status=training], .lab-run[data-status=done]", timeout=60_000)
    wait_idle(page)
    assert page.locator(".lab-run[data-status=done]").count() == 1

    # The pad: arrow keys move the pen, Space puts it down and lifts it.
    tab_to(page, ".lab-pad__canvas", unseen)
    for key in PAD_KEYS_DIGIT_ONE:
        page.keyboard.press(key)
    assert wait_prediction(page) in range(10)

    # The tabs of the inspect panel: arrows move between them, the panel follows.
    tab_to(page, "#lab-tab-confusion", unseen)
    page.keyboard.press("ArrowRight")
    assert page.get_attribute("#lab-tab-mistakes", "aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "lab-tab-mistakes"
    assert page.is_visible("#lab-tabpanel-mistakes") and not page.is_visible("#lab-tabpanel-confusion")
    page.keyboard.press("End")
    assert page.get_attribute("#lab-tab-weights", "aria-selected") == "true"
    assert page.is_visible("#lab-tabpanel-weights .pycell-fig")
    assert not unseen, f"focus not visible on: {unseen}"
