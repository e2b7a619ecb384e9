"""One plain line under a NumPy shape error: the operand shapes and what had to match.

``explain(error)`` reads the shapes from NumPy's message and the failing expression from the
traceback: Python 3.11+ records the exact columns of the instruction that raised, so the
expression is known, not guessed. Operands that are plain names, attributes, ``.T`` or
constant subscripts (``W2``, ``net.W[0]``, ``A1.T``) are evaluated again in the failing
frame to get their shapes; anything else (a call, say) is never evaluated, and the line then
uses only what NumPy's message states.

    >>> explain(error)   # after  dA1 = dZ2 @ W2  with W2 of shape (64, 10)
    '(128, 10) @ (64, 10): the inner sizes 10 and 64 differ; did you mean W2.T?'
"""

from __future__ import annotations

import ast
import linecache
import re
import traceback

# NumPy 2.0's messages (numpy/_core/src/umath/ufunc_object.c and multiarray/common.c).
_MATMUL = re.compile(r"^matmul: Input operand 1 has a mismatch in its core dimension 0.*"
                     r"\(size (?P<right>\d+) is different from (?P<left>\d+)\)")
_DOT = re.compile(r"^shapes (?P<a>\([\d,\s]*\)) and (?P<b>\([\d,\s]*\)) not aligned")
_BROADCAST = re.compile(r"^operands could not be broadcast together with shapes "
                        r"(?P<a>\([\d,\s]*\)) (?P<b>\([\d,\s]*\))")
_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@"}
_SAFE = (ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Slice, ast.Tuple,
         ast.UnaryOp, ast.USub, ast.Load)


def _shape(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text))


def _fmt(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


def _failing_expression(error: BaseException):
    """(the innermost frame with source, the parsed expression that raised) or (None, None)."""
    tb, frames = error.__traceback__, []
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    summaries = traceback.extract_tb(error.__traceback__)
    for tb, fs in reversed(list(zip(frames, summaries))):
        if fs.colno is None or fs.end_lineno is None:
            continue
        lines = linecache.getlines(fs.filename)
        if not lines:
            continue
        chunk = lines[fs.lineno - 1:fs.end_lineno]
        if not chunk:
            continue
        chunk[-1] = chunk[-1][:fs.end_colno]
        chunk[0] = chunk[0][fs.colno:]
        text = "".join(chunk)
        for mode in ("eval", "exec"):
            try:
                tree = ast.parse(text.strip(), mode=mode)
            except SyntaxError:
                continue
            return tb.tb_frame, tree
        return None, None
    return None, None


def _operation(tree):
    """The binary operation, augmented assignment or matmul/dot call in the failing expression."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)], node.left, node.right
        if isinstance(node, ast.AugAssign) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)] + "=", node.target, node.value
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            if name in ("matmul", "dot") and len(node.args) == 2:
                return "@", node.args[0], node.args[1]
            if name == "dot" and len(node.args) == 1 and isinstance(node.func, ast.Attribute):
                return "@", node.func.value, node.args[0]
    return None


def _value_shape(node, frame):
    """The shape of an operand that can be re-evaluated without side effects, else None."""
    if frame is None or not all(isinstance(n, _SAFE) for n in ast.walk(node)):
        return None
    try:
        value = eval(compile(ast.Expression(body=node), "<shape>", "eval"), frame.f_globals, frame.f_locals)
    except Exception:
        return None
    shape = getattr(value, "shape", None)
    return tuple(shape) if isinstance(shape, tuple) else None


def _transposed(node) -> str:
    source = ast.unparse(node)
    if source.endswith(".T"):
        return source[:-2]
    return f"({source}).T" if not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)) else source + ".T"


def _matmul_line(a, b, left, right, inner_left, inner_right) -> str:
    if a is not None and b is not None:
        head = f"{_fmt(a)} @ {_fmt(b)}: the inner sizes {a[-1]} and {b[-2] if len(b) > 1 else b[0]} differ"
        if len(b) == 2 and a[-1] == b[-1]:
            return f"{head}; did you mean {_transposed(right)}?"
        if len(a) == 2 and len(b) >= 2 and a[-2] == b[-2]:
            return f"{head}; did you mean {_transposed(left)}?"
        return head + " (the last size of the left operand must equal the first of the right)"
    return (f"{ast.unparse(left)} @ {ast.unparse(right)}: the inner sizes {inner_left} and {inner_right} "
            "differ (the last size of the left operand must equal the first of the right)")


def _broadcast_line(op, a, b, left, right) -> str:
    pairs = list(zip(reversed(a), reversed(b)))
    bad = next((x, y) for x, y in pairs if x != y and 1 not in (x, y)) if pairs else (None, None)
    head = (f"{_fmt(a)} {op} {_fmt(b)}: sizes are matched from the right, and {bad[0]} and {bad[1]} "
            "differ with neither equal to 1")
    if len(a) == len(b) == 2 and a == b[::-1] and right is not None:
        return f"{head}; did you mean {_transposed(right)}?"
    return head


def explain(error: BaseException) -> str | None:
    """One line on a NumPy shape mismatch in ``@``/``matmul``/``dot`` or ``+ - * /``, else None."""
    if not isinstance(error, ValueError):
        return None
    message = str(error)
    frame, tree = _failing_expression(error)
    found = _operation(tree) if tree is not None else None
    op, left, right = found if found else (None, None, None)
    if m := _MATMUL.match(message):
        if op != "@":
            return None
        a, b = _value_shape(left, frame), _value_shape(right, frame)
        return _matmul_line(a, b, left, right, m["left"], m["right"])
    if m := _DOT.match(message):
        a, b = _shape(m["a"]), _shape(m["b"])
        if op == "@":
            return _matmul_line(a, b, left, right, a[-1], b[0])
        return f"{_fmt(a)} @ {_fmt(b)}: the inner sizes {a[-1]} and {b[0]} differ"
    if m := _BROADCAST.match(message):
        a, b = _shape(m["a"]), _shape(m["b"])
        if op is None or op == "@":
            op, left, right = "and", None, None
        return _broadcast_line(op, a, b, left, right)
    return None
