"""The "stepper" figure: backpropagation through a small network, one node at a time.

``stepper_figure(forward, backward, params, X, Y)`` runs the reader's own ``forward`` and
``backward`` (the functions of the Backpropagation chapter, with one hidden layer) once,
reads every array they compute from their local variables (Z1, A1, Z2, dZ2, dW2, ...), and
turns them into steps: forward unit by unit, the loss, then backward unit by unit, closing
with a gradient check. The page only draws the steps; every number here is computed by the
reader's functions, except the per-sample terms of a sum (products of their arrays, shown
beside the sum they add up to) and the loss and central differences
(:func:`mlp.losses.cross_entropy` of ``forward``'s output, as the chapter's check does).

The payload::

    kind     "stepper"
    key, title
    sizes    [n_in, n_hidden, n_out]       batch  B (samples)
    code     [str]: the source lines of forward and backward, as the reader wrote them
    steps    [{"phase": "forward" | "backward" | "check",
               "line": int or None,        index into code of the line that computes it
               "array": "Z1",              the array (or "L", "check")
               "layer": int, "unit": int or None,   the node: layer 0 inputs, 1 hidden, 2 outputs
               "edges": [[layer, i, j]],   the weights involved (layer 1: W1[i, j])
               "title": str, "text": str,  what is computed, in words, with its numbers
               "values": [floats],         the numbers computed (one per sample, or per entry)
               "terms": [[floats]] or None,   for a sum over samples or units: the terms per value
               "marks": [[layer, unit, str]]}]  what the diagram writes beside the nodes after it
    check    {"entries": [{"name": "W1[0, 1]", "backprop": float, "numerical": float}],
              "errors": {"W1": float, ...}}    relative error per array

Raises ``ValueError`` naming what is wrong: a network that is not 1 hidden layer, a batch
that is too big to show (more than MAX_SAMPLES), widths above MAX_WIDTH, functions whose
source cannot be read, or functions that do not compute the arrays of the chapter.
"""

import inspect
import re
import sys
import textwrap

import numpy as np

__all__ = ["stepper_figure", "summary", "MAX_WIDTH", "MAX_SAMPLES"]

MAX_WIDTH = 8     # units per layer the stepper can show
MAX_SAMPLES = 3   # samples it can show
H = 1e-6          # central-difference step, as the chapter's gradient_check


def _source(fn, name):
    try:
        return textwrap.dedent(inspect.getsource(fn)).rstrip("\n").split("\n")
    except (OSError, TypeError) as error:
        raise ValueError(f"cannot read the source of {name} ({error}); define it in a cell first") from None


def _traced(fn, *args):
    """fn(*args) and the local variables it had when it returned (sys.settrace, its frame only)."""
    seen = {}
    code = fn.__code__

    def local(frame, event, arg):
        if event == "return" and frame.f_code is code:
            seen.update(frame.f_locals)
        return local

    def outer(frame, event, arg):
        return local if frame.f_code is code else None

    previous = sys.gettrace()
    sys.settrace(outer)
    try:
        result = fn(*args)
    finally:
        sys.settrace(previous)
    return result, seen


def _line(code, start, pattern):
    """Index in code of the first line from ``start`` matching ``pattern``, or None."""
    for i in range(start, len(code)):
        if re.search(pattern, code[i]):
            return i
    return None


def _fmt(v):
    return f"{v:.4f}"


def _sum(terms):
    """"0.0650 + (-0.0131)": the terms of a sum, negative ones in brackets."""
    return " + ".join(_fmt(t) if t >= 0 else f"({_fmt(t)})" for t in terms)


def _mark(values):
    """A node's values for the diagram, short: "0.210|-0.002"."""
    return "|".join(f"{v:.3f}" for v in values)


def _row(values):
    return " | ".join(_fmt(v) for v in values)


def _check(forward, params, X, Y, grads, check=None, backward=None):
    from mlp.losses import cross_entropy

    entries, errors = [], {}
    for name, theta in params.items():
        flat = theta.reshape(-1)
        measured = []
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + H
            up = cross_entropy(forward(params, X)[0], Y)
            flat[j] = old - H
            down = cross_entropy(forward(params, X)[0], Y)
            flat[j] = old
            measured.append((up - down) / (2 * H))
        computed = np.asarray(grads[name], dtype=np.float64).reshape(-1)
        measured = np.array(measured)
        scale = np.linalg.norm(computed) + np.linalg.norm(measured)
        errors[name] = float(np.linalg.norm(computed - measured) / scale) if scale else 0.0
        for j in range(flat.size):
            index = np.unravel_index(j, theta.shape)
            entries.append({"name": f"{name}[{', '.join(map(str, index))}]",
                            "backprop": float(computed[j]), "numerical": float(measured[j])})
    if check is not None:  # the reader's own check decides the verdict
        errors = {name: float(e) for name, e in check(backward, params, X, Y).items()}
    return {"entries": entries, "errors": errors}


def _arrays(params, X, Y):
    for key in ("W1", "b1", "W2", "b2"):
        if key not in params:
            raise ValueError(f"params needs W1, b1, W2 and b2 (one hidden layer); {key} is missing")
    if len(params) != 4:
        raise ValueError(f"the stepper shows a network with one hidden layer; params has {sorted(params)}")
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    n_in, n_hidden = params["W1"].shape
    n_out = params["W2"].shape[1]
    if X.ndim != 2 or X.shape[1] != n_in or Y.shape != (len(X), n_out):
        raise ValueError(f"X must be (B, {n_in}) and Y (B, {n_out}) one-hot; got {X.shape} and {Y.shape}")
    if not 1 <= len(X) <= MAX_SAMPLES:
        raise ValueError(f"the stepper shows 1 to {MAX_SAMPLES} samples; got {len(X)}")
    if max(n_in, n_hidden, n_out) > MAX_WIDTH:
        raise ValueError(f"the stepper shows layers of at most {MAX_WIDTH} units; got {n_in}-{n_hidden}-{n_out}")
    return X, Y, [n_in, n_hidden, n_out]


def stepper_figure(forward, backward, params, X, Y, title=None, *, check=None, key=None):
    """The payload of a "stepper" figure (the module docstring gives every field).

    Parameters
    ----------
    forward : callable
        ``forward(params, X) -> (P, cache)``, as in the chapter; its locals must include
        ``Z1``, ``A1`` and ``Z2``.
    backward : callable
        ``backward(params, cache, P, Y) -> grads``; its locals must include ``dZ2``, ``dW2``,
        ``db2``, ``dA1``, ``dZ1``, ``dW1`` and ``db1``.
    params : dict
        ``{"W1": (n_in, n_hidden), "b1": (n_hidden,), "W2": (n_hidden, n_out), "b2": (n_out,)}``,
        float64 (the gradient check needs its digits); at most MAX_WIDTH units per layer.
    X, Y : array-like, (B, n_in) and (B, n_out)
        1 to MAX_SAMPLES inputs and their one-hot targets.
    check : callable, optional
        ``check(backward, params, X, Y) -> {"W1": relative error, ...}``, the chapter's
        ``gradient_check``: its errors are the ones reported (else the stepper's own central
        differences, the same formula, give them).
    title, key : str or None

    Raises
    ------
    ValueError
        See the module docstring.
    """
    from mlp.losses import cross_entropy

    if not (callable(forward) and callable(backward)) or (check is not None and not callable(check)):
        raise TypeError("forward, backward (and check, if given) must be functions, as the chapter defines them")
    if title is not None and not isinstance(title, str) or key is not None and not isinstance(key, str):
        raise TypeError("title and key must be strings or None")
    X, Y, sizes = _arrays(params, X, Y)
    code_f, code_b = _source(forward, "forward"), _source(backward, "backward")
    code = code_f + [""] + code_b
    off = len(code_f) + 1
    (P, cache), fl = _traced(forward, params, X)
    grads, bl = _traced(backward, params, cache, P, Y)
    values = {**fl, **bl, "P": np.asarray(P)}
    missing = [n for n in ("Z1", "A1", "Z2", "dZ2", "dW2", "db2", "dA1", "dZ1", "dW1", "db1") if n not in values]
    if missing:
        raise ValueError(f"forward and backward must compute {', '.join(missing)} as the chapter's do "
                         f"(the stepper reads their local variables)")
    v = {n: np.asarray(values[n], dtype=np.float64) for n in values if isinstance(values[n], np.ndarray)}
    W1, b1, W2 = (np.asarray(params[k], dtype=np.float64) for k in ("W1", "b1", "W2"))
    B, (n_in, n_hid, n_out) = len(X), sizes
    line = lambda name, start=0: _line(code, start, rf"^\s*{name}\s*=")  # noqa: E731
    samples = "samples" if B > 1 else "sample"
    steps = []

    def step(phase, array, layer, unit, title, text, vals, *, line_at=None, edges=(), terms=None, marks=()):
        steps.append({"phase": phase, "line": line_at, "array": array, "layer": layer, "unit": unit,
                      "edges": [list(e) for e in edges], "title": title, "text": text,
                      "values": [float(x) for x in vals], "terms": terms, "marks": [list(m) for m in marks]})

    step("forward", "X", 0, None, "The inputs X",
         f"{B} {samples} of {n_in} inputs, one per row: " + "; ".join(f"sample {i + 1}: {_row(X[i])}" for i in range(B)),
         X.ravel(), marks=[(0, k, _mark(X[:, k])) for k in range(n_in)])
    for j in range(n_hid):
        terms = [[float(X[i, k] * W1[k, j]) for k in range(n_in)] + [float(b1[j])] for i in range(B)]
        step("forward", "Z1", 1, j, f"Z1, hidden unit {j}",
             f"Z1[:, {j}] = X @ W1[:, {j}] + b1[{j}]: each sample's inputs times this unit's {n_in} weights, "
             f"plus its bias = {_row(v['Z1'][:, j])}", v["Z1"][:, j], line_at=line("Z1"),
             edges=[(1, k, j) for k in range(n_in)], terms=terms, marks=[(1, j, "z " + _mark(v["Z1"][:, j]))])
    for j in range(n_hid):
        step("forward", "A1", 1, j, f"A1, hidden unit {j}",
             f"A1[:, {j}] = sigmoid(Z1[:, {j}]) = {_row(v['A1'][:, j])}", v["A1"][:, j], line_at=line("A1"),
             marks=[(1, j, "a " + _mark(v["A1"][:, j]))])
    for k in range(n_out):
        terms = [[float(v["A1"][i, j] * W2[j, k]) for j in range(n_hid)] + [float(params["b2"][k])] for i in range(B)]
        step("forward", "Z2", 2, k, f"Z2, output {k}",
             f"Z2[:, {k}] = A1 @ W2[:, {k}] + b2[{k}] = {_row(v['Z2'][:, k])}", v["Z2"][:, k], line_at=line("Z2"),
             edges=[(2, j, k) for j in range(n_hid)], terms=terms, marks=[(2, k, "z " + _mark(v["Z2"][:, k]))])
    ret = _line(code, 0, r"^\s*return\b.*softmax")
    for k in range(n_out):
        step("forward", "P", 2, k, f"P, output {k}",
             f"P[:, {k}] = softmax(Z2)[:, {k}]: exp of this score over the sum of the row's exps = "
             f"{_row(v['P'][:, k])}", v["P"][:, k], line_at=ret, marks=[(2, k, "p " + _mark(v["P"][:, k]))])
    loss = float(cross_entropy(P, Y))
    targets = ", ".join(str(int(np.argmax(Y[i]))) for i in range(B))
    step("forward", "L", 2, None, "The loss L",
         f"L = cross_entropy(P, Y) = mean over the {B} {samples} of -log P[i, target] "
         f"(targets {targets}) = {_fmt(loss)}", [loss])

    for k in range(n_out):
        step("backward", "dZ2", 2, k, f"dZ2, output {k}",
             f"dZ2[:, {k}] = (P[:, {k}] - Y[:, {k}]) / {B} = {_row(v['dZ2'][:, k])}", v["dZ2"][:, k],
             line_at=line("dZ2", off), marks=[(2, k, "dz " + _mark(v["dZ2"][:, k]))])
    for k in range(n_out):
        terms = [[float(v["A1"][i, j] * v["dZ2"][i, k]) for i in range(B)] for j in range(n_hid)]
        step("backward", "dW2", 2, k, f"dW2, weights into output {k}",
             f"dW2[j, {k}] = sum over samples of A1[i, j] * dZ2[i, {k}]: each weight is used by every sample, "
             f"so its gradient adds one term per sample. "
             + "; ".join(f"dW2[{j}, {k}] = {_sum(terms[j])} = {_fmt(v['dW2'][j, k])}"
                         for j in range(n_hid)),
             v["dW2"][:, k], line_at=line("dW2", off), edges=[(2, j, k) for j in range(n_hid)], terms=terms)
    for k in range(n_out):
        terms = [[float(x) for x in v["dZ2"][:, k]]]
        step("backward", "db2", 2, k, f"db2, bias of output {k}",
             f"db2[{k}] = sum over samples of dZ2[i, {k}]: the bias is added to every sample, so its gradient "
             f"adds them: {_sum(terms[0])} = {_fmt(v['db2'][k])}",
             [v["db2"][k]], line_at=line("db2", off), terms=terms)
    for j in range(n_hid):
        terms = [[float(v["dZ2"][i, k] * W2[j, k]) for k in range(n_out)] for i in range(B)]
        step("backward", "dA1", 1, j, f"dA1, hidden unit {j}",
             f"dA1[:, {j}] = dZ2 @ W2[{j}, :]: this unit feeds all {n_out} outputs, so its gradient adds one term "
             f"per output. " + "; ".join(f"sample {i + 1}: {_sum(terms[i])} = "
                                         f"{_fmt(v['dA1'][i, j])}" for i in range(B)),
             v["dA1"][:, j], line_at=line("dA1", off), edges=[(2, j, k) for k in range(n_out)], terms=terms,
             marks=[(1, j, "da " + _mark(v["dA1"][:, j]))])
    for j in range(n_hid):
        step("backward", "dZ1", 1, j, f"dZ1, hidden unit {j}",
             f"dZ1[:, {j}] = dA1[:, {j}] * A1[:, {j}] * (1 - A1[:, {j}]) = {_row(v['dZ1'][:, j])}",
             v["dZ1"][:, j], line_at=line("dZ1", off), marks=[(1, j, "dz " + _mark(v["dZ1"][:, j]))])
    for j in range(n_hid):
        terms = [[float(X[i, k] * v["dZ1"][i, j]) for i in range(B)] for k in range(n_in)]
        step("backward", "dW1", 1, j, f"dW1, weights into hidden unit {j}",
             f"dW1[k, {j}] = sum over samples of X[i, k] * dZ1[i, {j}]. "
             + "; ".join(f"dW1[{k}, {j}] = {_sum(terms[k])} = {_fmt(v['dW1'][k, j])}"
                         for k in range(n_in)),
             v["dW1"][:, j], line_at=line("dW1", off), edges=[(1, k, j) for k in range(n_in)], terms=terms)
    for j in range(n_hid):
        terms = [[float(x) for x in v["dZ1"][:, j]]]
        step("backward", "db1", 1, j, f"db1, bias of hidden unit {j}",
             f"db1[{j}] = sum over samples of dZ1[i, {j}] = {_sum(terms[0])} = "
             f"{_fmt(v['db1'][j])}", [v["db1"][j]], line_at=line("db1", off), terms=terms)
    check = _check(forward, params, X, Y, grads, check, backward)
    worst = max(check["errors"].values())
    step("check", "check", 0, None, "Gradient check",
         f"Central differences (L(θ + h) - L(θ - h)) / 2h with h = {H:g}, on all "
         f"{len(check['entries'])} parameters: worst relative error {worst:.1e} "
         f"({'the gradients agree' if worst < 1e-6 else 'the gradients DISAGREE'}).",
         list(check["errors"].values()))
    figure = {"kind": "stepper", "key": key, "title": title, "sizes": sizes, "batch": B, "code": code,
              "steps": steps, "check": check}
    figure["alt"] = (f"A stepper through backpropagation in a {'-'.join(map(str, sizes))} network on {B} "
                     f"{samples}: {len(steps)} steps, forward unit by unit, then backward, then a gradient check "
                     f"(worst relative error {worst:.1e}). The loss is {_fmt(loss)}.")
    return figure


def summary(figure):
    """One line outside the browser: ``[stepper: 3-4-2, 2 samples, 36 steps, worst error 3.1e-10]``."""
    worst = max(figure["check"]["errors"].values())
    return (f"[stepper: {'-'.join(map(str, figure['sizes']))}, {figure['batch']} samples, "
            f"{len(figure['steps'])} steps, worst error {worst:.1e}]")
