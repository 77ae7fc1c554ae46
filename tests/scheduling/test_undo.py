from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.scheduling.queue import build_queue
from app.scheduling.undo import NothingToUndo, UndoConflict, undo_review
from app.store.models import Card, CardState, ReviewLog

from .conftest import T0, review


def _ids(store, deck_id):
    with store.session() as s:
        return list(s.scalars(select(Card.id).where(Card.deck_id == deck_id).order_by(Card.position)))


def _state(store, card_id):
    with store.session() as s:
        st = s.get(CardState, card_id)
        return (
            None
            if st is None
            else (
                st.state,
                st.step,
                st.stability,
                st.difficulty,
                st.due,
                st.last_review,
                st.reps,
                st.lapses,
                st.correct_streak,
            )
        )


def test_undo_of_a_first_review_makes_the_card_new_again(store, deck10):
    ids = _ids(store, deck10)
    review(store, ids[0], 3, T0)
    with store.transaction() as s:
        res = undo_review(s)
    assert res.card_id == ids[0] and res.card_is_new
    assert _state(store, ids[0]) is None
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ReviewLog)) == 0
        # and the day's new-card allowance is given back
        assert len(build_queue(s, deck10, T0 + timedelta(minutes=1)).new) == 4


def test_undo_restores_the_exact_state_before(store, deck10):
    ids = _ids(store, deck10)
    r = review(store, ids[0], 4, T0)
    before = _state(store, ids[0])
    review(store, ids[0], 1, r.due)  # a lapse
    assert _state(store, ids[0]) != before
    with store.transaction() as s:
        res = undo_review(s, deck_id=deck10)
    assert not res.card_is_new and res.rating == 1
    assert _state(store, ids[0]) == before


def test_undo_refuses_an_older_review_and_an_empty_log(store, deck10):
    ids = _ids(store, deck10)
    first = review(store, ids[0], 3, T0)
    review(store, ids[0], 3, T0 + timedelta(minutes=10))
    with store.transaction() as s, pytest.raises(UndoConflict):
        undo_review(s, log_id=first.log_id)
    with store.transaction() as s:
        undo_review(s)
        undo_review(s)
    with store.transaction() as s, pytest.raises(NothingToUndo):
        undo_review(s)
