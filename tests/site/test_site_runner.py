"""mlpsite.runner natively: calls of named functions for the page (runtime.call) and cell code."""

import asyncio
import concurrent.futures
import linecache
import re

import pytest

import mlpsite.runner as runner


def call(module, name, kwargs=None):
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, runner.call(module, name, kwargs)).result()


def test_call_returns_the_value_and_turns_javascript_bytes_into_bytes():
    answer = call("builtins", "dict", {"raw": memoryview(b"\x01\x02"), "nested": [memoryview(b"z")], "n": 3})
    assert answer == {"ok": True, "value": {"raw": b"\x01\x02", "nested": [b"z"], "n": 3}}
    assert type(answer["value"]["raw"]) is bytes


def test_call_awaits_a_coroutine():
    assert call("asyncio", "sleep", {"delay": 0, "result": "slept"}) == {"ok": True, "value": "slept"}


def test_a_value_error_is_for_the_reader_other_errors_keep_their_traceback():
    bad = call("mlpsite.page", "bars", {"values": [1, -2]})
    assert not bad["ok"]
    assert bad["error"]["type"] == "ValueError"
    assert bad["error"]["traceback"] == "" and "-2" in bad["error"]["message"]
    broken = call("json", "loads", {"s": 5})
    assert broken["error"]["type"] == "TypeError"
    assert broken["error"]["traceback"].startswith("Traceback") and "json" in broken["error"]["traceback"]


def test_call_refuses_private_and_missing_names():
    private = call("mlpsite.runner", "_function", {})
    assert private["error"]["type"] == "ValueError" and "_function" in private["error"]["message"]
    missing = call("mlpsite.page", "no_such_function", {})
    assert missing["error"]["type"] == "AttributeError"
    assert "no_such_function" in missing["error"]["message"]
    module = call("no_such_module_here", "f", {})
    assert module["error"]["type"] == "ModuleNotFoundError"


def test_keyword_arguments_must_be_an_object():
    answer = call("builtins", "dict", [1, 2])
    assert answer["error"]["type"] == "TypeError" and "list" in answer["error"]["message"]


def raised(code, filename="<cell 3>"):
    """What ``code`` raises when run as a cell (its source in linecache, as runner.run does)."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    try:
        exec(compile(code, filename, "exec"), {"__name__": "__main__"})
    except Exception as error:  # noqa: BLE001 - the error is what the test looks at
        return error
    raise AssertionError(f"{code!r} raised nothing")


def test_a_shape_error_report_carries_the_shapes_line_under_its_traceback():
    report = runner.error_report(raised("import numpy as np\nW, X = np.ones((64, 10)), np.ones((5, 10))\nX @ W\n"))
    assert report["type"] == "ValueError" and report["traceback"].startswith("Traceback")
    assert report["hint"] == "(5, 10) @ (64, 10): the inner sizes 10 and 64 differ; did you mean W.T?"
    assert "hint" not in runner.error_report(raised("1 / 0\n"))


@pytest.mark.parametrize("module", ["pandas", "seaborn", "seaborn.objects", "tensorflow"])
def test_a_missing_package_gets_what_the_site_has_instead(module):
    # matplotlib, installed natively, is checked in the browser (tests/browser/test_cell_hints.py).
    report = runner.error_report(raised(f"import {module}\n"))
    assert report["type"] == "ModuleNotFoundError"
    assert "page.chart" in report["hint"] and "NumPy, mlp and page" in report["hint"]


def test_a_missing_module_of_the_standard_library_is_not_called_another_package():
    # As Pyodide raises them: `mp.Pool(2)` and `import tkinter`.
    error = ModuleNotFoundError("No module named '_multiprocessing'", name="_multiprocessing")
    assert runner.error_report(error)["hint"] == runner.ONE_THREAD_HINT
    hint = runner.error_report(ModuleNotFoundError("No module named 'tkinter'", name="tkinter"))["hint"]
    assert hint.startswith("tkinter is part of Python's standard library, but not of the browser's Python")
    assert "no other package" not in hint and "page.chart" not in hint


def test_a_thread_or_process_that_cannot_start_gets_the_one_thread_hint():
    assert "one browser thread" in runner.ONE_THREAD_HINT and "plain loop" in runner.ONE_THREAD_HINT
    assert runner.hint(raised("raise RuntimeError(\"can't start new thread\")\n")) == runner.ONE_THREAD_HINT
    # os.fork() under multiprocessing ("Function not implemented" in Pyodide).
    fork = raised("import multiprocessing.popen_fork as p\n"
                  "exec(\"raise OSError(52, 'Function not implemented')\", vars(p))\n")
    assert runner.hint(fork) == runner.ONE_THREAD_HINT
    assert runner.hint(raised("raise RuntimeError('something else')\n")) is None
    assert runner.hint(raised("open('/no/such/file')\n")) is None


def test_a_missing_module_of_the_site_itself_gets_no_hint():
    assert "hint" not in runner.error_report(raised("import mlp.no_such_module\n"))


@pytest.mark.parametrize("read", ["read()", "readline()", "readlines()"])
def test_stdin_says_the_cells_have_no_keyboard_like_input(read):
    with pytest.raises(RuntimeError, match=rf"^sys\.stdin\.{re.escape(read)} cannot read from the keyboard"):
        getattr(runner.stdin, read[:-2])()
    with pytest.raises(RuntimeError, match=r"^input\(\) cannot read from the keyboard in these cells; assign"):
        runner._no_input("? ")
    assert not runner.stdin.closed and not runner.stdin.isatty() and runner.stdin.readable()
