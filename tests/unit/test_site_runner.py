"""mlpsite.runner natively: calls of named functions for the page (runtime.call) and cell code."""

import asyncio

import mlpsite.runner as runner


def call(module, name, kwargs=None):
    return asyncio.run(runner.call(module, name, kwargs))


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
