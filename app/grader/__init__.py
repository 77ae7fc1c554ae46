"""The answer grader: an LSTM similarity model, with a lexical fallback behind the same interface.

    from app.grader import load_grader
    grader = load_grader()          # the LSTM when torch and the shipped weights are present
    grade = grader.grade(reference, answer, question)
    grader.name                     # "lstm" or "lexical"

Importing this package never imports torch; the LSTM module imports it when it loads.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from app.grader.base import Grade, Grader, Thresholds
from app.resources import resource_path

__all__ = ["Grade", "Grader", "Thresholds", "load_grader", "default_weights_path", "lstm_available"]


def default_weights_path() -> Path:
    """The shipped weights: resources/grader/lstm.pt (from a checkout or inside an installer's bundle)."""
    return resource_path("grader", "lstm.pt")


def lstm_available(weights: Path | None = None) -> bool:
    weights = weights or default_weights_path()
    return weights.is_file() and importlib.util.find_spec("torch") is not None


def load_grader(prefer: str = "auto", weights: Path | None = None) -> Grader:
    """`prefer`: "auto" (LSTM if it can load, else lexical), "lstm" (raise if it cannot) or "lexical"."""
    from app.grader.lexical import LexicalGrader

    if prefer == "lexical":
        return LexicalGrader()
    if prefer not in ("auto", "lstm"):
        raise ValueError(f"unknown grader {prefer!r}: use auto, lstm or lexical")
    weights = weights or default_weights_path()
    if lstm_available(weights):
        try:
            from app.grader.lstm import LstmGrader

            return LstmGrader.load(weights)
        except Exception:  # corrupt or incompatible weights: fall back rather than break a study session
            if prefer == "lstm":
                raise
    elif prefer == "lstm":
        raise FileNotFoundError(f"LSTM grader unavailable: need torch and {weights}")
    return LexicalGrader()
