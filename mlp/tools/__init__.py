"""The product around the lesson: what the command line, the lab and the site need beside it.

Nothing of the teaching core (activations, losses, init, ops, layers, network, optimizers,
schedules, regularization, training) imports these; they import the core.

- :mod:`mlp.tools.resources`: how much memory a job needs and the check against what is available;
- :mod:`mlp.tools.files`: atomic writes, output paths checked before the work, ``.npz`` sources;
- :mod:`mlp.tools.history`: :class:`~mlp.tools.history.HistoryRecorder`, the progress every front end draws;
- :mod:`mlp.tools.diagnosis`: plain-language warnings about a run ("worse than guessing");
- :mod:`mlp.tools.choices`: the lists and limits a front end offers (the lab's form);
- :mod:`mlp.tools.fast`: the layer whose products go through :func:`mlp.ops.matmul`
  (the SIMD kernel or einsum), which the network uses inside Pyodide;
- :mod:`mlp.tools.cli`: the command line, ``python -m mlp train | evaluate | subset``.
"""
