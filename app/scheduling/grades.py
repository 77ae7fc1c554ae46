"""How each mode's answer becomes an FSRS rating (1 Again, 2 Hard, 3 Good, 4 Easy).

Every mode records through `app.scheduling.review.record_review`, which takes an FSRS rating;
these functions are the one place where the other scales are mapped onto it, so the schedule
moves the same way whichever mode a card was answered in.
"""

from __future__ import annotations

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

# Grader confidence (0..1) at or above which a correct answer counts as Easy, and below which
# a correct answer counts only as Hard (the grader barely accepted it).
EASY_CONFIDENCE = 0.95
HARD_CONFIDENCE = 0.6

_CONFIDENCE_TO_RATING = {1: AGAIN, 2: AGAIN, 3: HARD, 4: GOOD, 5: EASY}


def rating_for_confidence(level: int) -> int:
    """Brainscape-style confidence (1..5) to an FSRS rating.

    | confidence | meaning                | FSRS rating |
    |------------|------------------------|-------------|
    | 1          | no idea                | 1 Again     |
    | 2          | vaguely knew it        | 1 Again     |
    | 3          | knew it with effort    | 2 Hard      |
    | 4          | knew it                | 3 Good      |
    | 5          | knew it perfectly      | 4 Easy      |

    Levels 1 and 2 are both failures (the card was not recalled), so both lapse the card.
    """
    if isinstance(level, bool) or level not in _CONFIDENCE_TO_RATING:
        raise ValueError(f"confidence must be 1..5, not {level!r}")
    return _CONFIDENCE_TO_RATING[level]


def rating_for_result(correct: bool, confidence: float | None = None) -> int:
    """A pass/fail answer (Learn, Test, Matching) to an FSRS rating.

    - wrong → Again, whatever the confidence;
    - right with no confidence given (multiple choice, a typed answer matched exactly) → Good;
    - right with a grader confidence c in 0..1: c < 0.6 → Hard, c ≥ 0.95 → Easy, else Good.
    """
    if not correct:
        return AGAIN
    if confidence is None:
        return GOOD
    _check_unit(confidence, "confidence")
    if confidence >= EASY_CONFIDENCE:
        return EASY
    if confidence < HARD_CONFIDENCE:
        return HARD
    return GOOD


def rating_for_verdict(verdict: str, score: float) -> int:
    """A Call-mode grader verdict (correct / partial / wrong) and its score (0..1) to a rating.

    - correct → Good, or Easy when the score is at least 0.95 (a near-verbatim answer);
    - partial → Hard (recalled, but not all of it);
    - wrong → Again (also use it for "I don't know" and skipped turns).
    """
    _check_unit(score, "score")
    v = verdict.strip().lower()
    if v == "correct":
        return EASY if score >= EASY_CONFIDENCE else GOOD
    if v == "partial":
        return HARD
    if v == "wrong":
        return AGAIN
    raise ValueError(f"verdict must be correct, partial or wrong, not {verdict!r}")


def _check_unit(value: float, name: str) -> None:
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, not {value!r}")
