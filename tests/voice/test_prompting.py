"""Whisper's prompt in a call: the deck's vocabulary and the question, not the card's answer."""

from __future__ import annotations

from app.voice.prompting import deck_vocabulary, vocabulary_prompt

ANSWERS = [
    "Gated recurrent unit.",
    "Two: an update gate and a reset gate.",
    "The vanishing gradient problem, so that recurrent networks can remember information.",
    "Gradients grow very large as they flow back through many steps.",
    "Brasília.",
]


def test_deck_vocabulary_is_subject_words_from_every_answer_alphabetically():
    vocab = deck_vocabulary(ANSWERS)
    assert vocab == sorted(vocab, key=str.lower)
    lower = [w.lower() for w in vocab]
    assert {"recurrent", "vanishing", "reset", "gradients", "gradient"} <= set(lower) and "Brasília" in vocab
    assert not {"the", "and", "two", "an", "so"} & set(lower)  # stop words and short words
    assert len(lower) == len(set(lower))  # one spelling per word
    # Capped: the word most answers use first, then the longest.
    assert deck_vocabulary(ANSWERS, limit=2) == ["information", "recurrent"]


def test_vocabulary_prompt_ends_with_the_question():
    prompt = vocabulary_prompt("What does GRU stand for?", ["gated", "recurrent"])
    assert prompt == "gated recurrent What does GRU stand for?"
    assert vocabulary_prompt(None, []) is None
    assert vocabulary_prompt("Q?", []) == "Q?"
