"""The training lab's form and controls on a fresh page each: refusals next to the field, the
keyboard focus of Train and Stop, and a Python restart caused by another page."""

from __future__ import annotations

from labpage import TRAIN_TIMEOUT_MS, fill_form, open_lab, runs, wait_idle

BAD_VALUES = [
    ("hidden", "", "Enter at least one hidden layer size"),
    ("hidden", "64, abc", '"abc" is not one'),
    ("hidden", "-5", "A layer needs at least 1 unit"),
    ("hidden", "5000", "use at most 4,096 per layer"),
    ("hidden", "4096, 4096", "parameters; the lab allows at most 20,000,000"),
    ("lr", "", "Enter the learning rate"),
    ("lr", "fast", 'must be a number; got "fast"'),
    ("lr", "-1", "above 0 and at most 100; got -1"),
    ("lr", "0", "above 0 and at most 100; got 0"),
    ("lr", "1000", "above 0 and at most 100; got 1000"),
    ("beta", "1", "at least 0 and below 1; got 1"),
    ("beta", "x", 'β must be a number; got "x"'),
    ("batch_size", "0", "between 1 and 10,000; got 0"),
    ("batch_size", "20000", "between 1 and 10,000; got 20000"),
    ("batch_size", "12.5", 'must be a whole number; got "12.5"'),
    ("epochs", "0", "between 1 and 100; got 0"),
    ("epochs", "500", "between 1 and 100; got 500"),
    ("seed", "-1", "between 0 and 4,294,967,295"),
    ("seed", "1.5", "must be a whole number"),
]


def test_train_and_stop_from_the_keyboard_keep_the_focus(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    fill_form(page, epochs=5)
    page.focus(".lab-train")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.classList.contains('lab-stop')")
    page.keyboard.press("Enter")
    wait_idle(page, timeout=120_000)
    assert page.evaluate("document.activeElement.classList.contains('lab-train')")
    assert runs(page)[-1]["status"] == "stopped"


def test_a_python_restart_elsewhere_ends_training_with_the_reason(new_page):
    """Stop on an endless cell of another page restarts Python (no SharedArrayBuffer): the
    lab's run ends saying why, and no lost model stays marked as in use."""
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    fill_form(page, epochs=50)
    page.click(".lab-train")
    page.wait_for_function("Number(document.querySelector('.lab-charts').dataset.epochs) >= 1",
                           timeout=TRAIN_TIMEOUT_MS)
    page.locator("a.md-footer__link--prev").click()  # instant navigation, to the exercises
    page.wait_for_function("window.__cells && window.__cells.list().length > 0")
    page.evaluate("window.__cells.setCode(0, 'while True:\\n    pass\\n')")
    endless = page.locator('.pycell[data-cell-index="0"]')
    endless.get_by_role("button", name="Run cell 1").click()
    state = "document.querySelector('.pycell[data-cell-index=\"0\"]').dataset.cellState"
    page.wait_for_function(f"{state} === 'running'", timeout=TRAIN_TIMEOUT_MS)
    endless.get_by_role("button", name="Stop cell 1").click()
    page.wait_for_function(f"{state} === 'stopped'")
    page.go_back()
    page.wait_for_selector("#lab[data-ready]", timeout=TRAIN_TIMEOUT_MS)
    wait_idle(page, timeout=60_000)
    assert runs(page)[-1]["status"] == "failed"
    assert "Python was restarted" in page.inner_text(".lab-message")
    assert page.locator(".lab-run__use[aria-pressed=true]").count() == 0


def test_bad_form_values_are_refused_next_to_the_field(new_page):
    page = new_page()
    open_lab(page)
    names = {"batch_size": "batchSize"}
    for field, value, expected in BAD_VALUES:
        page.click("[data-preset=sigmoid-momentum]")
        fill_form(page, **{field: value})
        page.click(".lab-train")
        name = names.get(field, field)
        error = page.inner_text(f".lab-field--{name} .lab-field__error")
        assert expected in error, (field, value, error)
        assert page.get_attribute(f"[name={name}]", "aria-invalid") == "true"
        assert page.evaluate("document.activeElement.name") == name
        # No run started.
        assert page.locator(".lab-run").count() == 0
        assert page.locator(".lab-progress").get_attribute("aria-valuenow") == "0"
    # Two bad fields at once: both messages, the focus on the first.
    page.click("[data-preset=sigmoid-momentum]")
    fill_form(page, lr="abc", epochs="0")
    page.click(".lab-train")
    assert page.inner_text(".lab-field--lr .lab-field__error")
    assert page.inner_text(".lab-field--epochs .lab-field__error")
    assert page.evaluate("document.activeElement.name") == "lr"
    # Fixing the value clears its message.
    page.fill("[name=lr]", "0.5")
    assert page.inner_text(".lab-field--lr .lab-field__error") == ""
    assert page.locator(".lab-run").count() == 0
