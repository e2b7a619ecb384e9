"""Waits for conditions, not for times: what the browser tests wait on once an action is done."""

from __future__ import annotations

import time


def settle(page) -> None:
    """Wait until the page has drawn what just changed: two frames (a resize, a palette switch,
    then what observers of them redraw), and every CSS transition and finite animation ended."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("document.getAnimations().every((a) => a.playState !== 'running'"
                           " || a.effect?.getTiming().iterations === Infinity)")


def wait_until(page, condition, timeout_ms: float = 10_000, what: str = "the condition") -> None:
    """Wait until ``condition()`` (a test-side check, e.g. of what a PageGuard recorded) is true.

    Playwright delivers the page's events to the test while it waits in a call, so this waits
    in short calls to the page until the condition holds, at most `timeout_ms`.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_ms / 1000:.0f} s for {what}")
        page.wait_for_timeout(20)
