"""mlpsite.ondemand: modules in archives fetched the first time they are imported (natively,
with real zip files; the browser's synchronous fetch is tested in tests/browser/test_startup.py)."""

from __future__ import annotations

import importlib
import sys
import zipfile

import pytest

from mlpsite.ondemand import NAMES_FILE, OnDemandFinder, groups_in


@pytest.fixture
def finder(tmp_path):
    """A finder of two made-up packages, `odpkg` (with a submodule) and `odmod`, each in its archive."""
    source = tmp_path / "served"
    source.mkdir()
    with zipfile.ZipFile(source / "odpkg.zip", "w") as zf:
        zf.writestr("odpkg/__init__.py", "VALUE = 1\n")
        zf.writestr("odpkg/sub.py", "from . import VALUE\nDOUBLE = 2 * VALUE\n")
    with zipfile.ZipFile(source / "odmod.zip", "w") as zf:
        zf.writestr("odmod.py", "NAME = 'odmod'\n")
    fetched = []
    failing = set()

    def fetch(archive):
        fetched.append(archive)
        if archive in failing:
            raise OSError("HTTP 404")
        return (source / f"{archive}.zip").read_bytes()

    f = OnDemandFinder({"odpkg": "odpkg", "odpkg.sub": "odpkg", "odmod": "odmod"}, fetch,
                       directory=str(tmp_path / "lib"), where=lambda a: f"https://example.org/{a}.zip")
    f.fetched, f.failing = fetched, failing
    sys.meta_path.insert(0, f)   # as mlpsite.ondemand.install does
    yield f
    sys.meta_path.remove(f)
    for name in ("odpkg", "odpkg.sub", "odmod"):
        sys.modules.pop(name, None)


def test_a_listed_module_is_fetched_once_with_its_group_and_imported(finder):
    sub = importlib.import_module("odpkg.sub")
    assert sub.DOUBLE == 2
    assert importlib.import_module("odpkg").VALUE == 1
    assert finder.fetched == ["odpkg"]
    assert finder.imported == ["odpkg", "odpkg.sub"]  # first in sys.meta_path, it finds both
    assert sub.__spec__.origin.endswith("lib/odpkg.zip/odpkg/sub.py")


def test_an_unlisted_module_is_left_to_pythons_own_error(finder):
    with pytest.raises(ModuleNotFoundError, match="No module named 'odnothing'"):
        importlib.import_module("odnothing")
    assert finder.fetched == []


def test_an_archive_that_cannot_be_fetched_names_module_archive_and_reason_then_retries(finder):
    finder.failing.add("odmod")
    with pytest.raises(ModuleNotFoundError) as info:
        importlib.import_module("odmod")
    assert str(info.value) == ("the module 'odmod' is served on demand from https://example.org/odmod.zip, "
                               "which could not be downloaded (HTTP 404); check the connection and run "
                               "the code again")
    assert info.value.name == "odmod"
    finder.failing.clear()
    assert importlib.import_module("odmod").NAME == "odmod"
    assert finder.fetched == ["odmod", "odmod"]


def test_groups_in_reads_ondemand_txt_and_tolerates_an_archive_without_it(tmp_path):
    with zipfile.ZipFile(tmp_path / "stdlib.zip", "w") as zf:
        zf.writestr(NAMES_FILE, "email email\nemail.mime email\nnumpy.ma numpy.ma\n")
    with zipfile.ZipFile(tmp_path / "bare.zip", "w") as zf:
        zf.writestr("os.py", "")
    assert groups_in(tmp_path / "stdlib.zip") == {"email": "email", "email.mime": "email",
                                                   "numpy.ma": "numpy.ma"}
    assert groups_in(tmp_path / "bare.zip") == {}
    assert groups_in(tmp_path / "missing.zip") == {}


def test_a_package_whose_folder_holds_its_extension_modules_imports_whole(tmp_path, monkeypatch):
    """numpy.random's modules are served on demand, its extension modules stay in its folder of
    site-packages: the package comes from the archive, not as an empty namespace package of
    that folder, and what is in the folder still imports (a .py stands in for a .so)."""
    real = tmp_path / "site"
    (real / "odparent" / "odsub").mkdir(parents=True)
    (real / "odparent" / "__init__.py").write_text("")
    (real / "odparent" / "odsub" / "_native.py").write_text("def rng():\n    return 4\n")
    archive = tmp_path / "odsub.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("odparent/odsub/__init__.py", "from ._native import rng\n")
    finder = OnDemandFinder({"odparent.odsub": "odsub"}, lambda _: archive.read_bytes(),
                            directory=str(tmp_path / "lib"))
    monkeypatch.syspath_prepend(str(real))
    sys.meta_path.insert(0, finder)
    try:
        sub = importlib.import_module("odparent.odsub")
        assert sub.rng() == 4
        assert sub.__spec__.origin.endswith("lib/odsub.zip/odparent/odsub/__init__.py")
        assert sub.__path__[-1] == str(real / "odparent" / "odsub")
    finally:
        sys.meta_path.remove(finder)
        for name in ("odparent", "odparent.odsub", "odparent.odsub._native"):
            sys.modules.pop(name, None)


def test_an_archive_with_extension_modules_is_unpacked_and_one_fetched_ahead_is_not_fetched(tmp_path, monkeypatch):
    """more/numpy.random.zip holds extension modules, which zipimport cannot load: it is
    unpacked into site-packages and imported from there. The worker writes it to the
    archive folder once Python is ready; the import then fetches nothing."""
    site = tmp_path / "site"
    (site / "odroot").mkdir(parents=True)
    (site / "odroot" / "__init__.py").write_text("")
    lib = tmp_path / "lib"
    lib.mkdir()
    with zipfile.ZipFile(lib / "odext.zip", "w") as zf:   # as if written ahead by the worker
        zf.writestr("odroot/odext/__init__.py", "from ._impl import VALUE\n")
        zf.writestr("odroot/odext/_impl.py", "VALUE = 7\n")
        zf.writestr("odroot/odext/_native.cpython-312-wasm32-emscripten.so", b"\0asm")
    fetched = []
    finder = OnDemandFinder({"odroot.odext": "odext", "odroot.odext._impl": "odext"},
                            lambda archive: fetched.append(archive), directory=str(lib), unpack_dir=str(site))
    monkeypatch.syspath_prepend(str(site))
    sys.meta_path.insert(0, finder)
    try:
        ext = importlib.import_module("odroot.odext")
        assert ext.VALUE == 7 and fetched == []
        assert ext.__file__ == str(site / "odroot" / "odext" / "__init__.py")
        assert (site / "odroot" / "odext" / "_native.cpython-312-wasm32-emscripten.so").is_file()
        assert finder.unpacked == {"odext"}
    finally:
        sys.meta_path.remove(finder)
        for name in ("odroot", "odroot.odext", "odroot.odext._impl"):
            sys.modules.pop(name, None)
