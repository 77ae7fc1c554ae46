"""The figures of `deck_stats.deck_summaries`, read through the DB-API for `recall decks`.

Importing SQLAlchemy costs more than the whole count does at 100k cards (about 0.35 s of
start-up against tens of milliseconds of SQL), so `recall decks` on a current SQLite file
(`app.store.db.sqlite_reader`) reads straight through `sqlite3`: one aggregate pass over
card_states (seen, mastery levels and due), one over cards, one over today's review log, and for
each deck the new cards left in today's allowance, an index walk that stops at the allowance.
The rules are those `deck_summaries` applies: the queue's due rule (app/scheduling/queue.py)
and the mastery levels and weights (app/study/mastery.py); tests/study/test_deck_stats_sql.py
checks that both give the same figures.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone, tzinfo
from typing import NamedTuple

from app.scheduling.days import ROLLOVER_KEY, hour_from_setting, study_day
from app.study.mastery import FAMILIAR_STREAK, MASTERED_STREAK, mastery_percent

DT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's DateTime text on SQLite (naive UTC)
SCHEDULED_STATES = (1, 2, 3)  # queue.LEARNING_STATES + (queue.REVIEW_STATE,)

_STATES = f"""
SELECT deck_id, count(*),
       sum(correct_streak >= {MASTERED_STREAK}),
       sum(correct_streak >= {FAMILIAR_STREAK} AND correct_streak < {MASTERED_STREAK}),
       sum(correct_streak < {FAMILIAR_STREAK}),
       sum(state IN {SCHEDULED_STATES} AND due < :end AND last_review IS NOT NULL)
FROM card_states GROUP BY deck_id
"""
# queue.introduced_today: new cards whose first scheduled review was today
_INTRODUCED = """
SELECT deck_id, count(*) FROM review_log
WHERE reviewed_at >= :start AND scheduled = 1
  AND (state_before IS NULL OR json_extract(state_before, '$.last_review') IS NULL)
GROUP BY deck_id
"""
# queue._new_ids: never-scheduled cards in deck order, stopping at the allowance
_NEW = """
SELECT count(*) FROM (
    SELECT 1 FROM cards LEFT OUTER JOIN card_states ON card_states.card_id = cards.id
    WHERE cards.deck_id = ? AND (card_states.card_id IS NULL OR card_states.last_review IS NULL)
    ORDER BY cards.position, cards.id LIMIT ?)
"""


class DeckFigures(NamedTuple):
    """A deck's figures and their JSON (`recall decks --json`), on both paths: `deck_figures` here and
    `deck_stats.deck_summaries` (which calls it `DeckSummary`); no SQLAlchemy (or dataclasses) to load."""

    id: int
    name: str
    cards: int
    due: int
    new: int
    mastery: float  # 0..100
    folder: str = ""  # the library folder ("" none, "A/B" nested: app/store/folders.py)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "cards": self.cards,
            "due": self.due,
            "new": self.new,
            "mastery": round(self.mastery, 1),
            "folder": self.folder,
        }


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(tzinfo=None).strftime(DT)


def deck_figures(con: sqlite3.Connection, now: datetime | None = None, tz: tzinfo | None = None) -> list[DeckFigures]:
    """Every deck's card, due, new and mastery figures, decks by name."""
    now = now or datetime.now(timezone.utc)
    row = con.execute("SELECT value FROM settings WHERE key = ?", (ROLLOVER_KEY,)).fetchone()
    day = study_day(now, hour_from_setting(None if row is None else row[0]), tz)
    decks = con.execute("SELECT id, name, new_per_day, folder FROM decks ORDER BY name").fetchall()
    decks.sort(key=lambda d: (d[1].casefold(), d[1]))  # case ignored, as deck_summaries and the library
    if not decks:
        return []
    cards = dict(con.execute("SELECT deck_id, count(*) FROM cards GROUP BY deck_id").fetchall())
    states = {r[0]: r[1:] for r in con.execute(_STATES, {"end": _stamp(day.end)})}
    introduced = dict(con.execute(_INTRODUCED, {"start": _stamp(day.start)}).fetchall())
    out = []
    for deck_id, name, per_day, folder in decks:
        total = cards.get(deck_id, 0)
        seen, mastered, familiar, learning, due = (int(x or 0) for x in states.get(deck_id, (0, 0, 0, 0, 0)))
        allowance = max(0, per_day - introduced.get(deck_id, 0))
        new_today = con.execute(_NEW, (deck_id, allowance)).fetchone()[0] if allowance > 0 else 0
        # the order deck_summaries adds the levels in (SQL groups them by name), then "new"
        levels = {k: n for k, n in (("familiar", familiar), ("learning", learning), ("mastered", mastered)) if n}
        levels["new"] = total - seen
        out.append(
            DeckFigures(
                id=deck_id,
                name=name,
                cards=total,
                due=due + new_today,
                new=total - seen,
                mastery=mastery_percent(levels, total),
                folder=folder,
            )
        )
    return out
