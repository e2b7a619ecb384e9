"""Settings shared by every test directory."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    for line in (
        "allow_console_errors: browser console errors and uncaught page errors do not fail the test",
        "allow_failed_requests: failed requests and HTTP error responses do not fail the test",
        "allow_foreign_requests: requests to hosts other than the test server do not fail the test"
        " (they are still blocked)",
    ):
        config.addinivalue_line("markers", line)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so fixtures can see at teardown whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root directory."""
    return REPO
