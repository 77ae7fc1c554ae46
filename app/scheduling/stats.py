"""Statistics for one deck or the whole collection (Qt-free; the Stats screen and `recall stats`).

- heatmap: reviews (any mode) per local study day over the last year, with the current and
  longest streak of days with at least one review (a streak is not broken until today is over);
- reviews per day over the last 30 days and their mean;
- true retention: the share of scheduled reviews of cards in the review state that passed
  (rating above Again), over 30 days and overall, as Anki's "true retention" table reports;
- forecast: scheduled cards falling due on each of the next 30 study days (overdue cards count
  on today);
- card states: new (never scheduled), learning, review, relearning.

Times are bucketed in SQL by quarter hour (every time zone's offset is a multiple of 15
minutes) and each bucket is then put on its local study day, so a year of history is never
loaded row by row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

from sqlalchemy import Integer as SAInteger
from sqlalchemy import String, cast, func, select, text
from sqlalchemy.orm import Session

from app.scheduling.days import StudyDay, day_start_utc, rollover_hour, study_date, study_day
from app.scheduling.queue import DayCounts, deck_counts
from app.store.models import Card, CardState, Deck

HEATMAP_DAYS = 365
RECENT_DAYS = 30
FORECAST_DAYS = 30
STATE_NAMES = {1: "learning", 2: "review", 3: "relearning"}


@dataclass(frozen=True)
class Retention:
    passed: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.total if self.total else None

    def as_json(self) -> dict:
        rate = self.rate
        return {"passed": self.passed, "total": self.total, "rate": None if rate is None else round(rate, 4)}


@dataclass(frozen=True)
class Stats:
    deck_id: int | None
    deck: str | None
    today: StudyDay
    rollover_hour: int
    heatmap: dict[date, int]  # study day -> reviews, days with reviews only
    streak: int
    longest_streak: int
    recent: list[tuple[date, int]]  # the last 30 study days, oldest first, zeros included
    retention_recent: Retention
    retention_all: Retention
    forecast: list[tuple[date, int]]  # the next 30 study days from today
    card_states: dict[str, int]
    due_today: DayCounts

    @property
    def reviews_today(self) -> int:
        return self.heatmap.get(self.today.date, 0)

    @property
    def reviews_per_day(self) -> float:
        return sum(n for _, n in self.recent) / len(self.recent) if self.recent else 0.0

    def as_json(self) -> dict:
        return {
            "deck_id": self.deck_id,
            "deck": self.deck,
            "today": self.today.date.isoformat(),
            "rollover_hour": self.rollover_hour,
            "card_states": dict(self.card_states),
            "due_today": self.due_today.as_json(),
            "reviews": {
                "today": self.reviews_today,
                "per_day": round(self.reviews_per_day, 2),
                "last_30_days": [{"date": d.isoformat(), "count": n} for d, n in self.recent],
            },
            "heatmap": [{"date": d.isoformat(), "count": n} for d, n in sorted(self.heatmap.items())],
            "streak": {"current": self.streak, "longest": self.longest_streak},
            "true_retention": {
                "last_30_days": self.retention_recent.as_json(),
                "all_time": self.retention_all.as_json(),
            },
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
        }


def _quarter_hours(column):
    """SQL expressions for a stored time's hour ('YYYY-MM-DD HH') and quarter of that hour.

    Times are stored as naive UTC text, so plain substrings are enough (and far cheaper than
    SQLite's date functions on a year of reviews).
    """
    as_text = cast(column, String)  # a no-op on SQLite; PostgreSQL prints the same 'YYYY-MM-DD HH:MM:SS'
    return (
        func.substr(as_text, 1, 13),
        cast(func.substr(as_text, 15, 2), SAInteger) // 15,
    )


def _bucket_time(hour_text: str, quarter: int) -> datetime:
    base = datetime.fromisoformat(hour_text + ":00").replace(tzinfo=timezone.utc)
    return base + timedelta(minutes=15 * int(quarter))


def _per_study_day(rows, hour: int, tz: tzinfo | None) -> Counter:
    out: Counter = Counter()
    for hour_text, quarter, n in rows:
        if hour_text is not None:
            out[study_date(_bucket_time(hour_text, quarter), hour, tz)] += n
    return out


def _streaks(days_with_reviews: set[date], today: date) -> tuple[int, int]:
    current = 0
    d = today if today in days_with_reviews else today - timedelta(days=1)
    while d in days_with_reviews:
        current += 1
        d -= timedelta(days=1)
    longest = run = 0
    prev: date | None = None
    for d in sorted(days_with_reviews):
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        longest = max(longest, run)
        prev = d
    return current, longest


def _stored(moment: datetime) -> str:
    """A UTC time as the store writes it (SQLAlchemy's SQLite DATETIME text), for range binds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def _bound(session: Session, moment: datetime) -> str | datetime:
    """A range bind for raw SQL: the stored text on SQLite, a naive UTC timestamp on PostgreSQL."""
    if session.get_bind().dialect.name == "postgresql":
        return moment.astimezone(timezone.utc).replace(tzinfo=None)
    return _stored(moment)


def _reviews_per_day(
    session: Session, deck_ids: list[int], days: list[date], hour: int, tz: tzinfo | None
) -> list[int]:
    """Reviews in each study day, counted on the (deck_id, reviewed_at) index.

    Each day's bounds are computed in Python (so summer time is right), sent as a VALUES
    table, and counted with one index range per day and deck: tens of milliseconds for a year
    of a large collection, where grouping every row by an expression takes a second.
    """
    if not deck_ids or not days:
        return [0] * len(days)
    params: dict[str, object] = {}
    rows = []
    for i, d in enumerate(days):
        params[f"s{i}"] = _bound(session, day_start_utc(d, hour, tz))
        params[f"e{i}"] = _bound(session, day_start_utc(d + timedelta(days=1), hour, tz))
        rows.append(f"({i}, :s{i}, :e{i})")
    decks = ", ".join(str(int(d)) for d in deck_ids)
    sql = (
        f"WITH b(i, s, e) AS (VALUES {', '.join(rows)}) "
        "SELECT b.i, (SELECT count(*) FROM review_log r "
        f"WHERE r.deck_id IN ({decks}) AND r.reviewed_at >= b.s AND r.reviewed_at < b.e) FROM b"
    )
    out = [0] * len(days)
    for i, n in session.execute(text(sql), params):
        out[i] = int(n)
    return out


def _retentions(session: Session, deck_id: int | None, recent_since: datetime) -> tuple[Retention, Retention]:
    """True retention over the recent days and over all time, in one pass over the log.

    The whole collection is one sequential scan of the table; going through the deck index
    instead would read the same rows in random order, several times slower.
    """
    # Recall writes state_before as '{"state": N, ...}'; read N from the text when it has that
    # shape (a substring is far cheaper than parsing JSON on every review), else parse it.
    was_review = (
        "CASE WHEN substr(state_before, 1, 10) = '{\"state\": ' THEN substr(state_before, 11, 2) = '2,' "
        "ELSE CAST(json_extract(state_before, '$.state') AS INTEGER) = 2 END"
    )
    where_deck = "" if deck_id is None else f"deck_id = {int(deck_id)} AND "
    sql = (
        # CASE, not sum(boolean), and a bare `scheduled`: the same SQL on SQLite and PostgreSQL
        "SELECT count(*), coalesce(sum(CASE WHEN rating > 1 THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN reviewed_at >= :since THEN 1 ELSE 0 END), 0), "
        "coalesce(sum(CASE WHEN rating > 1 AND reviewed_at >= :since THEN 1 ELSE 0 END), 0) "
        f"FROM review_log WHERE {where_deck}scheduled AND state_before IS NOT NULL "
        f"AND {was_review}"
    )
    total, ok, recent, recent_ok = session.execute(text(sql), {"since": _bound(session, recent_since)}).one()
    return Retention(int(recent_ok), int(recent)), Retention(int(ok), int(total))


def _card_states(session: Session, deck_id: int | None) -> dict[str, int]:
    cards = select(func.count()).select_from(Card)
    states = (
        select(CardState.state, func.count())
        .where(CardState.last_review.is_not(None))
        .group_by(CardState.state)
    )
    if deck_id is not None:
        cards = cards.where(Card.deck_id == deck_id)
        states = states.where(CardState.deck_id == deck_id)
    by_state = {STATE_NAMES.get(s, str(s)): n for s, n in session.execute(states)}
    total = int(session.scalar(cards) or 0)
    out = {"new": total - sum(by_state.values())}
    for name in STATE_NAMES.values():
        out[name] = by_state.get(name, 0)
    out["total"] = total
    return out


def collect_stats(session: Session, deck_id: int | None, now: datetime, tz: tzinfo | None = None) -> Stats:
    hour = rollover_hour(session)
    day = study_day(now, hour, tz)
    deck_name = session.get(Deck, deck_id).name if deck_id is not None else None
    deck_ids = [deck_id] if deck_id is not None else list(session.scalars(select(Deck.id)))

    # reviews per study day, a year back: one index range count per day and deck
    first_day = day.date - timedelta(days=HEATMAP_DAYS - 1)
    days = [first_day + timedelta(days=i) for i in range(HEATMAP_DAYS)]
    counts_by_day = _reviews_per_day(session, deck_ids, days, hour, tz)
    heatmap = {d: n for d, n in zip(days, counts_by_day, strict=True) if n}
    streak, longest = _streaks(set(heatmap), day.date)
    recent = [
        (d, heatmap.get(d, 0)) for d in (day.date - timedelta(days=i) for i in range(RECENT_DAYS - 1, -1, -1))
    ]

    # scheduled cards by the study day they fall due on; overdue ones are due today
    horizon = day.start + timedelta(days=FORECAST_DAYS + 1)
    dq = _quarter_hours(CardState.due)
    fstmt = (
        select(*dq, func.count())
        .where(CardState.last_review.is_not(None), CardState.due < horizon)
        .group_by(*dq)
    )
    if deck_id is not None:
        fstmt = fstmt.where(CardState.deck_id == deck_id)
    due_days = _per_study_day(session.execute(fstmt), hour, tz)
    forecast_days = [day.date + timedelta(days=i) for i in range(FORECAST_DAYS)]
    overdue = sum(n for d, n in due_days.items() if d < day.date)
    forecast = [(d, due_days.get(d, 0) + (overdue if i == 0 else 0)) for i, d in enumerate(forecast_days)]

    retention_recent, retention_all = _retentions(
        session, deck_id, day.start - timedelta(days=RECENT_DAYS - 1)
    )
    counts = deck_counts(session, now, deck_id, tz)
    due_today = sum(counts.values(), DayCounts())
    return Stats(
        deck_id=deck_id,
        deck=deck_name,
        today=day,
        rollover_hour=hour,
        heatmap=heatmap,
        streak=streak,
        longest_streak=longest,
        recent=recent,
        retention_recent=retention_recent,
        retention_all=retention_all,
        forecast=forecast,
        card_states=_card_states(session, deck_id),
        due_today=due_today,
    )
