"""The tutor's reply wording: one terminal mark per sentence, whatever the card's text ends with."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.voice.replies import (
    dont_know_reply,
    graded_reply,
    no_doubled_marks,
    sentence,
    skipped_reply,
)


@dataclass
class _Grade:
    verdict: str
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)


@pytest.mark.parametrize(
    ("answer", "ending"),
    [
        ("The powerhouse of the cell.", "The answer is: The powerhouse of the cell."),
        ("Is it not obvious?", "The answer is: Is it not obvious?"),
        ("It goes on and on\u2026", "The answer is: It goes on and on\u2026"),
        ("red, green, blue", "The answer is: red, green, blue."),
        ("Fruits, e.g.", "The answer is: Fruits, e.g."),
        ("3.14", "The answer is: 3.14."),
        ("1789", "The answer is: 1789."),
        ("a list:", "The answer is: a list."),
    ],
)
def test_wrong_reply_never_doubles_punctuation(answer, ending):
    reply = graded_reply(_Grade("wrong"), answer, "something else", 0)
    assert reply.startswith("Not quite. ")
    assert ending in reply
    assert no_doubled_marks(reply), reply


def test_partial_names_the_missing_part_and_the_full_answer():
    reply = graded_reply(_Grade("partial", missing=["reset gate"]), "The update gate and the reset gate.", "", 0)
    assert reply == "Partly right. You left out: reset gate. The full answer is: The update gate and the reset gate."


def test_a_swapped_term_is_named():
    reply = graded_reply(_Grade("wrong", missing=["mitochondria"], wrong=["ribosome"]), "The mitochondria", "the ribosome", 0)
    assert reply.startswith("Not quite. You said ribosome, but the answer is: The mitochondria.")
    assert no_doubled_marks(reply)
    several = graded_reply(_Grade("wrong", missing=["vanishing"], wrong=["overfitting", "small"]), "The vanishing gradient problem", "", 0)
    assert several.startswith("Not quite. The answer is: The vanishing gradient problem.")


def test_correct_praise_varies_and_adds_the_full_answer_only_when_something_was_missing():
    assert graded_reply(_Grade("correct"), "Canberra", "Canberra", 0) == "Correct!"
    assert graded_reply(_Grade("correct"), "Canberra", "Canberra", 1) == "That's right."
    full = graded_reply(_Grade("correct", missing=["city"]), "The city of Canberra.", "Canberra", 0)
    assert full == "Correct! The full answer is: The city of Canberra."


def test_skip_and_dont_know_end_cleanly():
    assert skipped_reply("The cell.") == "Skipped. The answer was: The cell."
    assert skipped_reply("Why?") == "Skipped. The answer was: Why?"
    reply = dont_know_reply("Gated recurrent unit.")
    assert reply.startswith("No problem. The answer is: Gated recurrent unit.") and no_doubled_marks(reply)


def test_sentences_and_marks():
    assert sentence("  hello   there ") == "hello there."
    assert sentence("done!") == "done!"
    assert sentence("") == ""
    assert not no_doubled_marks("cell..") and no_doubled_marks("wait...")
