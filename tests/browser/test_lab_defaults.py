"""The lab trains with the values its form shows: for every optimiser and schedule, the untouched
form's settings are the ones Python's trainer gets (the form sends every setting in use)."""

from __future__ import annotations

import json

from labpage import fill_form, open_lab, wait_idle

SHOWN = ("hidden", "optimizer", "lr", "beta", "batchSize", "epochs", "schedule", "stepEpochs", "gamma", "warmup",
         "seed", "dtype")

TRAINER = """async (runId) => {
  const { runtime } = await import(new URL("../assets/site/runtime.js", location.href).href);
  let out = "";
  const code = `
import json
from mlpsite import lab
t = lab.RUNS[${JSON.stringify(runId)}].trainer
o = t.optimizer
print(json.dumps({"sizes": t.network.sizes, "optimizer": type(o).__name__, "lr": t.initial_learning_rate,
                  "beta": getattr(o, "beta", getattr(o, "rho", getattr(o, "beta1", None))),
                  "batch_size": t.batch_size, "epochs": t.epochs, "schedule": repr(t.schedule),
                  "dtype": t.network.dtype.name}))
`;
  const r = await runtime.run(code, { scope: "test-lab-defaults", onStdout: (text) => { out += text; } });
  return r.ok ? out : JSON.stringify({ error: r.error.message });
}"""

CLASSES = {"sgd": "SGD", "momentum": "Momentum", "classic": "ClassicMomentum", "nesterov": "Nesterov",
           "rmsprop": "RMSProp", "adam": "Adam"}


def test_each_optimiser_and_schedule_trains_with_the_values_the_form_shows(new_page):
    page = new_page(viewport={"width": 1280, "height": 900})
    open_lab(page)
    optimizers = page.eval_on_selector_all("[name=optimizer] option", "os => os.map(o => o.value)")
    schedules = page.eval_on_selector_all("[name=schedule] option", "os => os.map(o => o.value)")
    assert set(optimizers) == set(CLASSES) and schedules == ["constant", "step", "cosine"]
    for i, optimizer in enumerate(optimizers):
        schedule = schedules[i % len(schedules)]  # each optimiser once, each schedule twice
        fill_form(page, optimizer=optimizer, schedule=schedule)
        shown = page.evaluate(f"{list(SHOWN)}.map(n => document.querySelector(`[name=${{n}}]`).value)")
        shown = dict(zip(SHOWN, shown))
        count = page.locator(".lab-run").count()
        page.click(".lab-train")
        page.wait_for_function(f"document.querySelectorAll('.lab-run').length > {count}")
        # Stop as soon as it started (Stop is usable while the run trains); a run that ended on its
        # own (lr 4 makes Adam diverge) still has its trainer.
        page.wait_for_function("!document.querySelector('.lab-stop').disabled"
                               " || !document.querySelector('.lab-run[data-status=starting], .lab-run[data-status=training]')")
        page.evaluate("const b = document.querySelector('.lab-stop'); if (!b.disabled) b.click();")
        wait_idle(page)
        assert page.locator(".lab-run").last.get_attribute("data-status") in ("done", "stopped", "diverged"), \
            (optimizer, schedule, page.inner_text(".lab-message"))
        run = page.locator(".lab-run").last
        got = json.loads(page.evaluate(TRAINER, run.get_attribute("data-run")))
        assert "error" not in got, got
        detail = run.locator(".lab-run__detail").inner_text()
        expected_schedule = {
            "constant": "ConstantSchedule()",
            "step": f"StepSchedule(step_epochs={shown['stepEpochs']}, gamma={float(shown['gamma']):g})",
            "cosine": f"CosineSchedule(warmup_epochs={float(shown['warmup']):g}, min_factor=0)",
        }[schedule]
        assert got["schedule"] == expected_schedule, (optimizer, schedule, got)
        said = {"constant": None, "step": f"lr × {shown['gamma']} every {shown['stepEpochs']} epochs",
                "cosine": f"cosine schedule, {shown['warmup']}-epoch warm-up"}[schedule]
        assert said is None or said in detail, detail  # what the run says is what Python trains
        assert got["optimizer"] == CLASSES[optimizer] and got["lr"] == float(shown["lr"])
        if optimizer != "sgd":
            assert got["beta"] == float(shown["beta"]), (optimizer, got)
        assert got["sizes"] == [784, int(shown["hidden"]), 10] and got["dtype"] == shown["dtype"]
        assert (got["batch_size"], got["epochs"]) == (int(shown["batchSize"]), int(shown["epochs"]))
    # The untouched form's schedule settings: a step schedule that acts within the 5 epochs.
    assert (shown["epochs"], shown["stepEpochs"], shown["gamma"], shown["warmup"]) == ("5", "2", "0.5", "1")
