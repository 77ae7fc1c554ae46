"""A looping Whisper transcript is recognised and cut to one copy; normal answers are untouched."""

from __future__ import annotations

from app.voice.repetition import collapse_repeats, compression_ratio, looks_looped

LOOP = "The answer is " + "it is a point of view, and " * 60 + "that's all."


def test_loop_is_spotted_by_its_compression_ratio() -> None:
    assert looks_looped(LOOP)
    assert compression_ratio(LOOP) > 2.4
    for ordinary in (
        "The mitochondria is the powerhouse of the cell.",
        "Paris",
        "",
        "Two atria and two ventricles, so four chambers in all.",
    ):
        assert not looks_looped(ordinary), ordinary


def test_collapse_keeps_one_copy_of_a_phrase_loop() -> None:
    out = collapse_repeats(LOOP)
    assert out == "The answer is it is a point of view, and that's all."
    assert not looks_looped(out)


def test_collapse_ignores_case_and_punctuation_between_copies() -> None:
    text = "Mitochondria, mitochondria. Mitochondria mitochondria mitochondria"
    assert collapse_repeats(text) == "Mitochondria,"


def test_collapse_leaves_ordinary_answers_alone() -> None:
    for text in (
        "very very small",
        "New York, New York",  # two copies are language, not a loop
        "the cell wall and the cell membrane",
        "one two three",
        "ha",
    ):
        assert collapse_repeats(text) == text, text
