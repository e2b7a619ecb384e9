"""Writing files so that nothing is lost, checking output paths before the work starts,
and naming and opening the ``.npz`` files that :mod:`mlp.data` and :mod:`mlp.serialization` read.

:func:`atomic_write` writes to a temporary file in the target's folder and moves
it over the target with ``os.replace`` only once it is complete: a failure or a
kill mid-write (a full disk, a size limit, Ctrl-C) leaves the old file as it was,
and no reader ever sees half a file. ``os.replace`` is atomic within one file
system on POSIX and Windows, which is why the temporary file lives in the same
folder. The build has its own (scripts/assets/atomic.py says why).
"""

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path, mode="wb", encoding=None):
    """Open a temporary file to write ``path`` in full, then replace ``path`` with it.

    Usage: ``with atomic_write("w.npz") as f: f.write(data)``.

    Parameters
    ----------
    path : str or os.PathLike
        The file to create or replace. Its folder must exist.
    mode : {"wb", "w"}
        Binary or text.
    encoding : str, optional
        For text mode (default UTF-8).

    The new file gets the old file's permission bits, or for a new file the
    usual ``0o666`` less the umask (``tempfile`` would make it ``0o600``).
    If the ``with`` block raises, the temporary file is removed, ``path`` is
    untouched and the exception propagates.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"mode must be 'wb' or 'w'; got {mode!r}")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(fd, mode, encoding=encoding or ("utf-8" if mode == "w" else None)) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path):
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`atomic_write`."""
    with atomic_write(path, "w") as f:
        f.write(text)


def check_output_path(path):
    """Check, before any work, that ``path`` can be written; return it as a ``Path``.

    Checks that the path is not empty, its directory exists, it is not a directory
    itself nor a device or other special file (replacing ``/dev/full`` would
    replace the device), and the folder accepts a new file (tried for real by
    creating and removing an empty temporary file, which also catches read-only
    file systems, where permission bits say nothing).

    Raises
    ------
    ValueError
        One line naming the path or its directory and what is wrong.
    """
    if not str(path).strip():
        raise ValueError("the path is empty; give a file name")
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"directory {folder} does not exist")
    if path.is_dir():
        raise ValueError(f"{path} is a directory; give a file name inside it")
    if path.exists() and not path.is_file():
        raise ValueError(f"{path} is not a regular file (a device or other special file); give a file name")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise ValueError(f"cannot write in directory {folder} ({e.strerror or e})") from None
    os.close(fd)
    os.unlink(tmp)
    return path


ZIP_MAGIC = b"PK\x03\x04"  # how every .npz file (a zip archive) starts


def file_name(file) -> str:
    """How messages name ``file``: its path, or ``<BytesIO>`` for a file object or bytes."""
    return str(file) if isinstance(file, (str, os.PathLike)) else f"<{type(file).__name__}>"


def npz_source(file):
    """``(name, source)`` for ``np.load``: a path, a binary file, or bytes (wrapped in ``io.BytesIO``).

    Raises ``FileNotFoundError`` naming the path when it is not a file. Whether the source is an
    ``.npz`` at all is the caller's check (:func:`is_zip`), since its message depends on what
    the file should hold.
    """
    source = io.BytesIO(file) if isinstance(file, (bytes, bytearray, memoryview)) else file
    if isinstance(source, (str, os.PathLike)) and not Path(source).is_file():
        raise FileNotFoundError(f"{file_name(file)}: no such file")
    return file_name(file), source


def is_zip(source):
    """Whether a path or seekable binary file starts like a zip archive, as ``.npz`` files do.

    A file object is left at the position it had. ``OSError`` (e.g. permission
    denied) propagates for a path.
    """
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return f.read(4) == ZIP_MAGIC
    start = source.tell()
    head = source.read(4)
    source.seek(start)
    return head == ZIP_MAGIC
