#!/usr/bin/env python3
"""Job "kernel": the SIMD matrix-product kernel (kernels/gemm.c) compiled to mlp/_kernel.wasm.

The compiler is the clang inside the PyPI package ``ziglang`` (``python -m ziglang cc``),
which ``scripts/setup`` installs with the docs extra: no system toolchain is needed. The
file is generated (git ignores it) and ships in the mlp wheel as package data; mlp loads
it only inside Pyodide (mlp/_kernel.py).

The module imports Pyodide's own memory and works on NumPy's buffers in place, so it must
own no memory of its own: :func:`check_module` refuses a build that has data segments, a
start function, an import other than the memory, or code that uses the stack pointer
(the linker places a stack at a low address that, in Pyodide's memory, belongs to Python).

    python scripts/assets/kernel.py [--force] [--out PATH]

It runs before the job "wheels", whose mlp wheel ships the file. Imports are absolute (the
package `assets` is installed), so that the tests can load this file by its path.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from assets.atomic import write_atomic
from assets.common import ROOT, AssetError, Context, log, rel
from assets.stamps import Stamp, inputs_key

SOURCE = ROOT / "kernels" / "gemm.c"
OUTPUT = ROOT / "mlp" / "_kernel.wasm"
EXPORTS = ("sgemm", "dgemm")

# -msimd128: the 128-bit SIMD proposal, in every current browser (Chrome 91, Firefox 89,
# Safari 16.4). -g0: zig cc adds debug info by default. --import-memory: work in the
# caller's memory; stack-size=0: the code uses no stack (check_module verifies), so the
# module asks for no memory beyond what it is given; --no-entry: a library, no main.
CFLAGS = ["--target=wasm32-freestanding", "-O3", "-msimd128", "-nostdlib", "-ffreestanding", "-g0"]
LDFLAGS = ["-Wl,--no-entry", "-Wl,--import-memory", "-Wl,-z,stack-size=0", "-Wl,--strip-all"]


class KernelError(AssetError):
    """The kernel did not compile, or the module is not safe to run in Pyodide's memory."""


def _compile(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-m", "ziglang", "cc", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        missing = "No module named" in proc.stderr
        hint = " (install it with ./scripts/setup: ziglang is in the docs extra)" if missing else ""
        raise KernelError(f"compiling {SOURCE.name} failed{hint}:\n{proc.stderr.strip()[-2000:]}")


def _leb128(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def _name(data: bytes, i: int) -> tuple[str, int]:
    size, i = _leb128(data, i)
    return data[i:i + size].decode(), i + size


def module_sections(wasm: bytes) -> dict[int, bytes]:
    """The sections of a WebAssembly binary by id (custom sections, id 0, are dropped)."""
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise KernelError("not a WebAssembly 1.0 module")
    sections, i = {}, 8
    while i < len(wasm):
        sid, size_at = wasm[i], i + 1
        size, i = _leb128(wasm, size_at)
        if sid:
            sections[sid] = wasm[i:i + size]
        i += size
    return sections


def check_module(wasm: bytes, assembly: str) -> None:
    """Refuse a module that could write outside the arrays it is given (see the module docstring).

    ``assembly`` is the compiler's assembly output for the same source and flags: it names
    the stack pointer wherever code uses it. Raises :class:`KernelError`.
    """
    sections = module_sections(wasm)
    if 11 in sections or 12 in sections:
        raise KernelError("the kernel has data segments: they would overwrite Pyodide's memory")
    if 8 in sections:
        raise KernelError("the kernel has a start function")
    imports = sections.get(2, b"")
    count, i = _leb128(imports, 0) if imports else (0, 0)
    first = None
    if count:
        module, i = _name(imports, i)
        field, i = _name(imports, i)
        first = (module, field, imports[i])  # kind 2: a memory
    if (count, first) != (1, ("env", "memory", 2)):
        raise KernelError(f"the kernel must import only env.memory; it imports {count} items, first {first}")
    if "__stack_pointer" in assembly:
        raise KernelError("the kernel's code uses the stack, which would lie in Pyodide's memory")


def compile_kernel(dest: Path = OUTPUT, source: Path = SOURCE) -> Path:
    """Compile ``source`` to ``dest`` (written atomically) after :func:`check_module`."""
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="mlp-kernel-") as tmp:
        wasm, asm = Path(tmp) / "kernel.wasm", Path(tmp) / "kernel.s"
        exports = [f"-Wl,--export={name}" for name in EXPORTS]
        _compile([*CFLAGS, *LDFLAGS, *exports, "-o", str(wasm), str(source)])
        _compile([*CFLAGS, "-S", "-o", str(asm), str(source)])
        data = wasm.read_bytes()
        check_module(data, asm.read_text(errors="replace"))
    write_atomic(dest, data)
    return dest


def build(ctx: Context, dest: Path = OUTPUT) -> Path:
    """:func:`compile_kernel`, skipped while the source, this file (its flags) and the output are the same."""
    key = inputs_key(SOURCE, Path(__file__))
    stamp = Stamp(ctx.stamps / "kernel.json")
    if not ctx.force and dest.exists() and stamp.fresh(inputs_key(key, dest)):
        return dest
    compile_kernel(dest)
    stamp.write(inputs_key(key, dest))
    log(f"compiled {rel(dest)} ({dest.stat().st_size} bytes)")
    return dest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUTPUT, help="the .wasm to write (mlp/_kernel.wasm)")
    ap.add_argument("--force", action="store_true", help="compile even if nothing changed")
    args = ap.parse_args(argv)
    try:
        build(Context(force=args.force), args.out.resolve())
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
