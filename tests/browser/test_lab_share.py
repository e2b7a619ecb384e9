"""The lab's regularisation, schedule, best-epoch and matrix-product settings, and its share
links: a link holds every setting and the seed, so the same link trains the same curve; a
broken link gets a note and the usual form."""

from __future__ import annotations

from labpage import TRAIN_TIMEOUT_MS, fill_form, open_lab, runs, set_scheme, shoot, wait_idle

FORM = ("hidden", "activation", "optimizer", "lr", "beta", "batchSize", "epochs", "weightDecay", "dropout",
        "schedule", "stepEpochs", "gamma", "warmup", "dtype", "keep", "backend", "seed", "data")
HINTED = ("weightDecay", "dropout", "schedule", "keep", "backend")


def form_values(page):
    return page.evaluate(f"{list(FORM)}.map(n => document.querySelector(`[name=${{n}}]`).value)")


def train(page):
    page.click(".lab-train")
    page.wait_for_selector(".lab-run[data-status=training], .lab-run[data-status=starting]", timeout=30_000)
    wait_idle(page, timeout=TRAIN_TIMEOUT_MS)
    last = page.locator(".lab-run").last
    return {"status": last.get_attribute("data-status"), "first_loss": last.get_attribute("data-first-loss"),
            "speed": last.locator(".lab-run__speed").inner_text(), "acc": runs(page)[-1]["acc"]}


def test_each_new_setting_has_a_hint_and_a_schedules_own_settings_follow_it(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    for name in HINTED:
        assert page.inner_text(f".lab-field--{name} .lab-field__hint").strip(), name
    backends = page.eval_on_selector_all("[name=backend] option", "os => os.map(o => o.value)")
    assert backends == ["kernel", "numpy"]  # the SIMD kernel loads in Chromium and is the default
    disabled = "n => document.querySelector(`[name=${n}]`).disabled"
    fill_form(page, schedule="step")
    assert [page.evaluate(disabled, n) for n in ("warmup", "stepEpochs", "gamma")] == [True, False, False]
    fill_form(page, schedule="cosine", warmup="5", epochs="5")
    assert [page.evaluate(disabled, n) for n in ("warmup", "stepEpochs", "gamma")] == [False, True, True]
    page.click(".lab-train")
    assert "must be shorter than the training (5 epochs); got 5" in page.inner_text(".lab-field--warmup .lab-field__error")
    assert page.locator(".lab-run").count() == 0


def test_the_matrix_product_and_the_best_epoch_show_in_the_runs(new_page, screenshot_dir):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    fill_form(page, hidden="32", epochs="2", keep="best", backend="kernel")
    kernel = train(page)
    assert kernel["status"] == "done" and "samples/s · SIMD kernel" in kernel["speed"]
    assert "The model is the best epoch's: restored the weights of epoch" in page.inner_text(".lab-message")
    assert "keeps the best epoch" in page.inner_text(".lab-run__detail >> nth=-1")
    fill_form(page, keep="last", backend="numpy")
    numpy = train(page)
    assert "samples/s · pure NumPy" in numpy["speed"]
    rates = [int(r["speed"].split()[0].replace(",", "")) for r in (kernel, numpy)]
    assert all(rate > 0 for rate in rates)  # which one is faster is scripts/bench's business
    shoot(page, screenshot_dir, "settings-wide-light")
    set_scheme(page, "dark")
    shoot(page, screenshot_dir, "settings-wide-dark")


def test_a_share_link_fills_the_form_and_trains_the_same_curve(new_page, screenshot_dir):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    fill_form(page, hidden="24", activation="relu", optimizer="adam", lr="0.003", epochs="1", dropout="0.1",
              weightDecay="0.01", schedule="cosine", warmup="0.5", seed="31337")
    page.click(".lab-share")
    page.wait_for_selector(".lab-link-note[data-link]")
    link = page.get_attribute(".lab-link-note", "data-link")
    assert "#lab=1&" in link and "seed=31337" in link
    settings = form_values(page)
    first = train(page)
    assert first["status"] == "done" and first["first_loss"]

    other = new_page(viewport={"width": 390, "height": 844})
    other.goto(link)
    other.wait_for_selector("#lab[data-ready]", timeout=TRAIN_TIMEOUT_MS)
    other.wait_for_function("document.querySelector('.lab-link-note').textContent !== ''")
    assert "settings of the link you opened" in other.inner_text(".lab-link-note")
    assert form_values(other) == settings
    again = train(other)
    assert again["first_loss"] == first["first_loss"] and again["acc"] == first["acc"]
    shoot(other, screenshot_dir, "share-phone-light")
    set_scheme(other, "dark")
    shoot(other, screenshot_dir, "share-phone-dark")


def test_a_broken_link_gets_a_note_and_the_usual_form(new_page):
    """The note and the usual form in the page; which links are broken, and what each note
    says, is tests/js/lab-share.test.mjs's business (decodeLink)."""
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    usual = form_values(page)
    good = page.evaluate("() => { document.querySelector('.lab-share').click(); return location.hash.slice(1); }")
    assert good.startswith("lab=1&") and "seed=0" in good and "lr=4" in good, good
    # A link whose values are out of range names each bad value.
    bad = new_page(viewport={"width": 1280, "height": 900})
    bad.goto(f"lab/#{good.replace('seed=0', 'seed=-4').replace('lr=4', 'lr=1000')}")
    bad.wait_for_selector("#lab[data-ready]", timeout=TRAIN_TIMEOUT_MS)
    bad.wait_for_function("document.querySelector('.lab-link-note').textContent.includes('cannot be used')")
    assert "lab-link-note--error" in bad.get_attribute(".lab-link-note", "class")
    note = bad.inner_text(".lab-link-note")
    assert "The learning rate must be above 0 and at most 100; got 1000." in note
    assert "The seed must be between 0 and 4,294,967,295; got -4." in note
    assert form_values(bad) == usual and bad.locator(".lab-run").count() == 0
