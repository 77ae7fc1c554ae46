"""The optimizer on a synthetic log: refuses a small one, fits a big enough one, restores."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.scheduling.optimizer import (
    MIN_REVIEWS,
    OptimizeCancelled,
    OptimizeRefused,
    default_parameters,
    optimize,
    prepare,
    restore_previous,
)
from app.scheduling.review import scheduler_for
from app.scheduling.simulate import simulate, write_history
from app.store.models import Card, Deck

from .conftest import make_deck

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _simulated_deck(store, name: str, cards: int, days: int) -> int:
    deck_id = make_deck(store, name, cards)
    with store.transaction() as s:
        ids = list(s.scalars(select(Card.id).where(Card.deck_id == deck_id).order_by(Card.position)))
        write_history(s, deck_id, simulate(ids, START, days, new_per_day=10, seed=3))
    return deck_id


def test_small_log_is_refused_with_the_reason(store):
    deck_id = _simulated_deck(store, "Small", 20, 30)
    with store.session() as s, pytest.raises(OptimizeRefused, match=str(MIN_REVIEWS)):
        prepare(s, deck_id)
    with store.session() as s, pytest.raises(OptimizeRefused, match="no deck"):
        prepare(s, 999)
    with store.transaction() as s, pytest.raises(OptimizeRefused, match="restore"):
        restore_previous(s, deck_id)


def test_fit_applies_new_parameters_and_restores_old(store):
    deck_id = _simulated_deck(store, "Big", 100, 90)
    seen: list[float] = []
    fit = optimize(store, deck_id, progress=seen.append)
    js = fit.as_json()
    assert js["scope"] == "Big" and js["eligible_reviews"] >= MIN_REVIEWS
    assert len(fit.new_parameters) == len(default_parameters())
    assert fit.new_parameters != fit.old_parameters
    # the fit lowers the loss on the history it was fitted to
    assert fit.new_log_loss is not None and fit.new_log_loss < fit.old_log_loss
    # progress rose to the end
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 5
    with store.session() as s:
        deck = s.get(Deck, deck_id)
        assert json.loads(deck.fsrs_parameters) == pytest.approx(fit.new_parameters)
        assert json.loads(deck.fsrs_parameters_previous) == pytest.approx(default_parameters())
        assert scheduler_for(deck).parameters == pytest.approx(tuple(fit.new_parameters))
    with store.transaction() as s:
        assert restore_previous(s, deck_id) == ["Big"]
    with store.session() as s:
        assert json.loads(s.get(Deck, deck_id).fsrs_parameters) == pytest.approx(default_parameters())


def test_cancel_stops_without_changing_anything(store):
    deck_id = _simulated_deck(store, "Cancel", 100, 90)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(OptimizeCancelled):
        optimize(store, deck_id, cancelled=cancelled)
    with store.session() as s:
        assert s.get(Deck, deck_id).fsrs_parameters is None
