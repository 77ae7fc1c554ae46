"""Verdict thresholds: the two score cut-offs, fitted on held-out (dev) pairs, never on test."""

from __future__ import annotations

from app.grader.base import Thresholds
from app.grader.metrics import macro_f1


def fit_thresholds(scores: list[float], labels: list[str], floor: Thresholds | None = None
                   ) -> tuple[Thresholds, float]:
    """Grid-search the two cut-offs for the best macro-F1 on held-out (dev) pairs. `floor`: the
    lowest cut-offs allowed (per-user calibration may not make everything correct)."""
    best = (Thresholds(0.7, 0.4), -1.0)
    grid = [i / 100 for i in range(5, 96, 1)]
    for p in grid:
        if floor and p < floor.partial:
            continue
        for c in grid:
            if c <= p or (floor and c < floor.correct):
                continue
            th = Thresholds(c, p)
            f1 = macro_f1(labels, [th.verdict(s) for s in scores])
            if f1 > best[1] + 1e-9:
                best = (th, f1)
    return best
