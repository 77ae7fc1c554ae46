"""Plain snapshots of a deck's cards for the study sessions, and the writes they make.

Sessions work on `StudyCard` values rather than ORM rows, so they run without a database in
tests and can be handed between threads; `Recorder` is how a session saves an answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import Card, CardState, Deck

MODES = ("flashcards", "learn", "test", "match")


@dataclass(frozen=True)
class StudyCard:
    id: int
    front: str
    back: str
    tags: str = ""
    starred: bool = False
    streak: int = 0  # correct answers in a row across all modes (CardState.correct_streak)
    reps: int = 0

    def with_result(self, correct: bool) -> StudyCard:
        return replace(self, streak=self.streak + 1 if correct else 0, reps=self.reps + 1)


@dataclass(frozen=True)
class Answer:
    """One answer a session wants saved."""

    card_id: int
    mode: str
    correct: bool
    answer_text: str | None = None
    duration_ms: int | None = None
    close: bool = False  # accepted, but not exactly (a typo...): a weaker rating


Recorder = Callable[[Answer], None]


def load_study_cards(session: Session, deck_id: int) -> list[StudyCard]:
    """All cards of a deck in deck order, with their mastery tallies, in one query."""
    rows = session.execute(
        select(
            Card.id,
            Card.front,
            Card.back,
            Card.tags,
            Card.starred,
            CardState.correct_streak,
            CardState.reps,
        )
        .outerjoin(CardState, CardState.card_id == Card.id)
        .where(Card.deck_id == deck_id)
        .order_by(Card.position, Card.id)
    )
    return [
        StudyCard(i, f, b, t or "", bool(s), streak or 0, reps or 0) for i, f, b, t, s, streak, reps in rows
    ]


def set_starred(session: Session, card_id: int, starred: bool) -> None:
    card = session.get(Card, card_id)
    if card is not None:
        card.starred = starred


def save_best_match_time(session: Session, deck_id: int, elapsed_ms: int) -> tuple[bool, int | None]:
    """Keep the deck's best Matching time. Returns (is a new best, previous best)."""
    deck = session.get(Deck, deck_id)
    if deck is None:
        return False, None
    previous = deck.best_match_ms
    if previous is None or elapsed_ms < previous:
        deck.best_match_ms = elapsed_ms
        return True, previous
    return False, previous
