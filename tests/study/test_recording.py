"""Study answers reach the real store: review log rows, mastery levels, stars and best times."""

from __future__ import annotations

from sqlalchemy import func, select

from app.store.models import CardState, Deck, ReviewLog
from app.study.cards import Answer, load_study_cards, save_best_match_time, set_starred
from app.study.mastery import card_levels, level_for
from app.study.recording import store_recorder


def test_answers_are_logged_and_mastery_grows(store, sample_deck):
    with store.session() as s:
        cards = load_study_cards(s, sample_deck)
    assert len(cards) == 5 and cards[0].front.startswith("What does the forget gate")
    record = store_recorder(store)
    card = cards[0]
    for mode in ("learn", "match", "flashcards"):
        record(Answer(card.id, mode, True))
    record(Answer(cards[1].id, "test", True, "typo'd", close=True))
    record(Answer(cards[2].id, "learn", False, "wrong"))
    with store.session() as s:
        rows = s.execute(
            select(ReviewLog.card_id, ReviewLog.mode, ReviewLog.rating, ReviewLog.scheduled)
        ).all()
        assert [(r.mode, r.rating, r.scheduled) for r in rows] == [
            ("learn", 3, True),  # first answer in the session: a real FSRS review
            ("match", 3, False),  # the same card again minutes later: practice only
            ("flashcards", 3, False),
            ("test", 2, True),  # accepted with a typo: Hard, and a real review
            ("learn", 1, True),
        ]
        assert level_for(s.get(CardState, card.id)) == "mastered"
        assert s.get(CardState, card.id).last_review is not None  # the schedule moved
        assert s.get(CardState, cards[2].id).stability is not None
        levels = card_levels(s, sample_deck)
        assert levels[card.id] == "mastered" and levels[cards[2].id] == "learning"
        assert levels[cards[4].id] == "new"
        reloaded = load_study_cards(s, sample_deck)
    assert reloaded[0].streak == 3 and reloaded[0].reps == 3


def test_deleted_card_answer_is_dropped_quietly(store, sample_deck):
    record = store_recorder(store)
    record(Answer(999999, "learn", True))
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(ReviewLog)) == 0


def test_star_and_best_match_time(store, sample_deck):
    with store.session() as s:
        cid = load_study_cards(s, sample_deck)[0].id
    with store.transaction() as s:
        set_starred(s, cid, True)
    with store.transaction() as s:
        assert save_best_match_time(s, sample_deck, 9000) == (True, None)
    with store.transaction() as s:
        assert save_best_match_time(s, sample_deck, 12000) == (False, 9000)
        assert save_best_match_time(s, sample_deck, 8000) == (True, 9000)
    with store.session() as s:
        assert s.get(Deck, sample_deck).best_match_ms == 8000
        assert load_study_cards(s, sample_deck)[0].starred
