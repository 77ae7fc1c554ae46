"""Recording one answer from any mode: FSRS state, mastery tallies and the review log.

Every mode (flashcards, spaced, learn, test, match, call) calls `record_review`, so every
answer moves the schedule and the mastery figures the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy.orm import Session

from app.store.models import Card, CardState, Deck, ReviewLog, utcnow

MODES = ("flashcards", "spaced", "learn", "test", "match", "call")


def scheduler_for(deck: Deck) -> Scheduler:
    """The deck's scheduler: its own fitted parameters (or FSRS-6 defaults) and desired retention.

    Fuzzing is off so that an interval shown on a rating button is the interval the card gets.
    """
    return _scheduler(deck.fsrs_parameters or None, float(deck.desired_retention or 0.9))


@lru_cache(maxsize=64)
def _scheduler(parameters_json: str | None, desired_retention: float) -> Scheduler:
    # Schedulers are immutable in use; caching spares validating 21 parameters per review.
    kwargs: dict = {"desired_retention": desired_retention, "enable_fuzzing": False}
    if parameters_json:
        kwargs["parameters"] = tuple(json.loads(parameters_json))
    return Scheduler(**kwargs)


def to_fsrs(state: CardState | None, card_id: int, now: datetime) -> FsrsCard:
    """The card as fsrs sees it; a card never scheduled (no row, or practice only) is new."""
    if state is None or state.last_review is None:
        return FsrsCard(card_id=card_id, due=now)
    return FsrsCard(
        card_id=card_id,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def snapshot(state: CardState | None) -> str | None:
    """The card's state before a review, kept in the log row so the review can be undone."""
    if state is None:
        return None
    return json.dumps(
        {
            "state": state.state,
            "step": state.step,
            "stability": state.stability,
            "difficulty": state.difficulty,
            "due": state.due.isoformat(),
            "last_review": state.last_review.isoformat() if state.last_review else None,
            "reps": state.reps,
            "lapses": state.lapses,
            "correct_streak": state.correct_streak,
        }
    )


def preview(deck: Deck, state: CardState | None, card_id: int, now: datetime) -> dict[int, datetime]:
    """The due time each rating (1..4) would give the card now; nothing is changed.

    The review screen prints `due - now` on its rating buttons, as Anki does.
    """
    scheduler = scheduler_for(deck)
    card = to_fsrs(state, card_id, now)
    return {int(r): scheduler.review_card(card, r, now)[0].due for r in Rating}


def format_interval(delta: timedelta) -> str:
    """A short human interval: <1m, 10m, 3h, 4d, 2.5mo, 1.2y."""
    secs = delta.total_seconds()
    if secs < 60:
        return "<1m"
    if secs < 3600:
        return f"{round(secs / 60)}m"
    if secs < 86400:
        return f"{round(secs / 3600)}h"
    days = secs / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")


@dataclass(frozen=True)
class ReviewResult:
    log_id: int
    card_id: int
    rating: int
    due: datetime
    state: int
    stability: float | None
    difficulty: float | None
    reviewed_at: datetime | None = None

    @property
    def interval_days(self) -> float | None:
        if self.reviewed_at is None:
            return None
        return (self.due - self.reviewed_at).total_seconds() / 86400


def record_review(
    session: Session,
    card: Card,
    *,
    mode: str,
    rating: int,
    correct: bool | None = None,
    answer_text: str | None = None,
    transcript: str | None = None,
    grader_score: float | None = None,
    verdict: str | None = None,
    duration_ms: int | None = None,
    now: datetime | None = None,
    scheduled: bool = True,
) -> ReviewResult:
    """Apply one rating (1 Again .. 4 Easy) to a card and log it.

    `correct` defaults to rating > 1. `scheduled=False` logs practice (and mastery) without
    moving the FSRS state, for modes where a card is seen again within minutes.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    if rating not in (1, 2, 3, 4):
        raise ValueError(f"rating must be 1..4, not {rating!r}")
    now = now or utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    now = now.astimezone(timezone.utc)  # fsrs insists on UTC
    if correct is None:
        correct = rating > 1
    state = card.state
    before = snapshot(state)
    if state is None:
        state = CardState(
            card_id=card.id, deck_id=card.deck_id, reps=0, lapses=0, correct_streak=0, state=1, step=0
        )
        state.due = now
        card.state = state
        session.add(state)
    if scheduled:
        deck = card.deck
        new_card, _ = scheduler_for(deck).review_card(
            to_fsrs(state if before else None, card.id, now), Rating(rating), now
        )
        if state.state == State.Review.value and new_card.state == State.Relearning:
            state.lapses += 1
        state.state = int(new_card.state.value)
        state.step = new_card.step
        state.stability = new_card.stability
        state.difficulty = new_card.difficulty
        state.due = new_card.due
        state.last_review = now
    state.reps += 1
    state.correct_streak = state.correct_streak + 1 if correct else 0
    log = ReviewLog(
        card_id=card.id,
        deck_id=card.deck_id,
        mode=mode,
        rating=rating,
        correct=correct,
        answer_text=answer_text,
        transcript=transcript,
        grader_score=grader_score,
        verdict=verdict,
        duration_ms=duration_ms,
        reviewed_at=now,
        scheduled=scheduled,
        state_before=before,
    )
    session.add(log)
    session.flush()
    return ReviewResult(
        log.id, card.id, rating, state.due, state.state, state.stability, state.difficulty, now
    )
