"""Study days: where "today" starts and ends.

Everything is stored in UTC, but a person's day is local and does not end at midnight for
someone reviewing at 00:30: as in Anki, the day rolls over at a user-set hour (default 4 am,
local time). The hour is a collection setting (settings table, key `day_rollover_hour`) so it
travels with the database.

`tz=None` means the computer's local time zone (with its summer-time rules); tests pass a
fixed zone.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the day arithmetic is also used by readers that never load SQLAlchemy
    from sqlalchemy.orm import Session

ROLLOVER_KEY = "day_rollover_hour"
DEFAULT_ROLLOVER_HOUR = 4


def rollover_hour(session: Session) -> int:
    from app.store.models import Setting

    row = session.get(Setting, ROLLOVER_KEY)
    return hour_from_setting(None if row is None else row.value)


def hour_from_setting(value: str | None) -> int:
    """The stored setting as an hour; missing or out of range is the default."""
    if value is None:
        return DEFAULT_ROLLOVER_HOUR
    try:
        hour = int(value)
    except ValueError:
        return DEFAULT_ROLLOVER_HOUR
    return hour if 0 <= hour <= 23 else DEFAULT_ROLLOVER_HOUR


def set_rollover_hour(session: Session, hour: int) -> None:
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValueError(f"the day rollover hour must be 0..23, not {hour!r}")
    from app.store.models import Setting

    row = session.get(Setting, ROLLOVER_KEY)
    if row is None:
        session.add(Setting(key=ROLLOVER_KEY, value=str(hour)))
    else:
        row.value = str(hour)


def to_local(moment: datetime, tz: tzinfo | None = None) -> datetime:
    """An aware time in the given zone (None: the computer's zone)."""
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def study_date(moment: datetime, hour: int, tz: tzinfo | None = None) -> date:
    """The study day an instant belongs to: its local date, minus one before the rollover hour."""
    local = to_local(moment, tz)
    return local.date() - timedelta(days=1) if local.hour < hour else local.date()


def day_start_utc(day: date, hour: int, tz: tzinfo | None = None) -> datetime:
    """When the study day `day` begins, in UTC."""
    naive = datetime.combine(day, time(hour))
    # A naive time given to astimezone() is read as the computer's local time.
    local = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return local.astimezone(timezone.utc)


class StudyDay(NamedTuple):  # not a dataclass: `recall decks` would pay for importing dataclasses
    date: date
    start: datetime  # UTC
    end: datetime  # UTC, the next day's start


def study_day(now: datetime, hour: int, tz: tzinfo | None = None) -> StudyDay:
    d = study_date(now, hour, tz)
    return StudyDay(d, day_start_utc(d, hour, tz), day_start_utc(d + timedelta(days=1), hour, tz))


def today(session: Session, now: datetime, tz: tzinfo | None = None) -> StudyDay:
    return study_day(now, rollover_hour(session), tz)
