"""The shared shape of `python -m tests.bench`: every row times the real code path and a minimal
reference doing the same job in the same run, alternating, and reports medians and their ratio.

An absolute time says little on another machine; the ratio to the reference says whether the code
or the machine is slow. Rows never fail on a time: the table is what counts.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class Row:
    """One line of the table. `figure`/`reference` are medians in `unit` (ms or MB)."""

    name: str
    figure: float | None
    reference: float | None
    goal: str  # e.g. "ratio <= 1.5", "+150 MB", "< 1 GB"
    unit: str = "ms"
    ratio: float | None = None
    met: bool | None = None
    runs: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)
    error: str | None = None

    def __post_init__(self) -> None:
        if self.ratio is None and self.figure is not None and self.reference:
            self.ratio = self.figure / self.reference

    def as_json(self) -> dict:
        d = asdict(self)
        for k in ("figure", "reference", "ratio"):
            if d[k] is not None:
                d[k] = round(d[k], 3)
        return d


def alternate(
    real: Callable[[], object],
    reference: Callable[[], object],
    runs: int,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
) -> tuple[float, float, list[float], list[float]]:
    """Median wall ms of `real` and `reference`, run in turn (real, ref, real, ref, ...) so that a
    change of load on a shared machine hits both alike. Returns (real_ms, ref_ms, real_all, ref_all).
    `setup`, if given, runs untimed before every call (e.g. a fresh empty database)."""
    for _ in range(warmup):
        for fn in (real, reference):
            if setup is not None:
                setup()
            fn()
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        for fn, out in ((real, a), (reference, b)):
            if setup is not None:
                setup()
            gc.collect()
            t0 = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t0) * 1000)
    return statistics.median(a), statistics.median(b), a, b


def compare(
    real: Callable[[], T],
    reference: Callable[[], T],
    runs: int,
    warmup: int = 1,
    setup: Callable[[], object] | None = None,
) -> tuple[float, float, T, T]:
    """alternate() over two functions that return their result: (real_ms, ref_ms, real_out, ref_out),
    the outputs of the last timed call of each, for the row to check they did the same job."""
    got: dict[str, T] = {}

    def keep(key: str, fn: Callable[[], T]) -> Callable[[], None]:
        return lambda: got.__setitem__(key, fn())

    fig, ref, _a, _b = alternate(keep("real", real), keep("ref", reference), runs, warmup, setup)
    return fig, ref, got["real"], got["ref"]


def ratio_row(
    name: str,
    figure: float,
    reference: float,
    limit: float,
    *,
    runs: int,
    note: str = "",
    extra: dict | None = None,
    mismatch: str | None = None,
    goal: str | None = None,
    also: bool = True,
) -> Row:
    """A row met when figure/reference <= `limit` and `also` (a further condition of its goal).
    `mismatch`, said when the real path's output differed from the reference's, ends the note."""
    if mismatch:
        note += f"; {mismatch}"
    row = Row(name=name, figure=figure, reference=reference, goal=goal or f"ratio <= {limit:g}", runs=runs,
              note=note, extra=extra or {})  # fmt: skip
    row.met = row.ratio is not None and row.ratio <= limit and also
    return row


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of `values`, interpolated between the two nearest ranks."""
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def ratio_goal(limit: float) -> Callable[[Row], bool | None]:
    def check(row: Row) -> bool | None:
        return None if row.ratio is None else row.ratio <= limit

    return check


def format_table(rows: list[Row]) -> str:
    head = ("row", "figure", "reference", "ratio", "goal", "met")
    lines = []
    for r in rows:
        if r.error:
            lines.append((r.name, "error", "", "", r.goal, r.error[:60]))
            continue
        fig = "" if r.figure is None else f"{r.figure:,.1f} {r.unit}"
        ref = "" if r.reference is None else f"{r.reference:,.1f} {r.unit}"
        rat = "" if r.ratio is None else f"{r.ratio:.2f}"
        met = {True: "yes", False: "no", None: ""}[r.met]
        lines.append((r.name, fig, ref, rat, r.goal, met))
    widths = [max(len(str(x[i])) for x in [head, *lines]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*x) for x in lines]
    notes = [f"- {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(out + ([""] + notes if notes else []))
