"""Memory: how much a job needs, how much this process may use, and the check between them.

The same rule for the CLI, the lab and library code: :class:`mlp.Network` and
:func:`mlp.load` refuse a network too large to allocate (``mlp`` installs
:func:`check_memory` as the network's memory check when it is imported), and the CLI
refuses a training run too large for memory before it reads the data. The message
names the job, what it needs and what is available, so any front end can show it.
"""

import os
import sys

import numpy as np

from ..chunks import EVAL_CHUNK
from ..layers import parameter_count

WASM_MEMORY = 2 * 1024**3  # what a browser tab's Python (32-bit WebAssembly) can use at most, about


class MemoryLimitError(ValueError):
    """A job needs more memory than is available (see :func:`check_memory`)."""


def format_bytes(n):
    """``1536`` -> ``"1.5 KB"``; binary multiples, named KB, MB, GB, TB, PB."""
    n = float(n)
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} PB"


def available_memory():
    """Bytes of memory this process may use, or None if unknown.

    ``$MLP_MEMORY_LIMIT`` (bytes) if set; in the browser, the 32-bit WebAssembly
    limit; else ``MemAvailable`` of ``/proc/meminfo`` (Linux), else the physical
    memory from ``os.sysconf``.
    """
    limit = os.environ.get("MLP_MEMORY_LIMIT")
    if limit:
        try:
            return int(limit)
        except ValueError:
            raise ValueError(f"MLP_MEMORY_LIMIT must be a number of bytes; got {limit!r}") from None
    if sys.platform == "emscripten":
        return WASM_MEMORY
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


def training_memory(sizes, dtype="float32", batch_size=128, state_copies=2):
    """Estimated bytes to train a network of layer widths ``sizes``, from the shapes alone.

    The parameters, their gradients and ``state_copies`` optimiser arrays (Adam
    keeps two, momentum one), plus per layer three arrays of one batch (its input
    and activation, kept for the backward pass, and the gradient), plus one
    evaluation pass of :data:`EVAL_CHUNK` rows through the widest layer.
    """
    item = np.dtype(dtype).itemsize
    sizes = [int(s) for s in sizes]
    params = parameter_count(sizes) * (2 + state_copies)
    batch = 3 * batch_size * sum(sizes)
    evaluation = 2 * EVAL_CHUNK * max(sizes)
    return (params + batch + evaluation) * item


def check_memory(nbytes, what):
    """Refuse a job that needs more memory than :func:`available_memory`.

    ``what`` describes the job: "training a 784-3000000-10 network (float32)".

    Raises
    ------
    MemoryLimitError
        A ``ValueError``: ``"<what> needs about 28.4 GB of memory; at most 20.8 GB is available"``.
    """
    limit = available_memory()
    if limit is not None and nbytes > limit:
        raise MemoryLimitError(f"{what} needs about {format_bytes(nbytes)} of memory; at most "
                         f"{format_bytes(limit)} is available")
    return nbytes
