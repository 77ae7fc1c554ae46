"""Wrong options for multiple choice and true/false, taken from the deck's other cards.

A distractor is never the correct answer nor a repeat of another option, compared on
normalised text (case, accents, punctuation and a leading article ignored), so a deck that
holds "the mitochondria" and "Mitochondria." never offers both.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from app.study.answer_check import normalise
from app.study.cards import StudyCard


def answer_of(card: StudyCard, back_first: bool = False) -> str:
    return card.front if back_first else card.back


def prompt_of(card: StudyCard, back_first: bool = False) -> str:
    return card.back if back_first else card.front


def pick_distractors(
    card: StudyCard,
    pool: Sequence[StudyCard],
    k: int,
    rng: random.Random,
    *,
    back_first: bool = False,
) -> list[str]:
    """Up to `k` distinct wrong answers for `card` from `pool` (fewer when the deck has fewer)."""
    if k <= 0:
        return []
    seen = {normalise(answer_of(card, back_first))}
    out: list[str] = []

    def consider(other: StudyCard) -> None:
        if other.id == card.id:
            return
        text = answer_of(other, back_first)
        key = normalise(text)
        if not key or key in seen:
            return
        seen.add(key)
        out.append(text)

    # Random probes first: a 10,000-card deck needs only a few dozen looks, not a full scan.
    n = len(pool)
    for _ in range(min(n, 8 * k + 8)):
        if len(out) >= k:
            return out
        consider(pool[rng.randrange(n)])
    if len(out) < k:
        order = list(range(n))
        rng.shuffle(order)
        for i in order:
            if len(out) >= k:
                break
            consider(pool[i])
    return out


def choices_for(
    card: StudyCard,
    pool: Sequence[StudyCard],
    rng: random.Random,
    *,
    options: int = 4,
    back_first: bool = False,
) -> tuple[list[str], int]:
    """Shuffled options holding the right answer once, and its index."""
    wrong = pick_distractors(card, pool, options - 1, rng, back_first=back_first)
    right = answer_of(card, back_first)
    choices = [*wrong, right]
    rng.shuffle(choices)
    return choices, choices.index(right)
