"""MkDocs hook: the Performance page's figures, rendered from scripts/bench's JSON.

``scripts/bench --json docs/assets/bench/latest.json`` writes the measurements; this hook
replaces placeholders ``{{ bench.<field> }}`` in any page with them (rendered by
scripts/assets/bench_tables.py, which scripts/bench prints too), and
``{{ bench.before.<field> }}`` with those of docs/assets/bench/before.json (the same
measurements before the speed-ups), and ``{{ bench.engines.<field> }}`` with those of
docs/assets/bench/engines.json (``scripts/bench --only-engines``: the engines side by side,
measured in a run of their own), and ``{{ bench.firstvisit.<field> }}`` with those of
docs/assets/bench/firstvisit.json (``scripts/bench --only-first-visit``: first and later visits
over a throttled line; fields in scripts/assets/visit_tables.py). No figure is typed by hand. A
placeholder naming an unknown field, or a missing or unreadable file, stops the build with a
message.

Fields: ``machine`` (date, processor, load, browser: one sentence), ``startup``,
``training``, ``pytorch``, ``targets``, ``matmul``, ``engines`` (Chromium, Firefox and WebKit side
by side), ``comparison`` (before.json and latest.json side by side) (Markdown tables),
``first_output_ms``,
``longest_task_ms``, ``long_task_count``, ``lab_train_s`` (the lab's default run, click to
done), ``wasm_memory_mib``, ``cold_ready_s``, ``warm_ready_s``, ``later_ready_s``, ``seconds``,
``einsum_min_dim`` (the threshold of mlp.ops.matmul's rule, read from mlp itself),
``native_over_browser`` (how many times faster native NumPy trains the default network),
``subset_epoch_s`` (one browser epoch over the subset, its evaluation included),
``default_label``, ``deep_label`` (the two benchmarked networks), ``einsum_speedup`` (einsum
against ``@`` on the products mlp.matmul gives to einsum, a range), ``einsum_slowdown`` and
``einsum_slower_on`` (how much slower, and on which products in every dtype),
``deep_products_pct_numpy``, ``deep_products_pct_kernel``, ``deep_optimiser_pct_kernel``
(shares of a browser batch of the deep network), ``cold_range_ms`` (the cold starts' range).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from assets.bench_tables import FIELDS, comparison

ROOT = Path(__file__).resolve().parent.parent
FILES = {"latest": ROOT / "docs" / "assets" / "bench" / "latest.json",
         "before": ROOT / "docs" / "assets" / "bench" / "before.json",
         "engines": ROOT / "docs" / "assets" / "bench" / "engines.json",
         "firstvisit": ROOT / "docs" / "assets" / "bench" / "firstvisit.json"}
WRITTEN_BY = {"engines": "scripts/bench --only-engines", "firstvisit": "scripts/bench --only-first-visit"}
PLACEHOLDER = re.compile(r"\{\{\s*bench\.(?:(before|engines|firstvisit)\.)?([a-z_]+)\s*\}\}")


def _load(name):
    path = FILES[name]
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        command = WRITTEN_BY.get(name, "scripts/bench")
        raise PluginError(f"{path.relative_to(ROOT)} is missing: write it with "
                          f"{command} --json {path.relative_to(ROOT)}") from None
    except ValueError as e:
        raise PluginError(f"{path.relative_to(ROOT)} is not valid JSON ({e}): "
                          "write it again with scripts/bench") from None


def on_page_markdown(markdown, page, config, files):
    if "{{" not in markdown or "bench." not in markdown:
        return markdown
    loaded = {}

    def replace(match):
        which, field = match.group(1) or "latest", match.group(2)
        if field not in FIELDS:
            raise PluginError(f"{page.file.src_uri}: unknown placeholder bench.{field}; "
                              f"known fields: {', '.join(FIELDS)}")
        needed = ["before", "latest"] if field == "comparison" else [which]
        for name in needed:
            if name not in loaded:
                loaded[name] = _load(name)
        try:
            if field == "comparison":
                return comparison(loaded["before"], loaded["latest"])
            return FIELDS[field](loaded[which])
        except (KeyError, TypeError, ValueError) as e:
            raise PluginError(f"{FILES[which].relative_to(ROOT)} lacks what bench.{field} needs ({e!r}): "
                              f"write it again with the current scripts/bench") from None

    return PLACEHOLDER.sub(replace, markdown)
