"""The training lab (docs/lab.md): training in the page's Python worker, stopping, drawing,
comparing, exporting and importing (the form's refusals: test_lab_form.py).

One page, trained once with the defaults for 3 epochs (the module's `trained` fixture), is
shared by the tests that need a trained model; the `lab` fixture gives it to a test and, after
it, takes the page back to that one run, light palette and wide window, so the tests run in any
order. mlpsite.lab itself is tested natively in tests/site/test_site_lab.py. Screenshots go to
screenshots/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter

import numpy as np
import pytest
from labpage import (
    REPO,
    TRAIN_TIMEOUT_MS,
    fill_form,
    mnist_test_image,
    open_lab,
    runs,
    set_scheme,
    shoot,
    shown_accuracy,
    trace_digit,
    wait_idle,
    wait_prediction,
)
from waits import settle

EPOCHS = 3


@pytest.fixture(scope="module")
def trained(browser, base_url, screenshot_dir, page_guard_class, request):
    """The lab page after training the default configuration for EPOCHS epochs.

    ``lab.chart_log`` lists every redraw of the charts during that training, ``lab.train_seconds``
    the time from pressing Train to the end (Python's start included).
    """
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900},
                                  color_scheme="light", accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    guard = page_guard_class(origin=base_url.rstrip("/"))
    guard.attach(context, page)
    open_lab(page)
    shoot(page, screenshot_dir, "wide-light-before")
    page.defaults = {name: page.input_value(f"[name={name}]") for name in
                     ("hidden", "activation", "optimizer", "lr", "beta", "batchSize", "dtype", "data")}
    fill_form(page, epochs=EPOCHS)
    # Every redraw of the charts, with the number of epochs they held and when.
    page.evaluate("""() => {
        const box = document.querySelector('.lab-charts');
        window.__chartLog = [];
        new MutationObserver(() => window.__chartLog.push(
            {t: performance.now(), epochs: Number(box.dataset.epochs), updates: Number(box.dataset.updates)}
        )).observe(box, {attributes: true, attributeFilter: ['data-updates']});
    }""")
    started = time.monotonic()
    page.click(".lab-train")
    page.stop_was_enabled = page.locator(".lab-stop").is_enabled()
    page.wait_for_function("Number(document.querySelector('.lab-charts').dataset.epochs) >= 1",
                           timeout=TRAIN_TIMEOUT_MS)
    shoot(page, screenshot_dir, "wide-light-during")
    wait_idle(page)
    page.train_seconds = time.monotonic() - started
    page.chart_log = page.evaluate("window.__chartLog")
    page.first_run = runs(page)[0]["id"]
    yield page
    problems = guard.problems(request.node)
    context.close()
    if problems:
        pytest.fail("the lab page reported:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture
def lab(trained):
    """The trained page; afterwards back to its one run in use, light and 1280 px wide."""
    yield trained
    page = trained
    if page.locator(".lab-stop").is_enabled():
        page.click(".lab-stop")
    wait_idle(page)
    for run in runs(page):
        if run["id"] != page.first_run:
            page.click(f".lab-run[data-run={run['id']}] .lab-run__remove")
    set_scheme(page, "light")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click(".lab-clear")
    assert [r["id"] for r in runs(page)] == [page.first_run]
    assert page.get_attribute(".lab-summary", "data-run") == page.first_run


# --------------------------------------------------------------------------------------------
# Tests on the trained page (any order)


def test_defaults_reach_90_percent_in_3_epochs_with_live_charts(lab, screenshot_dir):
    page = lab
    assert page.defaults == {"hidden": "64", "activation": "sigmoid", "optimizer": "momentum", "lr": "4",
                             "beta": "0.9", "batchSize": "128", "dtype": "float32", "data": "subset"}
    assert page.stop_was_enabled
    (run,) = runs(page)
    assert run["status"] == "done", run
    assert run["label"] == "sigmoid · momentum lr 4"
    accuracy = shown_accuracy(page)
    assert accuracy >= 0.90, f"test accuracy {accuracy} after {EPOCHS} epochs"
    assert run["acc"] == f"{accuracy:.4f}"

    log = page.chart_log
    epochs_seen = sorted({entry["epochs"] for entry in log})
    assert epochs_seen[-1] == EPOCHS
    for epoch in range(1, EPOCHS + 1):
        assert epoch in epochs_seen, f"the charts never showed {epoch} epochs: {epochs_seen}"
    # The smoothed batch loss redraws the charts within each epoch, not only at its end: after
    # every slice of training. How many slices an epoch takes depends on the machine's speed.
    # A redraw showing k finished epochs is one within epoch k + 1, except the first one for
    # k >= 1, which ends epoch k.
    redraws = Counter(e["epochs"] for e in log)
    within = [k + 1 for k in range(EPOCHS) if redraws[k] - (k > 0) >= 1]
    assert within == list(range(1, EPOCHS + 1)), f"the charts redrew within epochs {within} only: {log}"
    epoch_line = page.inner_text(".lab-stats")
    assert f"{EPOCHS} of {EPOCHS}" in epoch_line
    print(f"\ndefault run: {EPOCHS} epochs, test accuracy {accuracy:.4f}, {page.train_seconds:.1f} s from Train "
          f"(Python start included); {page.inner_text('.lab-status')}")

    # The inspect panel: confusion matrix of the 2,000 test images, mistakes, weights.
    cells = page.eval_on_selector_all(".lab-confusion tbody td", "tds => tds.map(td => Number(td.textContent || 0))")
    assert len(cells) == 100 and sum(cells) == 2000
    assert sum(cells[i * 11] for i in range(10)) == round(accuracy * 2000)
    page.click("#lab-tab-mistakes")
    assert page.locator(".lab-digits .pycell-digits__item").count() > 0
    page.click("#lab-tab-weights")
    assert page.locator(".lab-weights .pycell-digits__image").count() == 64
    page.click("#lab-tab-confusion")
    shoot(page, screenshot_dir, "wide-light-after")


def test_exported_weights_give_the_same_accuracy_natively(lab, site_dir, tmp_path):
    page = lab
    accuracy = shown_accuracy(page)
    with page.expect_download() as info:
        page.click(".lab-export")
    download = info.value
    assert download.suggested_filename.endswith(".npz")
    weights = tmp_path / download.suggested_filename
    download.save_as(weights)
    report = tmp_path / "report.json"
    data = site_dir / "assets" / "data" / "mnist-subset.npz"
    proc = subprocess.run([sys.executable, "-m", "mlp", "evaluate", "--load", str(weights), "--data", str(data),
                           "--report", str(report)], capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    native = json.loads(report.read_text())
    assert native["n_test"] == 2000
    assert abs(native["test_acc"] - accuracy) <= 0.001, (native["test_acc"], accuracy)
    assert "python -m mlp evaluate" in page.inner_text(".lab-file-message")


@pytest.mark.parametrize("index, digit", [(0, 7), (3, 0)])
def test_a_digit_drawn_with_the_mouse_is_recognised(lab, index, digit, screenshot_dir):
    page = lab
    image, label = mnist_test_image(index)
    assert label == digit
    trace_digit(page, image)
    predicted = wait_prediction(page)
    probabilities = json.loads(page.get_attribute(".lab-bars", "data-probabilities"))
    assert abs(sum(probabilities) - 1) < 1e-3
    assert predicted == digit, f"drew a {digit}, the model said {predicted}: {probabilities}"
    # The preview holds what the network saw: ink in a 20x20 box, centred in 28x28.
    seen = np.array(page.evaluate("""() => {
        const c = document.querySelector('.lab-preview__canvas');
        return Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 3));
    }""")).reshape(28, 28) / 255
    rows, cols = np.flatnonzero(seen.max(axis=1) > 0.05), np.flatnonzero(seen.max(axis=0) > 0.05)
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (20, 21)
    centre = [(seen.sum(axis=1 - a) * (np.arange(28) + 0.5)).sum() / seen.sum() for a in (0, 1)]
    assert all(abs(c - 14.5) < 0.6 for c in centre), centre
    if digit == 7:
        shoot(page, screenshot_dir, "wide-light-drawn")


# Pen strokes as key presses, from the pad's centre: (keys pressed with the pen up, keys
# pressed with it down).
KEY_STROKES = {
    1: (["ArrowUp"] * 7, ["ArrowDown"] * 14),
    7: (["ArrowUp"] * 6 + ["ArrowLeft"] * 5,
        ["ArrowRight"] * 10 + [key for i in range(13) for key in ["ArrowDown"] + ["ArrowLeft"] * (i % 2)]),
}


@pytest.mark.parametrize("digit", sorted(KEY_STROKES))
def test_a_digit_drawn_with_the_keyboard_is_recognised(lab, digit, screenshot_dir):
    page = lab
    # Reached with Tab like any control: Shift+Tab from the Clear button under it.
    page.focus(".lab-clear")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('lab-pad__canvas')")
    page.keyboard.press("Backspace")
    assert page.evaluate("document.querySelector('.lab-pad__frame--inked')") is None
    up, down = KEY_STROKES[digit]
    for key in up:
        page.keyboard.press(key)
    page.keyboard.press("Space")
    for key in down:
        page.keyboard.press(key)
    assert page.locator(".lab-pad__pen--down").count() == 1
    page.keyboard.press("Space")
    assert page.locator(".lab-pad__pen--down").count() == 0
    predicted = wait_prediction(page)
    assert predicted == digit, f"drew a {digit} with the keyboard, the model said {predicted}"
    if digit == 7:
        shoot(page, screenshot_dir, "wide-light-drawn-with-keys")


def test_stop_mid_run_keeps_a_model_that_predicts_and_runs_are_compared(lab, screenshot_dir):
    page = lab
    before = len(runs(page))
    assert before == 1
    # A note on saving the first run's weights, which goes when another model comes into use.
    with page.expect_download():
        page.click(".lab-export")
    assert "python -m mlp evaluate" in page.inner_text(".lab-file-message")
    page.click("[data-preset=relu-sgd]")
    # The most epochs the form allows, so the run is still going when the screenshots are done.
    fill_form(page, epochs=100)
    page.click(".lab-train")
    # Into the second epoch, so the model has learned something, then Stop.
    page.wait_for_function("Number(document.querySelector('.lab-charts').dataset.epochs) >= 2",
                           timeout=TRAIN_TIMEOUT_MS)
    set_scheme(page, "dark")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, screenshot_dir, "phone-dark-during")
    page.set_viewport_size({"width": 1280, "height": 900})
    set_scheme(page, "light")
    page.click(".lab-stop")
    wait_idle(page, timeout=30_000)
    after = runs(page)
    assert len(after) == before + 1
    stopped = after[-1]
    assert stopped["status"] == "stopped"
    assert stopped["label"] == "relu · sgd lr 0.05"
    message = page.inner_text(".lab-message")
    assert "model trained so far is kept" in message
    epochs_done = int(page.get_attribute(".lab-charts", "data-epochs"))
    assert 2 <= epochs_done < 100
    # The stats, the status line and the message name the same epoch: the one it stopped in.
    stats = page.inner_text(".lab-stats")
    epochs = [re.search(pattern, text) for pattern, text in [
        (r"Epoch\s+(\d+) of 100", stats), (r"in epoch (\d+) of 100", page.inner_text(".lab-status")),
        (r"^Stopped in epoch (\d+) of 100", message)]]
    assert all(epochs) and len({m.group(1) for m in epochs}) == 1, (stats, message)
    assert int(epochs[0].group(1)) in (epochs_done, epochs_done + 1)
    # The stopped model is the one in use: evaluated, and it predicts a drawn digit.
    assert page.get_attribute(".lab-summary", "data-run") == stopped["id"]
    assert shown_accuracy(page) > 0.8
    # The note on saving the first run's weights went when another model came into use.
    assert page.inner_text(".lab-file-message").strip() == ""
    image, label = mnist_test_image(0)
    trace_digit(page, image)
    assert wait_prediction(page) == label
    assert page.get_attribute(".lab-bars__head", "data-model") == stopped["id"]
    shoot(page, screenshot_dir, "wide-light-two-runs")

    # The two runs compared, then the stopped one removed.
    listed = runs(page)
    assert [r["label"] for r in listed] == ["sigmoid · momentum lr 4", "relu · sgd lr 0.05"]
    # Both runs on both charts (loss: test, train, smoothed batch loss; accuracy: test, train),
    # with a legend naming each configuration after the run's number ("#2"), also drawn on the charts.
    series = page.eval_on_selector_all(".lab-chart", "fs => fs.map(f => Number(f.dataset.series))")
    assert series == [3 * 2, 2 * 2]
    assert [t.strip() for t in page.inner_text(".lab-legend").split("\n")] == [f"#{r['id'].removeprefix('run-')} {r['label']}" for r in listed]
    set_scheme(page, "dark")
    shoot(page, screenshot_dir, "wide-dark-after")
    page.set_viewport_size({"width": 390, "height": 844})
    settle(page)
    shoot(page, screenshot_dir, "phone-dark-after")
    set_scheme(page, "light")
    shoot(page, screenshot_dir, "phone-light-after")
    page.set_viewport_size({"width": 1280, "height": 900})
    # Remove the second run; the first becomes the model in use again.
    page.click(f".lab-run[data-run={listed[1]['id']}] .lab-run__remove")
    assert [r["id"] for r in runs(page)] == [listed[0]["id"]]
    assert page.get_attribute(".lab-summary", "data-run") == listed[0]["id"]
    assert page.get_attribute(f".lab-run[data-run={listed[0]['id']}] .lab-run__use", "aria-pressed") == "true"
    assert page.eval_on_selector_all(".lab-chart", "fs => fs.map(f => Number(f.dataset.series))") == [3, 2]


def test_weights_files_are_loaded_back_and_wrong_files_refused(lab, tmp_path, site_dir):
    page = lab
    accuracy = shown_accuracy(page)
    before = len(runs(page))
    with page.expect_download() as info:
        page.click(".lab-export")
    weights = tmp_path / "weights.npz"
    info.value.save_as(weights)

    page.set_input_files(".lab-file", str(weights))
    page.wait_for_function("document.querySelector('.lab-file-message').textContent.startsWith('Loaded')")
    loaded = runs(page)[-1]
    assert loaded["status"] == "imported"
    assert shown_accuracy(page) == accuracy
    assert len({r["id"] for r in runs(page)}) == len(runs(page))
    with page.expect_download() as info:  # the loaded model goes out again under its own name
        page.click(".lab-export")
    assert info.value.suggested_filename == "mlp-weights.npz"

    not_npz = tmp_path / "notes.npz"
    not_npz.write_text("these are not weights")
    page.set_input_files(".lab-file", str(not_npz))
    page.wait_for_function("document.querySelector('.lab-file-message--error')")
    assert "Could not load weights: notes.npz is not an .npz file" in page.inner_text(".lab-file-message")

    page.set_input_files(".lab-file", str(site_dir / "assets" / "data" / "mnist-subset.npz"))
    page.wait_for_function("document.querySelector('.lab-file-message').textContent.includes('mnist-subset.npz:')")
    assert "not an mlp weights file" in page.inner_text(".lab-file-message")
    assert len(runs(page)) == before + 1  # the refused files made no run


def test_divergence_stops_the_run_with_advice(lab):
    page = lab
    fill_form(page, hidden="128, 128, 128", activation="relu", optimizer="sgd", lr=10, epochs=2)
    page.click(".lab-train")
    wait_idle(page, timeout=60_000)
    run = runs(page)[-1]
    assert run["status"] == "diverged"
    message = page.inner_text(".lab-message")
    assert "learning rate 10" in message and "smaller learning rate" in message, message
