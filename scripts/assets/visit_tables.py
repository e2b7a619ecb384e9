"""The first-visit figures of ``scripts/bench --only-first-visit`` (docs/assets/bench/
firstvisit.json) as the Markdown tables and sentences How the site runs shows: bench_tables.py
adds FIELDS to its own, so that ``{{ bench.firstvisit.<field> }}`` renders them.

The JSON: ``settings`` (page, mbits, rtt_ms, runs, gzip, cache_control), ``machine``,
``seconds``, and ``sites``: for each site measured ("now", and "before" when a site of an
earlier version was measured beside it), ``speeds`` ({mbits: {ready_ms, bytes, files}}, each
a median of the runs; files: bytes sent per path before Python was ready, in the first run)
and ``later_ms``. See scripts/bench_firstvisit.py for how each is measured.
"""

from __future__ import annotations

import datetime

# The goals of the first and later visits: (label, goal, unit, figure of one site's dict).
GOALS = [
    ("Python ready, first visit at {slow:g} Mbit/s", 6.0, "s",
     lambda s, slow, fast: s["speeds"][str(slow)]["ready_ms"] / 1000),
    ("Python ready, first visit at {fast:g} Mbit/s", 2.5, "s",
     lambda s, slow, fast: s["speeds"][str(fast)]["ready_ms"] / 1000),
    ("bytes on the wire before Python is ready", 6.0, "MB",
     lambda s, slow, fast: s["speeds"][str(slow)]["bytes"] / 1e6),
    ("Python ready, later visit", 0.4, "s", lambda s, slow, fast: (s["later_ms"] or 0) / 1000 or None),
]


def _speeds(r):
    speeds = sorted(r["settings"]["mbits"])
    return speeds[0], speeds[-1]


def _value(value, unit):
    return "–" if value is None else f"{value:.2f} {unit}"


def _name(r, site):
    """A site's column: "now", or the label the earlier site was measured with (its commit)."""
    if site != "before":
        return site
    return r["settings"].get("before_label") or site


def first_visits(r) -> str:
    """The sites side by side with the goals, one row per figure."""
    slow, fast = _speeds(r)
    sites = r["sites"]
    rows = ["| | " + " | ".join(_name(r, n) for n in sites) + " | goal |",
            "|---|" + "--:|" * (len(sites) + 1)]
    for label, goal, unit, value_of in GOALS:
        values = [value_of(s, slow, fast) for s in sites.values()]
        rows.append(f"| {label.format(slow=slow, fast=fast)} | "
                    + " | ".join(_value(v, unit) for v in values) + f" | ≤ {goal:g} {unit} |")
    return "\n".join(rows)


def first_visit_files(r, site="now", at_least=100_000) -> str:
    """The files of one site's first visit at the slow speed, largest first, down to `at_least`
    bytes on the wire, and the rest in one row."""
    slow, _ = _speeds(r)
    files = r["sites"][site]["speeds"][str(slow)]["files"]
    total = sum(files.values())
    big = sorted(((n, p) for p, n in files.items() if n >= at_least), reverse=True)
    rows = ["| file | on the wire | share |", "|---|--:|--:|"]
    rows += [f"| `{p.lstrip('/')}` | {n / 1e6:.2f} MB | {100 * n / total:.0f} % |" for n, p in big]
    rest, others = total - sum(n for n, _ in big), len(files) - len(big)
    if others:
        rows.append(f"| {others} other file{'' if others == 1 else 's'} | {rest / 1e6:.2f} MB "
                    f"| {100 * rest / total:.0f} % |")
    return "\n".join(rows)


def first_visit_run(r) -> str:
    """When, where and how the visits were measured."""
    m, st = r["machine"], r["settings"]
    date = datetime.datetime.fromisoformat(r["date"]).strftime("%d %B %Y, %H:%M %Z").lstrip("0")
    return (f"Measured on {date} by `scripts/bench --only-first-visit` ({r['seconds']:.0f} s), on "
            f"{m['cpu']} with {m['cores']} cores (load average {m['load_average'][0]} when it started, "
            f"{m['load_average_after'][0]} when it ended). Each figure is the median of {st['runs']} "
            f"loads of {st['page']} in headless Chromium with a new profile, {st['rtt_ms']:g} ms of "
            f"latency, the sites measured in turn.")


def goals_met(r) -> str:
    """How many of the goals this version meets, e.g. "none of the 4 goals is met"."""
    slow, fast = _speeds(r)
    met = [value_of(r["sites"]["now"], slow, fast) for _, _, _, value_of in GOALS]
    count = sum(v is not None and v <= goal for v, (_, goal, _, _) in zip(met, GOALS))
    if count == 0:
        return f"none of the {len(GOALS)} goals is met"
    return f"{count} of the {len(GOALS)} goals {'is' if count == 1 else 'are'} met"


def _now(value_of):
    def field(r):
        slow, fast = _speeds(r)
        return value_of(r["sites"]["now"], slow, fast)
    return field


FIELDS = {
    "first_visits": first_visits,
    "first_visit_files": first_visit_files,
    "first_visit_run": first_visit_run,
    "slow_mbits": lambda r: f"{_speeds(r)[0]:g}",
    "fast_mbits": lambda r: f"{_speeds(r)[1]:g}",
    "goals_met": goals_met,
    "before_label": lambda r: _name(r, "before"),
    "first_ready_slow_s": lambda r: f"{_now(GOALS[0][3])(r):.2f} s",
    "first_ready_fast_s": lambda r: f"{_now(GOALS[1][3])(r):.2f} s",
    "first_wire_mb": lambda r: f"{_now(GOALS[2][3])(r):.1f} MB",
    "later_visit_s": lambda r: _value(_now(GOALS[3][3])(r), "s"),
    "before_wire_mb": lambda r: f"{GOALS[2][3](r['sites']['before'], *_speeds(r)):.1f} MB",
}
