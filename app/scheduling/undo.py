"""Undo a review: put the card's state back as it was and remove the log row.

Each review-log row keeps the card's state from just before it (`state_before`, JSON, or NULL
when the card had never been answered), so the newest review of a card can be taken back
exactly; a card that was new goes back to having no `card_states` row at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import Card, CardState, ReviewLog


class NothingToUndo(LookupError):
    """There is no review to take back (in that deck)."""


class UndoConflict(ValueError):
    """The review is not the card's newest one; undoing it would lose the later reviews."""


@dataclass(frozen=True)
class UndoResult:
    log_id: int
    card_id: int
    deck_id: int
    mode: str
    rating: int
    reviewed_at: datetime
    card_is_new: bool  # the card went back to never answered

    def as_json(self) -> dict:
        return {
            "log_id": self.log_id,
            "card_id": self.card_id,
            "deck_id": self.deck_id,
            "mode": self.mode,
            "rating": self.rating,
            "reviewed_at": self.reviewed_at.isoformat(),
            "card_is_new": self.card_is_new,
        }


def _restore(state: CardState, snap: dict) -> None:
    state.state = snap["state"]
    state.step = snap["step"]
    state.stability = snap["stability"]
    state.difficulty = snap["difficulty"]
    state.due = datetime.fromisoformat(snap["due"])
    state.last_review = datetime.fromisoformat(snap["last_review"]) if snap["last_review"] else None
    state.reps = snap["reps"]
    state.lapses = snap["lapses"]
    state.correct_streak = snap["correct_streak"]


def undo_review(
    session: Session, *, log_id: int | None = None, deck_id: int | None = None, mode: str | None = None
) -> UndoResult:
    """Take back one review: `log_id`, else the newest one (in `deck_id` / `mode` when given)."""
    if log_id is not None:
        log = session.get(ReviewLog, log_id)
        if log is None:
            raise NothingToUndo(f"there is no review {log_id} to undo")
    else:
        stmt = select(ReviewLog).order_by(ReviewLog.id.desc()).limit(1)
        if deck_id is not None:
            stmt = stmt.where(ReviewLog.deck_id == deck_id)
        if mode is not None:
            stmt = stmt.where(ReviewLog.mode == mode)
        log = session.scalar(stmt)
        if log is None:
            raise NothingToUndo("there is no review to undo")
    newer = session.scalar(
        select(ReviewLog.id).where(ReviewLog.card_id == log.card_id, ReviewLog.id > log.id).limit(1)
    )
    if newer is not None:
        raise UndoConflict("this card was reviewed again since; undo that review first")
    card = session.get(Card, log.card_id)
    state = card.state if card is not None else None
    if log.state_before is None:
        if state is not None:
            card.state = None  # delete-orphan removes the row
            session.delete(state)
    else:
        snap = json.loads(log.state_before)
        if state is None:
            state = CardState(card_id=log.card_id, deck_id=log.deck_id)
            session.add(state)
        _restore(state, snap)
    result = UndoResult(
        log.id, log.card_id, log.deck_id, log.mode, log.rating, log.reviewed_at, log.state_before is None
    )
    session.delete(log)
    session.flush()
    return result
