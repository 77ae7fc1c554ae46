"""Keeping an "I was right" press from Learn or Test as a grader override pair, in its own
transaction, and saying what it is for."""

from __future__ import annotations

from app.grader.calibrate import MIN_OVERRIDES, override_count, record_override
from app.store.db import Store


def keep_override(store: Store, *, reference: str, answer: str, mode: str, question: str | None = None,
                  card_id: int | None = None, verdict: str = "wrong") -> str:
    """Record the pair; returns a short note for the screen."""
    with store.transaction() as session:
        record_override(session, reference=reference, answer=answer, mode=mode, question=question,
                        verdict=verdict, grader="answer_check", card_id=card_id)
        n = override_count(session)
    if n < MIN_OVERRIDES:
        return f"Kept for calibration ({n} of {MIN_OVERRIDES} before the grader adapts to you)."
    return f"Kept for calibration ({n} kept; run “recall grader calibrate” to adapt the grader)."
