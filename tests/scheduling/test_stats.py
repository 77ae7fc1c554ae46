from __future__ import annotations

from datetime import date, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.scheduling.stats import collect_stats
from app.store.models import Card

from .conftest import T0, make_deck, review

UTC = timezone.utc


def _ids(store, deck_id):
    with store.session() as s:
        return list(s.scalars(select(Card.id).where(Card.deck_id == deck_id).order_by(Card.position)))


def test_heatmap_streak_retention_forecast_and_states(store, deck10):
    other = make_deck(store, "Other", 3)
    ids = _ids(store, deck10)
    # months ago: a card graduated by Easy, then reviewed in the review state: a pass, then a lapse
    r = review(store, ids[6], 4, T0 - timedelta(days=120))
    r = review(store, ids[6], 3, r.due)
    r = review(store, ids[6], 1, r.due)
    assert r.reviewed_at < T0 - timedelta(days=10)
    # days 0,1,2 with reviews, a gap on day 3, then days 4 and 5 (today)
    for d in (0, 1, 2, 4, 5):
        review(store, ids[d], 3, T0 + timedelta(days=d))
    review(store, _ids(store, other)[0], 3, T0 + timedelta(days=5))  # another deck
    now = T0 + timedelta(days=5, hours=1)
    with store.session() as s:
        st = collect_stats(s, deck10, now, tz=UTC)
        everything = collect_stats(s, None, now, tz=UTC)
    js = st.as_json()
    assert js["deck"] == "Ten"
    assert st.heatmap[date(2026, 3, 2)] == 1
    assert sum(st.heatmap.values()) == 8
    assert sum(everything.heatmap.values()) == 9
    assert js["streak"] == {"current": 2, "longest": 3}
    assert st.reviews_today == 1
    # retention: of the two reviews of a card in the review state, one passed
    assert st.retention_all.as_json() == {"passed": 1, "total": 2, "rate": 0.5}
    # card states: ids[6] relearning, five learning/review cards; 4 never scheduled
    states = js["card_states"]
    assert states["total"] == 10 and states["new"] == 4
    assert states["relearning"] == 1
    assert states["learning"] + states["review"] == 5
    # forecast: every scheduled card of the deck is due within 30 days at these stabilities
    assert len(st.forecast) == 30 and st.forecast[0][0] == st.today.date
    assert sum(n for _, n in st.forecast) == 6
    assert len(js["reviews"]["last_30_days"]) == 30
    assert js["reviews"]["per_day"] == round(sum(n for _, n in st.recent) / 30, 2)


def test_streak_survives_until_today_is_over(store, deck10):
    ids = _ids(store, deck10)
    for d in range(3):
        review(store, ids[d], 3, T0 + timedelta(days=d))
    with store.session() as s:
        # the next day, before any review: the streak of 3 still stands
        assert collect_stats(s, deck10, T0 + timedelta(days=3), tz=UTC).streak == 3
        # a day later with no review it is broken
        assert collect_stats(s, deck10, T0 + timedelta(days=4), tz=UTC).streak == 0


def test_heatmap_days_are_local_study_days(store, deck10):
    ids = _ids(store, deck10)
    tokyo = ZoneInfo("Asia/Tokyo")  # UTC+9: 20:00 UTC is 05:00 the next local day
    review(store, ids[0], 3, T0.replace(hour=18))  # 03:00 local on the 3rd: still the 2nd's study day
    review(store, ids[1], 3, T0.replace(hour=20))  # 05:00 local on the 3rd
    with store.session() as s:
        st = collect_stats(s, deck10, T0.replace(hour=21), tz=tokyo)
    assert st.heatmap == {date(2026, 3, 2): 1, date(2026, 3, 3): 1}


def test_empty_collection(store):
    with store.session() as s:
        st = collect_stats(s, None, T0, tz=UTC)
    js = st.as_json()
    assert js["card_states"]["total"] == 0
    assert js["streak"] == {"current": 0, "longest": 0}
    assert js["true_retention"]["all_time"]["rate"] is None
    assert all(f["due"] == 0 for f in js["forecast"])


def test_retention_reads_state_before_in_any_json_shape(store, deck10):
    from app.store.models import ReviewLog

    ids = _ids(store, deck10)
    with store.transaction() as s:
        for rating, snap in (
            (3, '{"step": null, "state": 2}'),
            (1, '{"state":2}'),
            (3, '{"state": 1, "step": 0}'),
        ):
            s.add(
                ReviewLog(
                    card_id=ids[0],
                    deck_id=deck10,
                    mode="spaced",
                    rating=rating,
                    reviewed_at=T0,
                    state_before=snap,
                )
            )
    with store.session() as s:
        st = collect_stats(s, deck10, T0 + timedelta(hours=1), tz=UTC)
    assert (st.retention_all.passed, st.retention_all.total) == (1, 2)
    assert (st.retention_recent.passed, st.retention_recent.total) == (1, 2)
