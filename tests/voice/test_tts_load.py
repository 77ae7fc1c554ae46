"""Speech out under load: every file complete, audible and as long as its text, however busy the CPU.

pyttsx3's espeak driver returns from runAndWait() before the WAV is written; on a slow machine
that gave truncated or empty files. These tests make the machine slow on purpose.
"""

from __future__ import annotations

import threading

import pytest

from app.voice.dialogue import CallCard, CallDialogue
from app.voice.runner import CallEngines, CallRunner
from app.voice.tts import Pyttsx3TTS
from tests.voice.fakes import ScriptedASR, voice_like
from tests.voice.load import LONG_REPLY, busy_cpus, check_speech_file
from tests.voice.speech import needs_espeak

pytestmark = [needs_espeak, pytest.mark.load]

TEXTS = [
    LONG_REPLY,
    "Hello, ready for your call?",
    "Partly right. You left out: the reset gate. The full answer is: two, the update gate and the reset gate.",
    "Correct!",
    "The answer is: 1789, the storming of the Bastille.",
]


@pytest.fixture(scope="module")
def engine() -> Pyttsx3TTS:
    return Pyttsx3TTS()


def test_twenty_long_replies_in_a_row_under_load(engine, tmp_path):
    assert len(LONG_REPLY.split()) >= 60
    with busy_cpus():
        for i in range(20):
            path = tmp_path / f"long-{i}.wav"
            engine.save(LONG_REPLY, path)
            check_speech_file(path, LONG_REPLY)


def test_fifty_replies_in_a_row_each_its_own_audio(engine):
    with busy_cpus():
        speeches = [engine.synthesize(TEXTS[i % len(TEXTS)]) for i in range(50)]
    for i, speech in enumerate(speeches):
        assert speech.text == TEXTS[i % len(TEXTS)]
        words = len(speech.text.split())
        assert 0.5 * words / 175 * 60 <= speech.seconds <= 2.5 * words / 175 * 60 + 1.0, (i, speech.seconds)
    # The same text gives the same audio length: no file was read before it was finished.
    by_text: dict[str, set[int]] = {}
    for s in speeches:
        by_text.setdefault(s.text, set()).add(round(s.seconds * 10))
    assert all(max(v) - min(v) <= 1 for v in by_text.values()), by_text


def test_replies_queued_from_several_threads_while_one_is_speaking(engine):
    results: dict[int, object] = {}
    errors: list[BaseException] = []

    def ask(i: int) -> None:
        try:
            results[i] = engine.synthesize(TEXTS[i % len(TEXTS)])
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)

    with busy_cpus():
        threads = [threading.Thread(target=ask, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    for i, speech in results.items():
        assert speech.text == TEXTS[i % len(TEXTS)]
        assert speech.seconds >= 0.5 * len(speech.text.split()) / 175 * 60


class _KeepingPlayer:
    """Plays nothing; keeps every speech it was handed, to check it after the call."""

    def __init__(self) -> None:
        self.played = []

    def play(self, speech, stop) -> None:
        self.played.append(speech)


def test_a_call_speaks_every_question_and_reply_under_load(engine):
    from app.grader import load_grader
    from app.voice.capture import FileSource

    cards = [CallCard(i, f"Question number {i}, what is the answer?", f"Answer {i} is {w}")
             for i, w in enumerate(("mitochondria", "photosynthesis", "the reset gate", "Canberra", "1789"))]  # fmt: skip
    player = _KeepingPlayer()
    answers = iter(FileSource(voice_like(0.6)) for _ in cards)
    engines = CallEngines(asr=ScriptedASR([c.answer for c in cards]), tts=engine, player=player, answers=answers)
    runner = CallRunner(CallDialogue(cards, load_grader("lexical")), engines)
    with busy_cpus():
        runner.run()
    assert runner.voice_out and len(runner.log) == len(cards)
    # five questions, five replies, the summary: all spoken, none empty or cut short
    assert len(player.played) == 2 * len(cards) + 1
    for speech in player.played:
        words = len(speech.text.split())
        assert speech.seconds >= 0.5 * words / 175 * 60, (speech.text, speech.seconds)
