"""The daily queue: what is due first, the new-card limit, and the day rollover."""

from __future__ import annotations

from datetime import timedelta, timezone

from sqlalchemy import select

from app.scheduling.days import set_rollover_hour
from app.scheduling.queue import build_queue, deck_counts
from app.store.models import Card, Deck
from app.study.deck_stats import deck_summaries

from .conftest import T0, make_deck, review

UTC = timezone.utc


def card_ids(store, deck_id):
    with store.session() as s:
        return list(s.scalars(select(Card.id).where(Card.deck_id == deck_id).order_by(Card.position)))


def queue(store, deck_id, at):
    with store.session() as s:
        return build_queue(s, deck_id, at, tz=UTC)


def test_fresh_deck_offers_new_cards_up_to_the_daily_limit(store, deck10):
    q = queue(store, deck10, T0)
    assert [it.kind for it in q.items] == ["new"] * 4
    assert [it.card_id for it in q.items] == card_ids(store, deck10)[:4]
    assert q.counts.as_json() == {"new": 4, "learning": 0, "review": 0, "total": 4}
    assert q.next_item().card_id == card_ids(store, deck10)[0]


def test_new_limit_counts_cards_introduced_today_and_resets_at_rollover(store, deck10):
    ids = card_ids(store, deck10)
    review(store, ids[0], 3, T0)
    review(store, ids[1], 4, T0 + timedelta(minutes=1))
    q = queue(store, deck10, T0 + timedelta(minutes=2))
    assert [it.card_id for it in q.new] == ids[2:4]  # 4 a day, 2 already introduced
    assert q.counts.learning == 1  # ids[0] is in its 10-minute step
    assert [it.card_id for it in q.later] == [ids[0]]
    # practice that leaves FSRS alone does not use up the new-card allowance
    review(store, ids[5], 3, T0 + timedelta(minutes=3), mode="learn", scheduled=False)
    assert len(queue(store, deck10, T0 + timedelta(minutes=4)).new) == 2
    # 03:59 UTC the next morning is still the same study day; 04:00 starts a new one
    assert len(queue(store, deck10, T0.replace(hour=3, minute=59) + timedelta(days=1)).new) == 2
    assert len(queue(store, deck10, T0.replace(hour=4) + timedelta(days=1)).new) == 4


def test_rollover_hour_from_settings(store, deck10):
    ids = card_ids(store, deck10)
    review(store, ids[0], 3, T0)
    with store.transaction() as s:
        set_rollover_hour(s, 8)
    # 07:30 next day is still the study day of T0 with an 8 am rollover
    assert len(queue(store, deck10, T0.replace(hour=7, minute=30) + timedelta(days=1)).new) == 3
    assert len(queue(store, deck10, T0.replace(hour=8) + timedelta(days=1)).new) == 4


def test_due_reviews_come_first_then_learning_then_new(store, deck10):
    ids = card_ids(store, deck10)
    r_easy = review(store, ids[0], 4, T0)  # straight to review, due in days
    review(store, ids[1], 1, T0)  # learning, back in a minute
    at = r_easy.due.replace(hour=5)  # early on the day the review falls due
    assert at < r_easy.due
    q = queue(store, deck10, at)
    kinds = [(it.card_id, it.kind) for it in q.items]
    # the learning card's minute has long passed, so it is due; the review is due today
    assert kinds[:2] == [(ids[1], "learning"), (ids[0], "review")]
    assert all(k == "new" for _, k in kinds[2:])
    assert q.counts.review == 1 and q.counts.learning == 1
    # a review not due until tomorrow is not in today's queue
    tomorrow = queue(store, deck10, T0 + timedelta(hours=1))
    assert ids[0] not in [it.card_id for it in tomorrow.items]


def test_learning_card_waits_until_its_step_unless_nothing_else(store):
    deck = make_deck(store, "One", 1)
    (cid,) = card_ids(store, deck)
    r = review(store, cid, 3, T0)  # Good on a new card: 10-minute step
    q = queue(store, deck, T0 + timedelta(minutes=1))
    assert q.ready == [] and q.new == []
    assert q.next_due == r.due
    assert q.next_item().card_id == cid  # learn-ahead: nothing else left, due within 20 min
    review(store, cid, 3, r.due)  # graduates
    q = queue(store, deck, r.due + timedelta(minutes=1))
    assert q.items == [] and q.next_item() is None


def test_all_decks_queue_and_counts_agree_with_deck_summaries(store, deck10):
    other = make_deck(store, "Other", 5, new_per_day=2)
    ids = card_ids(store, deck10)
    review(store, ids[0], 1, T0)
    at = T0 + timedelta(minutes=30)
    q = queue(store, None, at)
    assert {it.deck_id for it in q.items} == {deck10, other}
    assert q.counts.new == 3 + 2
    with store.session() as s:
        counts = deck_counts(s, at, tz=UTC)
        assert counts[deck10].total + counts[other].total == q.counts.total
        summaries = {d.id: d for d in deck_summaries(s, now=at)}
    assert summaries[deck10].due == counts[deck10].total
    assert summaries[other].due == counts[other].total


def test_lowering_the_limit_below_today_count_offers_no_new(store, deck10):
    ids = card_ids(store, deck10)
    for i in range(3):
        review(store, ids[i], 3, T0 + timedelta(seconds=i))
    with store.transaction() as s:
        s.get(Deck, deck10).new_per_day = 2
    assert queue(store, deck10, T0 + timedelta(minutes=1)).new == []
