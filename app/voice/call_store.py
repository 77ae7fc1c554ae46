"""The call's link to the store: which cards to ask, Whisper's deck vocabulary, recording each turn."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from app.voice.dialogue import CallCard, Recorder, Turn
from app.voice.spoken import plain

if TYPE_CHECKING:
    from app.store.db import Store


def store_recorder(store: Store) -> Recorder:
    """Record each turn through `record_review` in its own transaction; overrides redo the review."""
    from app.scheduling.grades import rating_for_verdict
    from app.scheduling.review import record_review
    from app.scheduling.undo import NothingToUndo, UndoConflict, undo_review
    from app.store.models import Card

    def record(turn: Turn, action: str) -> int | None:
        if turn.verdict is None:
            return None
        with store.transaction() as session:
            if action == "override" and turn.log_id is not None:
                # Already changed elsewhere: then the correction is simply recorded on top.
                with contextlib.suppress(NothingToUndo, UndoConflict):
                    undo_review(session, log_id=turn.log_id)
            card = session.get(Card, turn.card_id)
            if card is None:
                return None  # deleted during the call
            if action == "override" and turn.command is None:  # kept for `recall grader calibrate` (per-user thresholds)
                from app.grader.calibrate import record_override

                record_override(session, reference=plain(card.back), answer=turn.transcript, mode="call",
                                question=turn.question, score=turn.score, verdict=turn.overridden_from,
                                grader=turn.grader or None, card_id=card.id)  # fmt: skip
            score = min(1.0, max(0.0, turn.score or 0.0))
            result = record_review(
                session, card, mode="call", rating=rating_for_verdict(turn.verdict, score),
                correct=turn.verdict == "correct", transcript=None if turn.typed else turn.transcript,
                answer_text=turn.transcript if turn.typed else None, grader_score=turn.score,
                verdict=turn.verdict, duration_ms=turn.answer_ms,
            )  # fmt: skip
            return result.log_id

    return record


def call_cards(store: Store, deck_id: int, order: str = "due", limit: int | None = None) -> list[CallCard]:
    """The cards for a call: "due" = today's queue (due, then new), else the whole deck; "deck" = deck order."""
    from app.store.models import Card, Deck
    from app.store.repo import deck_cards

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError(f"no deck with id {deck_id}")
        cards = {c.id: c for c in deck_cards(session, deck)}
        ids: list[int] = list(cards)
        if order == "due":
            from app.scheduling.queue import build_queue
            from app.store.models import utcnow

            queue_ = build_queue(session, deck_id, utcnow())
            due = [it.card_id for it in queue_.ready + queue_.new if it.card_id in cards]
            ids = due or ids
        chosen = [cards[i] for i in ids if isinstance(cards.get(i), Card)]
        out = [CallCard(c.id, c.front, c.back) for c in chosen if plain(c.front) and plain(c.back)]
    return out[:limit] if limit else out


def deck_vocabulary_of(store: Store, deck_id: int) -> list[str]:
    """Whisper's vocabulary for a call on this deck: from every card's answer, not only those asked."""
    from app.store.models import Card, Deck
    from app.store.repo import deck_cards
    from app.voice.prompting import deck_vocabulary

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        backs = [plain(c.back) for c in deck_cards(session, deck) if isinstance(c, Card)] if deck else []
    return deck_vocabulary(backs)
