"""Runs code for the page inside the site's Python worker (src/runtime/worker.js).

- :func:`run`: cell code, one namespace per scope (the cells of a page share one); output
  streams go to the page line by line; errors come back as a traceback without Pyodide's
  own frames.
- :func:`call`: a named function of a module with keyword arguments (``runtime.call``),
  its value handed back as plain data.
"""

import builtins
import contextlib
import importlib
import inspect
import io
import json
import linecache
import sys
import time
import traceback

try:  # the bridge to the page, present only inside the site's Python worker
    import _cells_js
except ImportError:
    _cells_js = None

MAX_REPR = 20_000
namespaces = {}


class PageStream(io.TextIOBase):
    """A text stream sent to the page, line-buffered like a terminal.

    Text reaches the page at every newline, on flush(), before sleeping and when the
    run ends: the worker cannot run timers while Python is busy.
    """

    def __init__(self, name):
        super().__init__()
        self.name = name
        self._parts = []
        self._size = 0

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._parts.append(text)
            self._size += len(text)
            if "\n" in text or self._size > 8192:
                self.flush()
        return len(text)

    def flush(self):
        if self._parts:
            text = "".join(self._parts)
            self._parts.clear()
            self._size = 0
            if _cells_js is None:
                getattr(sys, f"__{self.name}__").write(text)
            else:
                _cells_js.post_stream(self.name, text)


stdout = PageStream("stdout")
stderr = PageStream("stderr")


def flush_all():
    stdout.flush()
    stderr.flush()


def _no_keyboard(what):
    return RuntimeError(f"{what} cannot read from the keyboard in these cells; "
                        "assign the value in the code instead, e.g. answer = '42'")


def _no_input(prompt=""):
    raise _no_keyboard("input()")


class NoStdin(io.TextIOBase):
    """``sys.stdin`` of the cells: open, not a terminal, and every read says why it cannot be.

    Pyodide's own stdin in a worker calls the browser's ``prompt()``, which workers lack.
    """

    name = "<stdin>"

    def readable(self):
        return True

    def isatty(self):
        return False

    def read(self, size=-1):
        raise _no_keyboard("sys.stdin.read()")

    def readline(self, size=-1):
        raise _no_keyboard("sys.stdin.readline()")

    def readlines(self, hint=-1):
        raise _no_keyboard("sys.stdin.readlines()")


stdin = NoStdin()


_sleep = time.sleep


def _sleep_flushing(seconds):
    # Text printed before a pause shows during the pause, as in a terminal.
    flush_all()
    _sleep(seconds)


class _Exit:
    """``exit()`` and ``quit()`` in a cell: they end the cell's code with ``SystemExit``.

    The interpreter's own versions also close ``sys.stdin``, which would break ``help()``
    and anything else reading it until Python restarts.
    """

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Use {self.name}() to end the code of this cell; Python itself keeps running."

    def __call__(self, code=None):
        raise SystemExit(code)


def install():
    """Route the streams to the page (called once when the worker starts)."""
    sys.stdout, sys.stderr, sys.stdin = stdout, stderr, stdin
    builtins.input = _no_input
    builtins.exit, builtins.quit = _Exit("exit"), _Exit("quit")
    time.sleep = _sleep_flushing


@contextlib.contextmanager
def interruptible():
    """The block in which Stop (the page's interrupt buffer) can raise ``KeyboardInterrupt``.

    Python takes an interrupt at its next check, wherever it is. Outside the reader's code (the
    asyncio task that drives a run, the lines that set it up, the report of its result) the
    exception would escape :func:`run` and :func:`call`, and the worker would take it for a
    failure of Python itself and restart it: the variables would be lost. So interrupts are on
    only here, inside the ``try`` that reports them; a Stop that comes before it waits there.
    """
    if _cells_js is not None:
        _cells_js.interrupts(True)
    try:
        yield
    finally:
        if _cells_js is not None:
            _cells_js.interrupts(False)


def namespace(scope):
    ns = namespaces.get(scope)
    if ns is None:
        ns = namespaces[scope] = {"__name__": "__main__", "__builtins__": builtins}
    return ns


def drop(scope):
    namespaces.pop(scope, None)


def _ours(frame):
    name = frame.filename
    if name in ("<exec>", __file__) or name.endswith("/mlpsite/runner.py"):
        return False
    # Pyodide's own modules: /lib/python312.zip/_pyodide/..., .../pyodide/code.py, ...
    return "/_pyodide/" not in name and "/pyodide/" not in name


def _strip(te, seen):
    # The exception and those chained to it, without the frames of the machinery.
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    te.stack = traceback.StackSummary.from_list([f for f in te.stack if _ours(f)])
    _strip(te.__cause__, seen)
    _strip(te.__context__, seen)
    for sub in getattr(te, "exceptions", None) or ():
        _strip(sub, seen)


def format_exception(error):
    te = traceback.TracebackException(type(error), error, error.__traceback__, compact=True)
    _strip(te, set())
    return "".join(te.format())


def _short_repr(value):
    try:
        text = repr(value)
    except Exception as error:  # noqa: BLE001 - a broken __repr__ is the user's code
        return f"<repr failed: {type(error).__name__}: {error}>"
    if len(text) > MAX_REPR:
        text = text[:MAX_REPR] + f"\n... ({len(text) - MAX_REPR} more characters)"
    return text


# What the site's Python has, for the hint under a ModuleNotFoundError.
SITE_MODULES = ("numpy", "mlp", "mlpsite", "page")
MISSING_MODULE_HINT = (
    "This site's Python has NumPy, mlp and page (plus the standard library), and no other package: "
    "draw with page.chart, page.bars, page.heatmap or page.digits instead of matplotlib, "
    "and use NumPy arrays instead of pandas.")
MISSING_STDLIB_HINT = (
    "{name} is part of Python's standard library, but not of the browser's Python (Pyodide) that "
    "runs these cells; the rest of the standard library, NumPy, mlp and page are here.")
ONE_THREAD_HINT = (
    "Python here runs in one browser thread, so threads and processes are not available: "
    "do the work in a plain loop, or with NumPy operations on whole arrays (vectorisation).")
# The C modules behind multiprocessing and subprocess, absent from Pyodide.
PROCESS_MODULES = ("_multiprocessing", "_posixshmem", "_posixsubprocess")


def _raised_in(error, packages):
    # Whether a frame of the traceback belongs to one of `packages` (e.g. "multiprocessing").
    tb = error.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_globals.get("__name__") or ""
        if name.partition(".")[0] in packages:
            return True
        tb = tb.tb_next
    return False


def _concurrency(error):
    """Whether ``error`` says that a thread or a process could not be started."""
    if isinstance(error, ModuleNotFoundError):
        return (error.name or "").partition(".")[0] in PROCESS_MODULES
    if isinstance(error, RuntimeError):
        return str(error) == "can't start new thread"
    # Process creation: os.fork() is "Function not implemented", subprocess "emscripten does
    # not support processes".
    return isinstance(error, OSError) and _raised_in(error, ("multiprocessing", "subprocess", "concurrent"))


def hint(error):
    """One plain line for the reader under the traceback, or None.

    A NumPy shape mismatch gets :func:`mlpsite.shapes.explain`'s line; importing a package
    the site does not have (matplotlib, pandas, ...) gets what to use instead, a module of the
    standard library Pyodide leaves out says so, and a thread or process that cannot start
    (threading, concurrent.futures, multiprocessing, subprocess) gets :data:`ONE_THREAD_HINT`.
    """
    try:
        if _concurrency(error):
            return ONE_THREAD_HINT
        if isinstance(error, ModuleNotFoundError):
            top = (error.name or "").partition(".")[0]
            if not top or top in SITE_MODULES:
                return None
            return MISSING_STDLIB_HINT.format(name=top) if top in sys.stdlib_module_names else MISSING_MODULE_HINT
        from mlpsite.shapes import explain

        return explain(error)
    except Exception:  # noqa: BLE001 - a hint must never hide the error itself
        return None


def error_report(error):
    """``{type, message, traceback, hint?}`` of an exception raised by cell code."""
    report = {"type": type(error).__name__, "message": str(error), "traceback": format_exception(error)}
    line = hint(error)
    if line:
        report["hint"] = line
    return report


async def run(code, scope, filename):
    """Run ``code`` in the namespace of ``scope``; a JSON result for the page."""
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    ns = namespace(scope)
    sys.stdout, sys.stderr, sys.stdin = stdout, stderr, stdin  # in case earlier code replaced them
    try:
        from pyodide.code import eval_code_async  # only in the browser

        with interruptible():
            value = await eval_code_async(code, globals=ns, filename=filename)
    except BaseException as error:  # noqa: BLE001 - KeyboardInterrupt and SystemExit included
        flush_all()
        result = {"ok": False, "error": error_report(error)}
    else:
        flush_all()
        result = {"ok": True}
        if value is not None:
            result["value"] = _short_repr(value)
            flush_all()  # a __repr__ may print
    return json.dumps(result)


# Errors whose message is for the reader: no traceback with them.
READER_ERRORS = (ValueError,)  # mlpsite.lab.LabError included


def _from_js(value):
    """Arguments as Python sees them: JavaScript bytes (memoryview after ``to_py``) -> bytes."""
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, dict):
        return {k: _from_js(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_js(v) for v in value]
    return value


def _function(module, name):
    if not isinstance(module, str) or not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
        raise ValueError(f"call: {module!r}.{name!r} is not a module and public function name")
    fn = getattr(importlib.import_module(module), name, None)
    if not callable(fn):
        raise AttributeError(f"module {module!r} has no function {name!r}")
    return fn


async def call(module, name, kwargs=None):
    """Call ``module.name(**kwargs)`` (awaited if it returns an awaitable) for the page.

    ``kwargs`` is a dict (or, in the worker, a JavaScript object whose ``to_py()`` gives one;
    JavaScript bytes arrive as :class:`bytes`). Returns ``{"ok": True, "value": value}``, or
    ``{"ok": False, "error": {"type", "message", "traceback"}}`` when the function raises; the
    traceback is empty for ``ValueError`` (messages meant for the reader, such as LabError).
    Nothing is raised: the worker turns a failure into a rejected promise.
    """
    try:
        if kwargs is not None and hasattr(kwargs, "to_py"):
            kwargs = kwargs.to_py()
        kwargs = _from_js(kwargs or {})
        if not isinstance(kwargs, dict):
            raise TypeError(f"call: keyword arguments must be an object, got {type(kwargs).__name__}")
        fn = _function(module, name)
        with interruptible():
            value = fn(**kwargs)
            if inspect.isawaitable(value):
                value = await value
    except BaseException as error:  # noqa: BLE001 - reported to the page, KeyboardInterrupt included
        flush_all()
        trace = "" if isinstance(error, READER_ERRORS) else format_exception(error)
        return {"ok": False, "error": {"type": type(error).__name__, "message": str(error), "traceback": trace}}
    flush_all()
    return {"ok": True, "value": value}
