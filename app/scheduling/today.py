"""Today at a glance, for the home screen: what is due across every deck, the study streak,
the time studied today, and when each deck was last studied. Plain queries, no Qt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.scheduling.days import rollover_hour, study_day
from app.scheduling.queue import DayCounts, deck_counts
from app.scheduling.stats import _reviews_per_day, _streaks
from app.store.models import Deck, ReviewLog

STREAK_WINDOWS = (35, 400)  # look a month back first; only a longer streak needs the year


@dataclass(frozen=True)
class Today:
    due: int  # learning and review cards due now, all decks
    new: int  # new cards left in today's allowances
    streak: int  # study days in a row with a review, today counting once it has one
    reviews_today: int
    studied_ms_today: int  # the answer times logged today

    @property
    def total(self) -> int:
        return self.due + self.new

    @property
    def minutes_today(self) -> int:
        return round(self.studied_ms_today / 60_000)


def _streak(session: Session, deck_ids: list[int], now: datetime, hour: int, tz: tzinfo | None) -> int:
    day = study_day(now, hour, tz).date
    streak = 0
    for window in STREAK_WINDOWS:
        days = [day - timedelta(days=i) for i in range(window - 1, -1, -1)]
        counts = _reviews_per_day(session, deck_ids, days, hour, tz)
        streak, _ = _streaks({d for d, n in zip(days, counts, strict=True) if n}, day)
        if streak < window - 1:
            break
    return streak


def today_overview(
    session: Session, now: datetime, tz: tzinfo | None = None, day_counts: dict[int, DayCounts] | None = None
) -> Today:
    """`day_counts`: `deck_counts(session, now, None, tz)` when the caller has it already."""
    hour = rollover_hour(session)
    day = study_day(now, hour, tz)
    day_counts = deck_counts(session, now, None, tz) if day_counts is None else day_counts
    counts = sum(day_counts.values(), DayCounts())
    deck_ids = list(session.scalars(select(Deck.id)))
    reviews, ms = session.execute(
        select(func.count(), func.coalesce(func.sum(ReviewLog.duration_ms), 0)).where(
            ReviewLog.reviewed_at >= day.start, ReviewLog.reviewed_at < day.end
        )
    ).one()
    return Today(
        due=counts.learning + counts.review,
        new=counts.new,
        streak=_streak(session, deck_ids, now, hour, tz) if deck_ids else 0,
        reviews_today=int(reviews),
        studied_ms_today=int(ms),
    )


def last_studied(session: Session) -> dict[int, datetime]:
    """deck id -> the time of its latest answer (decks never studied are left out)."""
    rows = session.execute(select(ReviewLog.deck_id, func.max(ReviewLog.reviewed_at)).group_by(ReviewLog.deck_id))
    out = {}
    for deck_id, at in rows:
        if at is not None:
            out[deck_id] = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
    return out


def ago(moment: datetime | None, now: datetime) -> str:
    """'today', 'yesterday', '3 days ago', '2 weeks ago', 'never' — in the user's words."""
    if moment is None:
        return "never"
    days = (now.astimezone().date() - moment.astimezone().date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"
