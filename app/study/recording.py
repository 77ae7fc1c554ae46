"""Saving a study session's answers through the one review path every mode shares.

Each answer is its own transaction, so closing the window (or a crash) never loses an answer
that was already given. Every mode feeds the scheduler: a card's first answer in a study
session is a real retrieval and becomes an FSRS review. Learn and Matching then show the same
card again within minutes; those repeats count for mastery but leave the FSRS schedule alone
(`scheduled=False`), so one sitting cannot inflate a card's stability.
"""

from __future__ import annotations

from app.scheduling.grades import rating_for_result
from app.scheduling.review import record_review
from app.store.db import Store
from app.store.models import Card
from app.study.cards import Answer, Recorder

CLOSE_CONFIDENCE = 0.5  # an answer accepted despite a typo counts as Hard


def save_answer(session, answer: Answer, *, scheduled: bool = True) -> bool:
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
        scheduled=scheduled,
    )
    return True


def store_recorder(store: Store) -> Recorder:
    """A `Recorder` for one study session; each answer is written in its own transaction.

    The first answer for each card in the session moves its FSRS schedule, later ones are practice.
    """
    scheduled_cards: set[int] = set()

    def record(answer: Answer) -> None:
        first = answer.card_id not in scheduled_cards
        with store.transaction() as session:
            if save_answer(session, answer, scheduled=first):
                scheduled_cards.add(answer.card_id)

    return record
