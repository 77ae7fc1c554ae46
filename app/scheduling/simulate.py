"""Synthetic review histories: a simulated student for tests, benchmarks and demos.

The student's memory follows FSRS with its own "true" parameters (different from the
scheduler's defaults, so an optimizer has something to find); the scheduler decides when each
card comes back, the true model decides whether it is recalled then. Histories are written
straight into the store in bulk, with the same rows `record_review` would have written.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.store.models import CardState, ReviewLog

# A student who forgets a little faster than FSRS-6's defaults assume for the first intervals.
TRUE_PARAMETERS_HEAD = (0.6, 1.6, 4.5, 12.0)


def true_scheduler() -> Scheduler:
    defaults = Scheduler().parameters
    return Scheduler(parameters=TRUE_PARAMETERS_HEAD + tuple(defaults[4:]), enable_fuzzing=False)


@dataclass(frozen=True)
class SimReview:
    card_id: int
    rating: int
    at: datetime
    before: FsrsCard | None  # the scheduler's card before this review; None when new
    reps: int
    lapses: int
    streak: int


@dataclass(frozen=True)
class SimCard:
    card_id: int
    card: FsrsCard  # final scheduler state
    reps: int
    lapses: int
    streak: int
    reviews: list[SimReview]


def simulate_card(
    card_id: int,
    first: datetime,
    until: datetime,
    rng: random.Random,
    scheduler: Scheduler,
    truth: Scheduler,
) -> SimCard:
    card = FsrsCard(card_id=card_id, due=first)
    shadow = FsrsCard(card_id=card_id, due=first)
    at = first
    reviews: list[SimReview] = []
    reps = lapses = streak = 0
    before: FsrsCard | None = None
    while at < until:
        if card.state == State.Review:
            recalled = rng.random() < truth.get_card_retrievability(shadow, at)
        else:
            recalled = rng.random() < 0.8  # within-day steps
        if recalled:
            rating = rng.choices((Rating.Hard, Rating.Good, Rating.Easy), (0.15, 0.75, 0.10))[0]
        else:
            rating = Rating.Again
        reviews.append(SimReview(card_id, int(rating), at, before, reps, lapses, streak))
        was_review = card.state == State.Review
        card, _ = scheduler.review_card(card, rating, at)
        shadow, _ = truth.review_card(shadow, rating, at)
        reps += 1
        lapses += int(was_review and card.state == State.Relearning)
        streak = streak + 1 if recalled else 0
        before = card
        # the student comes back some time after the card falls due (same day for steps)
        delay = (
            timedelta(minutes=rng.randint(0, 30))
            if card.state != State.Review
            else timedelta(hours=rng.uniform(0, 20))
        )
        at = card.due + delay
    return SimCard(card_id, card, reps, lapses, streak, reviews)


def simulate(
    card_ids: Sequence[int],
    start: datetime,
    days: int,
    new_per_day: int,
    seed: int = 0,
    scheduler: Scheduler | None = None,
) -> Iterator[SimCard]:
    """Introduce `new_per_day` cards a day (in the given order) from `start` for `days` days."""
    rng = random.Random(seed)
    scheduler = scheduler or Scheduler(enable_fuzzing=False)
    truth = true_scheduler()
    until = start + timedelta(days=days)
    for i, card_id in enumerate(card_ids):
        day = i // max(1, new_per_day)
        if day >= days:
            return
        first = start + timedelta(days=day, hours=rng.uniform(0, 12))
        yield simulate_card(card_id, first, until, rng, scheduler, truth)


def _snapshot(card: FsrsCard, reps: int, lapses: int, streak: int) -> str:
    return json.dumps(
        {
            "state": int(card.state),
            "step": card.step,
            "stability": card.stability,
            "difficulty": card.difficulty,
            "due": card.due.isoformat(),
            "last_review": card.last_review.isoformat() if card.last_review else None,
            "reps": reps,
            "lapses": lapses,
            "correct_streak": streak,
        }
    )


def write_history(session: Session, deck_id: int, cards: Iterator[SimCard], batch: int = 20000) -> int:
    """Insert simulated card states and review-log rows in bulk; returns the number of reviews."""
    states: list[dict] = []
    logs: list[dict] = []
    total = 0

    def flush() -> None:
        if states:
            session.execute(insert(CardState), states)
            states.clear()
        if logs:
            session.execute(insert(ReviewLog), logs)
            logs.clear()

    for sc in cards:
        c = sc.card
        states.append(
            {
                "card_id": sc.card_id,
                "deck_id": deck_id,
                "state": int(c.state),
                "step": c.step,
                "stability": c.stability,
                "difficulty": c.difficulty,
                "due": c.due,
                "last_review": c.last_review,
                "reps": sc.reps,
                "lapses": sc.lapses,
                "correct_streak": sc.streak,
            }
        )
        for r in sc.reviews:
            logs.append(
                {
                    "card_id": r.card_id,
                    "deck_id": deck_id,
                    "mode": "spaced",
                    "rating": r.rating,
                    "correct": r.rating > 1,
                    "reviewed_at": r.at,
                    "scheduled": True,
                    "state_before": None
                    if r.before is None
                    else _snapshot(r.before, r.reps, r.lapses, r.streak),
                }
            )
        total += len(sc.reviews)
        if len(logs) >= batch:
            flush()
    flush()
    return total
