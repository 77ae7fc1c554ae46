"""Deck counts and mastery: the figures `recall decks` and the library list per deck.

They combine the scheduler's rule for what is due (`app.scheduling.queue.deck_counts`) with
the study layer's mastery levels, so they live here rather than in the store below both.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.scheduling.queue import DayCounts, deck_counts
from app.store.models import Card, CardState, Deck, utcnow
from app.study.deck_stats_sql import DeckFigures
from app.study.mastery import mastery_case, mastery_percent

# One type for a deck's figures on both paths: the NamedTuple of the SQLAlchemy-free reader.
DeckSummary = DeckFigures


def deck_summaries(
    session: Session, now: datetime | None = None, day_counts: dict[int, DayCounts] | None = None
) -> list[DeckSummary]:
    """Card, due and mastery figures for every deck in a handful of aggregate queries.

    `due` counts the cards the Spaced queue offers today (`app.scheduling.queue.deck_counts`,
    the one rule: due learning and review cards plus new cards left in today's allowance);
    `day_counts`: those counts when the caller has them already (the library needs them twice).
    """
    now = now or utcnow()
    decks = session.execute(select(Deck.id, Deck.name, Deck.folder).order_by(Deck.name)).all()
    decks.sort(key=lambda d: (d.name.casefold(), d.name))  # as the library's Sort: Name, case ignored
    counts = dict(session.execute(select(Card.deck_id, func.count()).group_by(Card.deck_id)).all())
    seen = dict(session.execute(select(CardState.deck_id, func.count()).group_by(CardState.deck_id)).all())
    day_counts = deck_counts(session, now) if day_counts is None else day_counts
    due = {d: c.total for d, c in day_counts.items()}
    levels: dict[int, dict[str, int]] = {}
    level = mastery_case()
    for deck_id, lvl, n in session.execute(
        select(CardState.deck_id, level, func.count()).group_by(CardState.deck_id, level)
    ):
        levels.setdefault(deck_id, {})[lvl] = n
    out = []
    for deck_id, name, folder in decks:
        total = counts.get(deck_id, 0)
        new = total - seen.get(deck_id, 0)
        lv = dict(levels.get(deck_id, {}))
        lv["new"] = new
        out.append(
            DeckFigures(
                id=deck_id,
                name=name,
                cards=total,
                due=due.get(deck_id, 0),
                new=new,
                mastery=mastery_percent(lv, total),
                folder=folder,
            )
        )
    return out
