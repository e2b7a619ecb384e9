"""Job "kernel": the SIMD matrix product for Pyodide, kernels/gemm.c compiled into mlp/.

Two builds: mlp/_kernel_relaxed.wasm uses relaxed SIMD's fused multiply-add (Chrome 114 and
later), mlp/_kernel.wasm plain 128-bit SIMD for the other engines; mlp loads the first that
the browser accepts.

The compiler is the clang inside the PyPI package ``ziglang`` (``python -m ziglang cc``),
which ``scripts/setup`` installs with the docs extra: no system toolchain is needed. The
output is generated (git ignores it) and ships in the mlp wheel as package data, so this job
runs before "wheels"; mlp loads it only inside Pyodide (mlp/_kernel.py).

The module imports Pyodide's own memory and works on NumPy's buffers in place, so it must
own no memory of its own: :func:`check_module` refuses a build that has data segments, a
start function, an import other than the memory, or code that uses the stack pointer
(the linker places a stack at a low address that, in Pyodide's memory, belongs to Python).
"""

from __future__ import annotations

import sys
import tempfile
from importlib import metadata
from pathlib import Path

from .atomic import write_atomic
from .common import ROOT, AssetError, Context, log, rel, run_tool
from .stamps import Stamp, inputs_key

SOURCE = ROOT / "kernels" / "gemm.c"
OUTPUT = ROOT / "mlp" / "_kernel.wasm"
# Each output and its extra flags: -mrelaxed-simd lets relaxed_madd become one instruction.
VARIANTS = {OUTPUT: [], ROOT / "mlp" / "_kernel_relaxed.wasm": ["-mrelaxed-simd"]}
EXPORTS = ("sgemm", "dgemm")

# -msimd128: the 128-bit SIMD proposal, in every current browser (Chrome 91, Firefox 89,
# Safari 16.4). -g0: zig cc adds debug info by default. --import-memory: work in the
# caller's memory; stack-size=0: the code uses no stack (check_module verifies), so the
# module asks for no memory beyond what it is given; --no-entry: a library, no main.
CFLAGS = ["--target=wasm32-freestanding", "-O3", "-msimd128", "-nostdlib", "-ffreestanding", "-g0"]
LDFLAGS = ["-Wl,--no-entry", "-Wl,--import-memory", "-Wl,-z,stack-size=0", "-Wl,--strip-all"]


def zig_version() -> str:
    """The installed ziglang's version; AssetError when it is not installed."""
    try:
        return metadata.version("ziglang")
    except metadata.PackageNotFoundError:
        raise AssetError("the PyPI package ziglang (the compiler of the SIMD kernel) is not installed: "
                         "run ./scripts/setup (it is in mlp's docs extra)") from None


def _zig(args: list, what: str) -> None:
    zig_version()
    run_tool([sys.executable, "-m", "ziglang", "cc", *args], what)


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
        raise AssetError("not a WebAssembly 1.0 module")
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
    the stack pointer wherever code uses it. Raises :class:`AssetError`.
    """
    sections = module_sections(wasm)
    if 11 in sections or 12 in sections:
        raise AssetError("the kernel has data segments: they would overwrite Pyodide's memory")
    if 8 in sections:
        raise AssetError("the kernel has a start function")
    imports = sections.get(2, b"")
    count, i = _leb128(imports, 0) if imports else (0, 0)
    first = None
    if count:
        module, i = _name(imports, i)
        field, i = _name(imports, i)
        first = (module, field, imports[i])  # kind 2: a memory
    if (count, first) != (1, ("env", "memory", 2)):
        raise AssetError(f"the kernel must import only env.memory; it imports {count} items, first {first}")
    if "__stack_pointer" in assembly:
        raise AssetError("the kernel's code uses the stack, which would lie in Pyodide's memory")


def compile_kernel(dest: Path = OUTPUT, source: Path = SOURCE, flags=()) -> Path:
    """Compile ``source`` with extra ``flags`` to ``dest`` (written atomically) after :func:`check_module`."""
    cflags = [*CFLAGS, *flags]
    with tempfile.TemporaryDirectory(prefix="mlp-kernel-") as tmp:
        wasm, asm = Path(tmp) / "kernel.wasm", Path(tmp) / "kernel.s"
        exports = [f"-Wl,--export={name}" for name in EXPORTS]
        _zig([*cflags, *LDFLAGS, *exports, "-o", wasm, source], f"compiling {rel(source)} to WebAssembly")
        _zig([*cflags, "-S", "-o", asm, source], f"compiling {rel(source)} to assembly (for the checks)")
        data = wasm.read_bytes()
        check_module(data, asm.read_text(errors="replace"))
    write_atomic(Path(dest), data)
    return Path(dest)


def build(ctx: Context) -> None:
    """The VARIANTS, compiled again only when the source, the flags or the compiler change."""
    key = inputs_key(SOURCE, Path(__file__), zig_version())
    stamp = Stamp(ctx.stamps / "kernel.json")
    # The outputs are part of what the stamp records: a damaged or deleted one is made again.
    if not ctx.force and all(p.exists() for p in VARIANTS) and stamp.fresh(inputs_key(key, *VARIANTS)):
        return
    for dest, flags in VARIANTS.items():
        compile_kernel(dest, flags=flags)
        log(f"compiled {rel(dest)} ({dest.stat().st_size:,} bytes)")
    stamp.write(inputs_key(key, *VARIANTS))

