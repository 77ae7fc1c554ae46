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

from sqlalchemy import case

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
