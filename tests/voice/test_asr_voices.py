"""Whisper and the call on more than one voice: espeak-ng en-us and en-gb, female and male
variants, 130-220 words a minute, transcribed by the app's recogniser (tiny.en, CPU) with the
prompt a call sends (deck vocabulary + question).

Assertions are on what the tutor needs, not on exact words: the card's key term is heard
(normalised, fuzzy) in most utterances of each voice, answers with seconds of silence around
them or 10 dB of white noise under them are cut by the VAD to the answer and still heard, and a
call graded in two voices gets the verdicts a person would give. Babble noise is left to the
bench: tiny.en hears too little under other talkers for a stable assertion. tests/bench/bench_asr_voices.py has the WER per condition.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.voice.audio import read_wav
from app.voice.prompting import deck_vocabulary, vocabulary_prompt
from app.voice.wer import normalise
from tests.bench.bench_asr_voices import Condition, render
from tests.bench.bench_vad_mic import speech_span
from tests.voice.speech import needs_espeak

pytestmark = [pytest.mark.slow, needs_espeak]

ROOT = Path(__file__).resolve().parents[2]
VOICES = (("en-us+f3", 160), ("en-gb+m3", 130), ("en-us+m3", 190))

# (deck, card index, key term): short answers as students give them, the term the grade hinges on
UTTERANCES = (
    ("neural-sequence-models", 15, "recurrent"),  # Gated recurrent unit.
    ("neural-sequence-models", 16, "reset"),  # Two: an update gate and a reset gate.
    ("world-geography", 0, "pacific"),  # The Pacific Ocean.
    ("world-geography", 12, "baikal"),  # Lake Baikal, in Siberia.
    ("world-geography", 16, "greenland"),  # Greenland.
)


def _deck(name: str) -> dict:
    from app.voice.call import plain

    raw = json.loads((ROOT / "data" / f"{name}.json").read_text())
    cards = [(plain(c["front"]), plain(c["back"])) for c in raw["cards"]]
    return {"cards": cards, "vocabulary": deck_vocabulary(a for _, a in cards)}


DECKS = {name: _deck(name) for name in {u[0] for u in UTTERANCES}}


def heard_term(transcript: str, term: str, min_ratio: float = 80.0) -> bool:
    """The term is in the transcript: as a word, or within a small spelling slip ("Bikal")."""
    from rapidfuzz import fuzz

    words = normalise(transcript)
    return any(w == term or (len(w) >= 3 and fuzz.ratio(w, term) >= min_ratio) for w in words)


def test_heard_term_is_tolerant_of_spelling_but_not_of_another_word():
    assert heard_term("Gated Recurrent Unit.", "recurrent")
    assert heard_term("Lake Baical in Siberia", "baikal")
    assert not heard_term("Gated linear unit", "recurrent")
    assert not heard_term("The Atlantic Ocean", "pacific")


@pytest.mark.parametrize(("voice", "rate"), VOICES, ids=[f"{v}@{r}" for v, r in VOICES])
def test_key_terms_are_heard_in_each_voice(tiny_asr, say_as, voice, rate):
    missed = []
    for deck, index, term in UTTERANCES:
        question, answer = DECKS[deck]["cards"][index]
        assert term in normalise(answer)  # the table above still matches the decks
        audio = read_wav(say_as(answer, voice, rate))
        prompt = vocabulary_prompt(question, DECKS[deck]["vocabulary"])
        text = tiny_asr.transcribe(audio, prompt=prompt, language="en").text
        if not heard_term(text, term):
            missed.append((answer, text))
    # tiny.en slips on synthetic speech ("Lake Makal"), more at 220 wpm (see the bench): most, not all
    assert len(missed) <= 2, missed


@pytest.mark.parametrize(
    "condition",
    [
        Condition("silence 4s+4s", "en-gb+f3", lead_s=4.0, trail_s=4.0),
        Condition("white noise 10 dB SNR", "en-us+m3", noise="white", snr_db=10.0, lead_s=1.0, trail_s=1.5),
    ],
    ids=lambda c: c.name,
)
def test_answers_in_long_silence_or_noise_are_cut_by_the_vad_and_heard(tiny_asr, tmp_path, condition):
    from app.voice.capture import FileSource
    from app.voice.vad import listen

    rng = np.random.default_rng(12)
    missed, clipped = [], []
    for deck, index, term in UTTERANCES:
        question, answer = DECKS[deck]["cards"][index]
        speech_s = speech_span(render(replace(condition, noise=None), answer, tmp_path, rng))
        source = FileSource(render(condition, answer, tmp_path, rng), lead_silence_s=0, trail_silence_s=1.0)
        source.open()
        heard = listen(source)
        kept_s = len(heard.audio) / 16000
        # the answer, not the seconds of silence or noise around it
        assert heard.reason == "silence", (answer, heard.reason)
        assert speech_s / 2 < kept_s < speech_s + 1.2, (answer, speech_s, kept_s)
        if kept_s < speech_s - 0.1:  # a soft word end under the noise can fall below the VAD's floor
            clipped.append((answer, speech_s, kept_s))
        prompt = vocabulary_prompt(question, DECKS[deck]["vocabulary"])
        text = tiny_asr.transcribe(heard.audio, prompt=prompt, language="en").text
        if not heard_term(text, term):
            missed.append((answer, text))
    assert len(clipped) <= 1, clipped
    assert len(missed) <= 2, missed


def test_a_call_in_two_voices_grades_every_turn(store, sample_deck, tiny_asr, say_as):
    from app.grader import load_grader
    from app.voice.call import CallDialogue, CallEngines, CallRunner, call_cards, store_recorder
    from app.voice.capture import FileSource

    cards = call_cards(store, sample_deck, order="deck")[:4]
    spoken = [  # (what is said, voice, rate, the verdict a person gives), one per card in order
        ("Overfitting on small data sets", "en-us+f3", 170, "wrong"),  # the forget gate's card
        (cards[1].answer, "en-gb+m3", 150, "correct"),  # The vanishing gradient problem
        (cards[2].answer, "en-us+f3", 160, "correct"),  # Gated recurrent unit
        (cards[3].answer, "en-gb+m3", 130, "correct"),  # Two: the update gate and the reset gate
    ]
    answers = iter(FileSource(say_as(text, voice, rate)) for text, voice, rate, _ in spoken)
    runner = CallRunner(
        CallDialogue(cards, load_grader(), store_recorder(store)),
        CallEngines(asr=tiny_asr, tts=None, answers=answers),
    )
    summary = runner.run()

    assert [t.verdict for t in runner.log] == [v for *_, v in spoken], [t.transcript for t in runner.log]
    assert all(t.transcript for t in runner.log)
    assert (summary.correct, summary.wrong) == (3, 1)
    for turn in runner.log:
        assert turn.end_of_turn_s is not None  # heard through the VAD, not typed
