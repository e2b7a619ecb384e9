"""Modules that the site serves on demand: fetched the first time code imports one.

The site starts Python with only the modules its pages use (the standard library's and
numpy's, chosen at build time by scripts/assets/trim.py). Every other module of the standard
library and of numpy is in a small archive of its group (``more/email.zip``,
``more/numpy.ma.zip``...); ``ondemand.txt`` at the root of the standard library's archive
lists each module with its group. :func:`install` puts an :class:`OnDemandFinder` first in
``sys.meta_path``: when the name of an import is listed, the group's archive is fetched (once,
synchronously: the worker may block), stored under ``/lib/python_more/``, and the module is
imported from it. The finder comes first because a package served on demand may still have a
folder in site-packages (``numpy/random/`` keeps its extension modules there), which Python's
own path finder would otherwise import as an empty namespace package; that folder stays on the
package's ``__path__``, so its extension modules import as before. An archive that holds
extension modules itself (``more/numpy.random.zip``: zipimport cannot load those) is unpacked
into site-packages instead, and imported from there. An archive the worker has already
written to ``/lib/python_more/`` (fetched ahead, once Python was ready) is not fetched again.

An archive that cannot be fetched raises ``ModuleNotFoundError`` naming the module, the
archive and the reason; the next import tries again. A name that is in no archive is left to
Python's own "No module named" error.
"""

import _imp
import importlib.machinery
import os
import sys
import zipfile
import zipimport

ARCHIVE_DIR = "/lib/python_more"
NAMES_FILE = "ondemand.txt"


class OnDemandFinder:
    """A meta path finder for modules in archives fetched when first needed.

    groups: {dotted module name: archive name} (a package by its own name).
    fetch: fetch(archive) -> the bytes of ``<archive>.zip``; raises OSError (or any
    Exception) with the reason when it cannot.
    directory: where archives are written before zipimport reads them.
    where: what the error message calls the archive's location, e.g. its URL.
    unpack_dir: where an archive holding extension modules (``.so``) is unpacked (the
    site-packages folder its members' paths are relative to).
    """

    def __init__(self, groups, fetch, directory=ARCHIVE_DIR, where=None, unpack_dir=None):
        self.groups = dict(groups)
        self._fetch = fetch
        self.directory = directory
        self.where = where or (lambda archive: f"{directory}/{archive}.zip")
        self.unpack_dir = unpack_dir
        self.loaded = set()
        self.unpacked = set()   # archives unpacked into unpack_dir
        self.imported = []  # the names imported on demand, in order (for tests and tools)

    def _ensure(self, name, archive):
        path = f"{self.directory}/{archive}.zip"
        if archive in self.loaded:
            return path
        if not os.path.isfile(path):   # else: fetched ahead
            try:
                data = self._fetch(archive)
            except Exception as error:  # noqa: BLE001 - any failure is reported the same way
                raise ModuleNotFoundError(
                    f"the module {name!r} is served on demand from {self.where(archive)}, which could "
                    f"not be downloaded ({error}); check the connection and run the code again", name=name
                ) from None
            os.makedirs(self.directory, exist_ok=True)
            with open(path + ".part", "wb") as fh:
                fh.write(data)
            os.replace(path + ".part", path)
        with zipfile.ZipFile(path) as zf:
            if self.unpack_dir and any(n.endswith(".so") for n in zf.namelist()):
                zf.extractall(self.unpack_dir)
                self.unpacked.add(archive)
        self.loaded.add(archive)
        return path

    def find_spec(self, fullname, path=None, target=None):
        archive = self.groups.get(fullname)
        if archive is None or _imp.is_frozen(fullname) or fullname in sys.builtin_module_names:
            return None   # (os, codecs, importlib.util... are frozen into Python: no download)
        parent = fullname.rpartition(".")[0]
        prefix = self._ensure(fullname, archive) + "/" + (parent.replace(".", "/") + "/" if parent else "")
        if archive in self.unpacked:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            if spec is not None:
                self.imported.append(fullname)
            return spec
        spec = zipimport.zipimporter(prefix).find_spec(fullname)
        if spec is None:
            return None
        if spec.submodule_search_locations is not None:
            # The package's own folders (where its extension modules and data files are).
            leaf = fullname.rpartition(".")[2]
            for folder in (path or []):
                real = os.path.join(folder, leaf)
                if os.path.isdir(real) and real not in spec.submodule_search_locations:
                    spec.submodule_search_locations.append(real)
        self.imported.append(fullname)
        return spec


def groups_in(archive):
    """{module: archive name} from an archive's ondemand.txt (empty if it has none)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            lines = zf.read(NAMES_FILE).decode().splitlines()
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    return dict(line.split() for line in lines if line.strip())


def browser_fetch(url):
    """The bytes at `url`, by a synchronous request (allowed in a Web Worker); raises OSError."""
    from js import XMLHttpRequest

    request = XMLHttpRequest.new()
    try:
        request.open("GET", url, False)
        request.responseType = "arraybuffer"
        request.send(None)
    except Exception as error:  # noqa: BLE001 - a JsException: the network failed
        raise OSError(f"the request failed: {error}") from None
    if request.status != 200:
        raise OSError(f"HTTP {request.status}")
    return request.response.to_bytes()


def install(base_url, stdlib_archive=None):
    """Serve the archives at `base_url` (``<base_url><archive>.zip``) on demand; returns the
    finder, or None when the standard library lists no module served on demand.

    stdlib_archive: the standard library's archive holding ondemand.txt (default: the one on
    sys.path, /lib/python312.zip).
    """
    stdlib_archive = stdlib_archive or next((p for p in sys.path if p.endswith(".zip")), None)
    groups = groups_in(stdlib_archive) if stdlib_archive else {}
    if not groups:
        return None
    for finder in sys.meta_path:
        if isinstance(finder, OnDemandFinder):
            return finder

    def url(archive):
        return f"{base_url}{archive}.zip"

    import sysconfig

    finder = OnDemandFinder(groups, lambda archive: browser_fetch(url(archive)), where=url,
                            unpack_dir=sysconfig.get_path("purelib"))
    sys.meta_path.insert(0, finder)
    return finder
