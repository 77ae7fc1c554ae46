"""The review screen's controller, driven with an injected clock."""

from __future__ import annotations

from datetime import timedelta, timezone

from sqlalchemy import func, select

from app.scheduling.session import SpacedSession
from app.store.models import Deck, ReviewLog

from .conftest import T0, make_deck


class Clock:
    def __init__(self, t):
        self.t = t

    def __call__(self):
        return self.t


def test_a_day_of_reviews_then_done(store):
    deck = make_deck(store, "Two", 2, new_per_day=2)
    clock = Clock(T0)
    s = SpacedSession(store, deck, now=clock, tz=timezone.utc)
    assert s.counts.new == 2 and s.current.kind == "new"
    assert [c.label for c in s.current.choices] == ["Again", "Hard", "Good", "Easy"]
    assert [c.interval for c in s.current.choices] == ["1m", "6m", "10m", "8d"]
    first = s.current.card_id
    s.reveal()
    assert s.revealed
    s.answer(3)  # Good: back in 10 minutes
    assert not s.revealed and s.current.card_id != first
    s.answer(4)  # Easy: graduates
    # only the first card's 10-minute step is left; learn-ahead shows it early
    assert s.current.card_id == first and s.current.kind == "learning"
    clock.t = T0 + timedelta(minutes=10)
    s.refresh()
    s.answer(3)  # graduates
    assert s.current is None and s.done_for_today and s.reviewed == 3
    with store.session() as ss:
        assert ss.scalar(select(func.count()).select_from(ReviewLog).where(ReviewLog.mode == "spaced")) == 3


def test_waiting_for_a_learning_step(store):
    deck = make_deck(store, "One", 1)
    clock = Clock(T0)
    s = SpacedSession(store, deck, now=clock, tz=timezone.utc)
    s.answer(1)  # Again: back in a minute — shown now (learn-ahead)
    assert s.current is not None
    s.answer(2)  # Hard on step 0: between 1 and 10 min
    clock.t = T0 + timedelta(minutes=1)
    s.answer(3)  # Good: 10-minute step -> still within learn-ahead
    assert s.current is not None
    s.answer(4)  # Easy graduates
    assert s.done_for_today


def test_undo_shows_the_card_again(store):
    deck = make_deck(store, "Three", 3)
    s = SpacedSession(store, deck, now=Clock(T0), tz=timezone.utc)
    first = s.current.card_id
    s.answer(4)
    assert s.current.card_id != first and s.can_undo
    assert s.undo()
    assert s.current.card_id == first and s.counts.new == 3 and not s.can_undo
    assert s.undo() is False


def test_confidence_scale_deck(store):
    deck = make_deck(store, "Five", 2)
    with store.transaction() as ss:
        ss.get(Deck, deck).rating_scale = "5"
    s = SpacedSession(store, deck, now=Clock(T0), tz=timezone.utc)
    assert [c.key for c in s.current.choices] == [1, 2, 3, 4, 5]
    assert [c.rating for c in s.current.choices] == [1, 1, 2, 3, 4]
    s.answer(5)
    with store.session() as ss:
        assert ss.scalar(select(ReviewLog.rating)) == 4
