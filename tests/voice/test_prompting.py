"""Whisper's prompt in a call: the deck's vocabulary and the question, not the card's answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.grader import load_grader
from app.voice.audio import read_wav
from app.voice.call import CallCard, CallDialogue
from app.voice.prompting import deck_vocabulary, vocabulary_prompt
from app.voice.wer import word_error_rate
from tests.voice.speech import needs_espeak

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


@pytest.mark.slow
@needs_espeak
def test_a_near_miss_is_not_heard_as_the_cards_answer(tiny_asr, say):
    """espeak-ng says "Gated linear unit" to a card whose answer is "Gated recurrent unit"."""
    deck = json.loads(
        (Path(__file__).resolve().parents[2] / "data" / "neural-sequence-models.json").read_text()
    )
    cards = [CallCard(i, c["front"], c["back"]) for i, c in enumerate(deck["cards"])]
    gru = next(i for i, c in enumerate(cards) if c.answer == "Gated recurrent unit.")
    dialogue = CallDialogue(
        cards[gru:], load_grader("lexical"), vocabulary=deck_vocabulary(c.answer for c in cards)
    )
    prompt = dialogue.prompt_for_asr()
    assert "recurrent" in prompt.split()  # the deck's word is there to help spelling...

    near_miss = read_wav(say("Gated linear unit."))
    heard = tiny_asr.transcribe(near_miss, prompt=prompt).text
    assert "recurrent" not in heard.lower() and "linear" in heard.lower(), heard  # ...but not heard
    # The old prompt, the card's front and back, made tiny.en hear the card's answer instead.
    primed = tiny_asr.transcribe(near_miss, prompt=f"{cards[gru].question} {cards[gru].answer}").text
    assert "recurrent" in primed.lower(), primed
    # The right answer is still heard right with the deck's words.
    right = tiny_asr.transcribe(read_wav(say("Gated recurrent unit.")), prompt=prompt).text
    assert word_error_rate("Gated recurrent unit", right) == 0, right
