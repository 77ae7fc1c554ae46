"""What every answer grader returns, and the interface the study modes and the tutor call.

The LSTM model (`app.grader.lstm`) and the lexical fallback (`app.grader.lexical`) both
implement `Grader`; `app.grader.load_grader()` picks the best one available.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

Verdict = Literal["correct", "partial", "wrong"]
LENIENCY: tuple[Verdict, ...] = ("correct", "partial", "wrong")  # most lenient first


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1, how well the answer matches the reference
    verdict: Verdict
    missing: list[str] = field(default_factory=list)  # key terms of the reference the answer did not cover
    grader: str = ""  # which grader produced it, e.g. "lstm" or "lexical"
    matched: list[str] = field(default_factory=list)  # key terms of the reference the answer said
    wrong: list[str] = field(default_factory=list)  # terms the answer said instead ("ribosome" for "mitochondria")

    def as_json(self) -> dict:
        return {"score": round(self.score, 4), "verdict": self.verdict, "missing": self.missing,
                "grader": self.grader, "matched": self.matched, "wrong": self.wrong}


class Grader(Protocol):
    name: str

    # `siblings`: the other references of the card's deck, when known: another card's answer
    # given for this one is a near miss ("ribosome" for "mitochondria").
    def grade(self, reference: str, answer: str, question: str | None = None,
              siblings: Sequence[str] | None = None) -> Grade: ...


@dataclass(frozen=True)
class Thresholds:
    """Score cut-offs for the verdict; calibrated per grader on held-out data."""

    correct: float
    partial: float

    def verdict(self, score: float) -> Verdict:
        if score >= self.correct:
            return "correct"
        if score >= self.partial:
            return "partial"
        return "wrong"


def teacher_scale(cos):
    """MiniLM cosine -> grader scale (unclamped): unrelated sentences sit near 0.1, paraphrases near
    0.9. One mapping for the teacher's training labels and for the LSTM's copied-embedding cosine,
    which must land on the same scale; works on floats and on tensors alike."""
    return (cos - 0.1) / 0.8
