"""What Python needs at start, apart from what it may need later (a step of the wheels job).

A first visit downloads every file the worker loads before "ready". The standard library's
compiled archive holds hundreds of modules no page imports, and numpy's wheel holds each module
twice (source in the wheel, bytecode in numpy.pyc.zip) plus type stubs, C headers, static
libraries and f2py. From a trace of what the site's Python imports (scripts/trace_imports.mjs:
the worker's start-up, a cell run through mlpsite.runner, and every module a cell of docs/
imports), this step writes into out/pyodide/:

- ``python_start.zip``: the standard library modules imported (unchecked ``.pyc``, as in
  python_stdlib.pyc.zip), the data files of their packages, and ``ondemand.txt``: the dotted
  names of every module served on demand, each with its archive. The worker loads it as the standard library.
- ``numpy-<version>-1-<tags>.whl`` (build tag 1): numpy's wheel with each module once, as
  sourceless bytecode in place of its source, its extension modules, licences and metadata;
  only the modules imported at start (the others are served on demand).
- ``more/<group>.zip``: every other module of the standard library and of numpy, as bytecode,
  one archive per top-level package of the standard library (``email``, ``xml``...) and per
  subpackage of numpy (``numpy.ma``, ``numpy.polynomial``...), which mlpsite.ondemand fetches
  the first time code imports one of their modules; ``ondemand.txt`` maps each module to its
  archive.

Members are deflated: a host may not compress a zip file, and bytecode deflated member by
member is within 10% of the same archive stored and gzipped whole.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import io
import json
import re
import tempfile
import textwrap
import time
import zipfile
from pathlib import Path

from .atomic import write_atomic
from .bytecode import COMPILED_STDLIB
from .common import ROOT, AssetError, Context, log, run_tool
from .stamps import Stamp, inputs_key

START = "python_start.zip"
MORE = "more"   # a folder of out/pyodide: one archive per group of modules
NAMES_FILE = "ondemand.txt"   # mlpsite.ondemand.NAMES_FILE
TRACE_SCRIPT = ROOT / "scripts" / "trace_imports.mjs"
DOCS = ROOT / "docs"
STDLIB_PREFIX = "/lib/python312.zip/"
SITE_PACKAGES = "/lib/python3.12/site-packages/"
# numpy files no import needs: type stubs, C headers and sources, static libraries, f2py
# (a Fortran wrapper generator: needs a compiler), pkg-config files, documentation.
NUMPY_DROP = re.compile(r"(\.(pyi|h|c|pxd|pyx|a|pc|ini|template|build|rst|md|cfg)$)"
                        r"|^numpy/f2py/|/include/|^numpy/_core/lib/|^numpy/_pyinstaller/")
# numpy subpackages served after start even though the site imports them: their extension
# modules are a fifth of numpy's wheel, and neither `import numpy` nor `import mlp` needs
# them (a network's first weights do: the worker fetches them once Python is ready, with the
# data, before the first run; src/runtime/runtime.js PREFETCH). Their archive holds their
# extension modules, so mlpsite.ondemand unpacks it into site-packages.
DEFERRED = ("numpy.random", "numpy.fft")
CELL_FENCE = re.compile(r"^([ \t]*)```\{\.python \.cell[^}]*\}\n(.*?)^\1```", re.S | re.M)


def owns(file_name: str) -> bool:
    return file_name == START or bool(re.match(r"numpy-[^-]+-1-", file_name))


def cell_imports(docs: Path = DOCS) -> list[str]:
    """Every module a cell of docs/ imports (absolute imports, each prefix of a dotted name)."""
    names = set()
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    for page in sorted(docs.rglob("*.md")):
        for _indent, code in CELL_FENCE.findall(page.read_text(encoding="utf-8")):
            try:
                tree = compile(textwrap.dedent(code), str(page), "exec", flags)
            except SyntaxError:
                continue  # a cell that is wrong on purpose
            for node in ast.walk(tree):
                found = []
                if isinstance(node, ast.Import):
                    found = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found = [node.module]
                for name in found:
                    parts = name.split(".")
                    names.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(names)


def _pyc_name(path: str) -> str:
    return path + "c" if path.endswith(".py") else path


def _record(files: dict[str, bytes], dist_info: str) -> bytes:
    lines = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        lines.append(f"{name},sha256={digest},{len(data)}")
    lines.append(f"{dist_info}/RECORD,,")
    return ("\n".join(lines) + "\n").encode()


def _write_zip(path: Path, files: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])
    write_atomic(path, buf.getvalue())


def split(stdlib_zip: Path, numpy_wheel: Path, numpy_pyc: Path, used: set[str], dest: Path) -> Path:
    """Write START, MORE and the trimmed numpy wheel into dest; returns the wheel's path."""
    start, more = {}, {}   # more: archive name -> {member: bytes}
    kept_dirs = {STDLIB_PREFIX + p.rpartition("/")[0] for p in (u[len(STDLIB_PREFIX):] for u in used
                                                                if u.startswith(STDLIB_PREFIX))}
    more_names = []
    with zipfile.ZipFile(stdlib_zip) as zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name, data = info.filename, zf.read(info)
            full = STDLIB_PREFIX + name
            if name.endswith(".pyc"):
                if full[:-1] in used or full in used:
                    start[name] = data
                else:
                    module = _module_name(name)
                    more.setdefault(_group(module), {})[name] = data
                    more_names.append(module)
            elif full.rpartition("/")[0] in kept_dirs or "/" not in name:
                start[name] = data  # a data file of a package that is imported
            else:
                more.setdefault(_group(_module_name(name)), {})[name] = data

    wheel_files = {}
    with zipfile.ZipFile(numpy_wheel) as whl, zipfile.ZipFile(numpy_pyc) as pyc:
        compiled = {n: pyc.read(n) for n in pyc.namelist() if n.endswith(".pyc")}
        dist_info = next(n.split("/")[0] for n in whl.namelist() if n.split("/")[0].endswith(".dist-info"))
        for info in whl.infolist():
            name = info.filename
            if info.is_dir() or name.endswith("/RECORD") or NUMPY_DROP.search(name):
                continue
            deferred = next((g for g in DEFERRED if name.startswith(g.replace(".", "/") + "/")), None)
            if deferred and not name.endswith(".py"):
                more.setdefault(deferred, {})[name] = whl.read(info)
                continue
            if name.endswith(".py"):
                folder, _, base = name.rpartition("/")
                cached = f"{folder}/__pycache__/{base[:-3]}.cpython-312.pyc"
                if cached not in compiled:
                    raise AssetError(f"{numpy_pyc.name} has no bytecode of {name}")
                # A checked .pyc loaded without its source is loaded as it is (SourcelessFileLoader).
                if SITE_PACKAGES + name in used and not deferred:
                    wheel_files[name + "c"] = compiled[cached]
                else:
                    module = _module_name(name + "c")
                    more.setdefault(_group(module), {})[name + "c"] = compiled[cached]
                    more_names.append(module)
            else:
                wheel_files[name] = whl.read(info)
    wheel_files[f"{dist_info}/RECORD"] = _record(wheel_files, dist_info)
    # Data files of a folder that holds no module served on demand (site-packages/README.txt)
    # stay with the standard library.
    module_groups = {_group(m) for m in more_names}
    for group in [g for g in more if g not in module_groups]:
        start.update(more.pop(group))
    start[NAMES_FILE] = "".join(f"{m} {_group(m)}\n" for m in sorted(set(more_names))).encode()

    parts = numpy_wheel.name.split("-")
    trimmed = dest / "-".join([parts[0], parts[1], "1", *parts[2:]])
    for old in dest.glob(f"{parts[0]}-{parts[1]}-1-*.whl"):
        if old != trimmed:
            old.unlink()
    _write_zip(dest / START, start)
    more_dir = dest / MORE
    more_dir.mkdir(exist_ok=True)
    for old in more_dir.glob("*.zip"):
        if old.stem not in more:
            old.unlink()
    for group, files in more.items():
        _write_zip(more_dir / f"{group}.zip", files)
    _write_zip(trimmed, wheel_files)
    return trimmed


def _group(module: str) -> str:
    """The archive of an on-demand module: its top-level package, or numpy's subpackage."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "numpy" and len(parts) > 1 else parts[0]


def _module_name(pyc_path: str) -> str:
    name = pyc_path[:-4].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def build(ctx: Context, numpy_wheel: Path, ours: list[Path]) -> Path:
    """The trimmed runtime in out/pyodide; returns the served numpy wheel."""
    dest = ctx.out / "pyodide"
    stdlib = dest / COMPILED_STDLIB
    numpy_pyc = dest / "numpy.pyc.zip"
    bytecode = [dest / f"{p.name.split('-')[0]}.pyc.zip" for p in ours]
    imports = cell_imports()
    key = inputs_key(stdlib, numpy_wheel, numpy_pyc, *ours, *bytecode, TRACE_SCRIPT, Path(__file__),
                     "\n".join(imports), base=dest)
    stamp = Stamp(ctx.stamps / "trim.json")
    served = sorted(dest.glob("numpy-*-1-*.whl"))
    outputs = [dest / START, dest / MORE, *served]   # (the folder MORE: every file in it)
    if len(served) == 1 and all(p.exists() for p in outputs) and not ctx.force \
            and stamp.fresh(inputs_key(key, *outputs, base=dest)):
        return served[0]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="trace-") as tmp:
        names = Path(tmp) / "imports.json"
        names.write_text(json.dumps(imports))
        out = Path(tmp) / "trace.json"
        run_tool(["node", TRACE_SCRIPT, stdlib, names, out, numpy_wheel, *ours, numpy_pyc, *bytecode],
                 f"tracing the imports of the site's Python (node {TRACE_SCRIPT.name})")
        trace = json.loads(out.read_text())
    missing = {m: e for m, e in trace["failed"].items() if m != "page"}
    if missing:
        log("imports of cells that fail outside the browser: "
            + ", ".join(f"{m} ({e})" for m, e in sorted(missing.items())))
    trimmed = split(stdlib, numpy_wheel, numpy_pyc, set(trace["files"]), dest)
    stamp.write(inputs_key(key, dest / START, dest / MORE, trimmed, base=dest))
    more = sorted((dest / MORE).glob("*.zip"))
    sizes = (", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in (dest / START, trimmed))
             + f"; {len(more)} archives on demand, {sum(p.stat().st_size for p in more) / 1e6:.2f} MB")
    log(f"trimmed the runtime: {sizes} ({time.perf_counter() - t0:.1f} s)")
    return trimmed
