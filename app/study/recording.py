"""Saving a study session's answers through the one review path every mode shares.

Each answer is its own transaction, so closing the window (or a crash) never loses an answer
that was already given. Learn, Matching and Flashcards show a card again within minutes, so
their answers count for mastery but leave the FSRS schedule alone (`scheduled=False`); a Test
answer is a real retrieval and moves the schedule too.
"""

from __future__ import annotations

from app.scheduling.grades import rating_for_result
from app.scheduling.review import record_review
from app.store.db import Store
from app.store.models import Card
from app.study.cards import Answer, Recorder

SCHEDULED_MODES = frozenset({"test"})
CLOSE_CONFIDENCE = 0.5  # an answer accepted despite a typo counts as Hard


def save_answer(session, answer: Answer) -> bool:
    """Record one answer in an open session; False when the card was deleted meanwhile."""
    card = session.get(Card, answer.card_id)
    if card is None:
        return False
    confidence = CLOSE_CONFIDENCE if (answer.close and answer.correct) else None
    record_review(
        session,
        card,
        mode=answer.mode,
        rating=rating_for_result(answer.correct, confidence),
        correct=answer.correct,
        answer_text=answer.answer_text,
        duration_ms=answer.duration_ms,
        scheduled=answer.mode in SCHEDULED_MODES,
    )
    return True


def store_recorder(store: Store) -> Recorder:
    """A `Recorder` that writes each answer in its own transaction."""

    def record(answer: Answer) -> None:
        with store.transaction() as session:
            save_answer(session, answer)

    return record
