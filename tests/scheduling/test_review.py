"""record_review gives exactly what a bare fsrs Scheduler computes for the same history."""

from __future__ import annotations

import json
import random
from datetime import timedelta

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State
from sqlalchemy import select

from app.scheduling.grades import rating_for_verdict
from app.scheduling.review import format_interval, preview, record_review, scheduler_for
from app.store.models import Card, CardState, Deck, ReviewLog

from .conftest import T0, make_deck, review


def _simulate_month(store, card_id: int, seed: int, parameters=None):
    """Review a card whenever it falls due (plus a random delay) for 30 days, twice: through the
    store and through a bare fsrs Scheduler; return both histories."""
    rng = random.Random(seed)
    bare = (
        Scheduler(parameters=parameters, enable_fuzzing=False)
        if parameters
        else Scheduler(enable_fuzzing=False)
    )
    fcard = FsrsCard(card_id=card_id, due=T0)
    at = T0
    ours, theirs = [], []
    while at < T0 + timedelta(days=30):
        rating = rng.choices([1, 2, 3, 4], weights=[2, 2, 6, 1])[0]
        res = review(store, card_id, rating, at)
        fcard, _ = bare.review_card(fcard, Rating(rating), at)
        ours.append((res.due, res.state, res.stability, res.difficulty))
        theirs.append((fcard.due, int(fcard.state), fcard.stability, fcard.difficulty))
        at = fcard.due + timedelta(minutes=rng.randint(0, 600))
    return ours, theirs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_month_of_reviews_matches_bare_fsrs(store, seed):
    deck_id = make_deck(store, f"Month {seed}", 1)
    with store.session() as s:
        card_id = s.scalar(select(Card.id).where(Card.deck_id == deck_id))
    ours, theirs = _simulate_month(store, card_id, seed)
    assert len(ours) >= 5
    for (d1, st1, s1, df1), (d2, st2, s2, df2) in zip(ours, theirs, strict=True):
        assert d1 == d2
        assert st1 == st2
        assert s1 == pytest.approx(s2, rel=1e-12)
        assert df1 == pytest.approx(df2, rel=1e-12)
    # the stored row holds the final state, and a graduated card has day-scale intervals
    with store.session() as s:
        row = s.get(CardState, card_id)
        assert row.due == theirs[-1][0]
        assert s.scalar(
            select(ReviewLog.id).where(ReviewLog.card_id == card_id).order_by(ReviewLog.id.desc())
        )


def test_deck_parameters_and_retention_are_used(store):
    deck_id = make_deck(store, "Tuned", 1)
    params = list(Scheduler().parameters)
    params[0], params[1], params[2] = 1.0, 2.0, 5.0  # longer first intervals
    with store.transaction() as s:
        deck = s.get(Deck, deck_id)
        deck.fsrs_parameters = json.dumps(params)
        deck.desired_retention = 0.85
        card_id = deck.cards[0].id
    res = review(store, card_id, 3, T0)
    bare = Scheduler(parameters=params, desired_retention=0.85, enable_fuzzing=False)
    fcard, _ = bare.review_card(FsrsCard(card_id=card_id, due=T0), Rating.Good, T0)
    assert res.due == fcard.due
    assert res.stability == pytest.approx(5.0)


def test_preview_matches_what_each_rating_does(store):
    deck_id = make_deck(store, "Preview", 1)
    with store.session() as s:
        card_id = s.scalar(select(Card.id).where(Card.deck_id == deck_id))
    review(store, card_id, 3, T0)
    review(store, card_id, 3, T0 + timedelta(minutes=10))
    at = T0 + timedelta(days=3)
    with store.session() as s:
        card = s.get(Card, card_id)
        shown = preview(card.deck, card.state, card_id, at)
    assert shown[1] < shown[2] < shown[3] < shown[4]
    res = review(store, card_id, 4, at)
    assert res.due == shown[4]
    assert res.interval_days == pytest.approx((shown[4] - at).total_seconds() / 86400)


def test_lapse_counted_and_streak_reset(store):
    deck_id = make_deck(store, "Lapse", 1)
    with store.session() as s:
        card_id = s.scalar(select(Card.id).where(Card.deck_id == deck_id))
    r = review(store, card_id, 4, T0)  # Easy graduates straight to review
    assert r.state == State.Review
    r = review(store, card_id, 1, r.due)
    assert r.state == State.Relearning
    with store.session() as s:
        st = s.get(CardState, card_id)
        assert (st.lapses, st.reps, st.correct_streak) == (1, 2, 0)


def test_practice_without_scheduling_leaves_fsrs_alone(store):
    deck_id = make_deck(store, "Practice", 1)
    with store.session() as s:
        card_id = s.scalar(select(Card.id).where(Card.deck_id == deck_id))
    review(store, card_id, 3, T0, mode="learn", scheduled=False)
    with store.session() as s:
        st = s.get(CardState, card_id)
        assert st.last_review is None and st.stability is None and st.correct_streak == 1
    # its first scheduled review then starts from a new card, as fsrs would
    r = review(store, card_id, rating_for_verdict("correct", 0.8), T0 + timedelta(hours=1), mode="call")
    fcard, _ = Scheduler(enable_fuzzing=False).review_card(
        FsrsCard(card_id=1, due=T0), Rating.Good, T0 + timedelta(hours=1)
    )
    assert r.due == fcard.due


def test_bad_input_is_refused(store):
    deck_id = make_deck(store, "Bad", 1)
    with store.transaction() as s:
        card = s.scalar(select(Card).where(Card.deck_id == deck_id))
        with pytest.raises(ValueError):
            record_review(s, card, mode="spaced", rating=5)
        with pytest.raises(ValueError):
            record_review(s, card, mode="dance", rating=3)


def test_scheduler_is_shared_for_equal_settings(store):
    a = make_deck(store, "A", 1)
    b = make_deck(store, "B", 1)
    with store.session() as s:
        assert scheduler_for(s.get(Deck, a)) is scheduler_for(s.get(Deck, b))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=5), "5h"),
        (timedelta(days=3), "3d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=400), "1.1y"),
    ],
)
def test_format_interval(delta, text):
    assert format_interval(delta) == text
