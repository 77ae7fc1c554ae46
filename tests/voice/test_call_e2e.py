"""A whole call through the real engines: espeak-ng answers, tiny.en, the grader, pyttsx3, the store."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.grader import load_grader
from app.store.models import ReviewLog
from app.voice.call import CallDialogue, CallEngines, CallRunner, call_cards, store_recorder
from app.voice.capture import FileSource
from app.voice.tts import Pyttsx3TTS
from app.voice.wer import word_error_rate
from tests.voice.speech import needs_espeak

pytestmark = [pytest.mark.slow, needs_espeak]


def test_spoken_answers_are_heard_graded_replied_and_scheduled(store, sample_deck, tiny_asr, say):
    cards = call_cards(store, sample_deck, order="deck")[:3]
    spoken = [
        cards[0].answer,  # "It decides what to remove from the cell state": right
        "Overfitting on small data sets",  # wrong
        "I don't know",  # a command, heard through Whisper
    ]
    answers = iter(FileSource(say(text)) for text in spoken)
    engines = CallEngines(asr=tiny_asr, tts=Pyttsx3TTS(), answers=answers)
    runner = CallRunner(CallDialogue(cards, load_grader(), store_recorder(store)), engines)
    summary = runner.run()

    right, wrong, dont_know = runner.log
    assert word_error_rate(spoken[0], right.transcript) <= 0.2, right.transcript
    assert right.verdict == "correct"
    assert word_error_rate(spoken[1], wrong.transcript) <= 0.4, wrong.transcript
    assert wrong.verdict == "wrong" and wrong.reply.startswith("Not quite. The answer is: The vanishing")
    assert dont_know.command == "dont_know" and dont_know.verdict == "wrong"
    assert (summary.correct, summary.wrong) == (1, 2)
    for turn in runner.log:
        assert turn.timings["to_transcript_s"] <= turn.timings["to_verdict_s"] <= turn.timings["to_reply_s"]
    with store.session() as s:
        logs = s.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
    assert [(x.card_id, x.verdict, x.mode) for x in logs] == [
        (cards[0].card_id, "correct", "call"),
        (cards[1].card_id, "wrong", "call"),
        (cards[2].card_id, "wrong", "call"),
    ]
    assert logs[1].transcript == wrong.transcript
