from __future__ import annotations

import pytest

from app.study.answer_check import Verdict, allowed_typos, check_answer, normalise


@pytest.mark.parametrize(
    ("given", "expected", "verdict"),
    [
        ("Paris", "Paris", Verdict.EXACT),
        ("  paris ", "Paris", Verdict.EXACT),
        ("paris.", "Paris", Verdict.CLOSE),
        ("cafe", "Café", Verdict.CLOSE),
        ("Eiffel tower", "The Eiffel Tower", Verdict.CLOSE),
        ("the mitochondria", "Mitochondria", Verdict.CLOSE),
        ("vanishing gradiant problem", "The vanishing gradient problem", Verdict.CLOSE),
        ("recieve", "receive", Verdict.CLOSE),
        ("blue, red and green", "red, green, blue", Verdict.CLOSE),
        ("color", "colour / color", Verdict.CLOSE),
        ("automobile", "car; automobile", Verdict.CLOSE),
        ("London", "Paris", Verdict.WRONG),
        ("1946", "1945", Verdict.WRONG),
        ("cat", "car", Verdict.WRONG),  # three letters: no typo allowance
        ("", "Paris", Verdict.WRONG),
        ("red, blue", "red, green, blue", Verdict.WRONG),
    ],
)
def test_lenient_verdicts(given, expected, verdict):
    result = check_answer(given, expected)
    assert result.verdict is verdict, result.reason
    assert result.correct == (verdict is not Verdict.WRONG)


def test_reasons_say_what_differed():
    assert check_answer("recieve", "receive").reason == "accepted: small typo"
    assert "article" in check_answer("Eiffel tower", "The Eiffel Tower").reason
    assert "order" in check_answer("blue, red and green", "red, green, blue").reason
    assert check_answer("  ", "x").reason == "no answer given"


def test_normalise_and_typo_allowance():
    assert normalise("  The  Élan-vital! ") == "elan vital"
    assert normalise("the") == "the"  # a lone article is the answer itself
    assert [allowed_typos(n) for n in (3, 5, 12, 40)] == [0, 1, 2, 5]
