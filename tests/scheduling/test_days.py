from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from app.scheduling.days import (
    DEFAULT_ROLLOVER_HOUR,
    rollover_hour,
    set_rollover_hour,
    study_date,
    study_day,
    today,
)

BERLIN = ZoneInfo("Europe/Berlin")


def utc(*a):
    return datetime(*a, tzinfo=timezone.utc)


def test_day_rolls_over_at_the_set_local_hour():
    # 02:30 UTC = 03:30 in Berlin (winter): still yesterday's study day with a 4 am rollover
    assert study_date(utc(2026, 1, 15, 2, 30), 4, BERLIN) == date(2026, 1, 14)
    # 03:00 UTC = 04:00 local: the new day has begun
    assert study_date(utc(2026, 1, 15, 3, 0), 4, BERLIN) == date(2026, 1, 15)
    # with a midnight rollover, 23:30 UTC is already the next local day
    assert study_date(utc(2026, 1, 14, 23, 30), 0, BERLIN) == date(2026, 1, 15)


def test_study_day_bounds_are_utc_and_follow_summer_time():
    winter = study_day(utc(2026, 1, 15, 12), 4, BERLIN)
    assert (winter.start, winter.end) == (utc(2026, 1, 15, 3), utc(2026, 1, 16, 3))
    summer = study_day(utc(2026, 7, 15, 12), 4, BERLIN)
    assert summer.start == utc(2026, 7, 15, 2)
    # the night clocks go forward the day is 23 hours long
    spring = study_day(utc(2026, 3, 28, 12), 4, BERLIN)
    assert (spring.end - spring.start).total_seconds() == 23 * 3600


def test_rollover_hour_setting_is_stored(store):
    with store.transaction() as s:
        assert rollover_hour(s) == DEFAULT_ROLLOVER_HOUR
        set_rollover_hour(s, 6)
    with store.transaction() as s:
        assert rollover_hour(s) == 6
        assert today(s, utc(2026, 1, 15, 5, 30), BERLIN).date == date(2026, 1, 15)
        assert today(s, utc(2026, 1, 15, 4, 30), BERLIN).date == date(2026, 1, 14)
        with pytest.raises(ValueError):
            set_rollover_hour(s, 24)
