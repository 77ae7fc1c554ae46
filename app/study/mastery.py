"""Per-card mastery from its history across every mode (Quizlet/Knowt style levels).

The store keeps a running `correct_streak` per card (correct answers in a row in any mode,
reset by a miss), so a level is a cheap function of one row:

    new       never answered
    learning  answered, but fewer than 2 right in a row
    familiar  2 right in a row
    mastered  3 or more right in a row

A deck's mastery % weights the levels 0, 1/3, 2/3 and 1 over all its cards, so every correct
answer moves the figure, not only the last one that tips a card into "mastered".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rule's constants are also used by readers that never load SQLAlchemy
    from app.store.models import CardState

LEVELS = ("new", "learning", "familiar", "mastered")
WEIGHTS = {"new": 0.0, "learning": 1 / 3, "familiar": 2 / 3, "mastered": 1.0}
FAMILIAR_STREAK = 2
MASTERED_STREAK = 3


def level_for(state: CardState | None) -> str:
    if state is None or state.reps == 0:
        return "new"
    return level_for_streak(state.correct_streak)


def level_for_streak(streak: int) -> str:
    if streak >= MASTERED_STREAK:
        return "mastered"
    if streak >= FAMILIAR_STREAK:
        return "familiar"
    return "learning"


def mastery_case():
    """The same rule as `level_for`, as a SQL expression over card_states (rows exist = reviewed)."""
    from sqlalchemy import case

    from app.store.models import CardState

    return case(
        (CardState.correct_streak >= MASTERED_STREAK, "mastered"),
        (CardState.correct_streak >= FAMILIAR_STREAK, "familiar"),
        else_="learning",
    )


def mastery_percent(level_counts: dict[str, int], total: int) -> float:
    if total <= 0:
        return 0.0
    score = sum(WEIGHTS[lvl] * n for lvl, n in level_counts.items())
    return 100.0 * score / total


def level_for_tallies(reps: int, streak: int) -> str:
    """`level_for` over the two numbers a card snapshot carries (no ORM row needed)."""
    return "new" if reps == 0 else level_for_streak(streak)


def card_levels(session, deck_id: int) -> dict[int, str]:
    """Every card of a deck and its level, in one query (cards with no state row are new)."""
    from sqlalchemy import select

    from app.store.models import Card, CardState

    rows = session.execute(
        select(Card.id, CardState.reps, CardState.correct_streak)
        .outerjoin(CardState, CardState.card_id == Card.id)
        .where(Card.deck_id == deck_id)
    )
    return {cid: level_for_tallies(reps or 0, streak or 0) for cid, reps, streak in rows}
