"""The runner's controls: Mute, hands-free / push-to-talk, partial transcripts, and the counts of
what the voice said. Events are waited on, never slept for."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from app.grader import load_grader
from app.voice.asr import Transcript
from app.voice.call import CallCard, CallDialogue, CallEngines, CallEvents, CallRunner, Phase
from app.voice.capture import FileSource
from app.voice.partial import PartialTranscriber
from app.voice.tts import TTSUnavailable
from tests.voice.fakes import ScriptedASR, ToneTTS, voice_like

CARDS = [
    CallCard(1, "What does GRU stand for?", "Gated recurrent unit"),
    CallCard(2, "What problem do LSTMs address?", "The vanishing gradient problem"),
]


class Events(CallEvents):
    """Records everything; answers each question by typing (when `typed` is given)."""

    def __init__(self, typed: list[str] | None = None) -> None:
        self.typed = list(typed or [])
        self.runner: CallRunner | None = None
        self.log: list[tuple[str, object]] = []
        self.phases: list[tuple[Phase, str]] = []
        self.replies: list[str] = []

    def phase(self, phase, detail=""):
        self.phases.append((phase, detail))
        if phase is Phase.LISTENING and self.typed and self.runner is not None and detail != "Hold Space to talk":
            self.runner.submit_text(self.typed.pop(0))

    def partial(self, text):
        self.log.append(("partial", text))

    def transcript(self, text):
        self.log.append(("transcript", text))

    def reply(self, text, turn):
        self.replies.append(text)


class RecordingPlayer:
    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, speech, stop) -> None:
        self.played.append(speech.text)


def _runner(engines: CallEngines, events: Events, cards=CARDS) -> CallRunner:
    runner = CallRunner(CallDialogue(cards, load_grader("lexical")), engines, events)
    events.runner = runner
    return runner


def test_every_question_and_reply_is_spoken_and_counted():
    tts, player = ToneTTS(), RecordingPlayer()
    events = Events(["gated recurrent unit", "the vanishing gradient problem"])
    runner = _runner(CallEngines(asr=None, tts=tts, player=player), events)
    runner.run()
    questions = [c.question for c in CARDS]
    assert runner.voice_failures == 0
    assert [t for t in runner.spoken if t in questions] == questions
    assert all(r in runner.spoken for r in events.replies)  # every reply, and the summary
    assert player.played == runner.spoken


def test_muted_replies_are_shown_not_spoken():
    tts, player = ToneTTS(), RecordingPlayer()
    events = Events(["gated recurrent unit", "the vanishing gradient problem"])
    runner = _runner(CallEngines(asr=None, tts=tts, player=player), events)
    runner.set_muted(True)
    runner.run()
    assert len(events.replies) == 2 and all(events.replies)
    assert tts.said == [] and player.played == [] and runner.spoken == []
    assert runner.voice_failures == 0


def test_mute_stops_the_voice_that_is_speaking():
    class BlockingPlayer:
        """Plays until told to stop; muting from another thread must stop it."""

        stopped_by_mute = None

        def play(self, speech, stop) -> None:
            if self.stopped_by_mute is None:
                threading.Thread(target=runner.set_muted, args=(True,)).start()
                self.stopped_by_mute = stop.wait(30)

    player = BlockingPlayer()
    events = Events(["gated recurrent unit", "the vanishing gradient problem"])
    runner = _runner(CallEngines(asr=None, tts=ToneTTS(), player=player), events)
    runner.run()
    assert player.stopped_by_mute is True
    assert runner.spoken == [CARDS[0].question]  # nothing after the mute was synthesised
    assert len(events.replies) == 2


def test_a_failing_voice_is_counted_and_the_call_goes_on():
    class BrokenTTS(ToneTTS):
        def synthesize(self, text):
            raise TTSUnavailable("no espeak")

    events = Events(["gated recurrent unit", "the vanishing gradient problem"])
    runner = _runner(CallEngines(asr=None, tts=BrokenTTS(), player=RecordingPlayer()), events)
    summary = runner.run()
    assert summary.correct == 2 and runner.spoken == []
    assert runner.voice_failures == 5  # two questions, two replies, the summary


def test_push_to_talk_mode_listens_only_while_held():
    """Hands-free off: the microphone is not listened to until push-to-talk; released, it is graded."""
    audio = np.concatenate([voice_like(0.6), np.zeros(16000, np.float32)])
    blocks_read = {"n": 0}

    class Mic(FileSource):
        def read(self, timeout=0.1):
            blocks_read["n"] += 1
            block = super().read(timeout)
            if blocks_read["n"] == 50:  # 1.5 s of audio, the answer included: let go of Space
                runner.push_to_talk(False)
            return block

    class PttEvents(Events):
        def phase(self, phase, detail=""):
            super().phase(phase, detail)
            if detail == "Hold Space to talk" and not blocks_read["n"]:
                runner.push_to_talk(True)

    events = PttEvents()
    runner = _runner(CallEngines(asr=ScriptedASR(["gated recurrent unit"]), tts=None,
                                 microphone=lambda: Mic(audio, trail_silence_s=60)), events, CARDS[:1])  # fmt: skip
    runner.set_hands_free(False)
    runner.run()
    details = [d for p, d in events.phases if p is Phase.LISTENING]
    assert details[:2] == ["Hold Space to talk", "Listening"]
    assert runner.log[0].verdict == "correct" and runner.log[0].transcript == "gated recurrent unit"
    assert ("transcript", "gated recurrent unit") in events.log


class GateASR:
    """Transcribes only when let through, so a test decides when a partial comes back."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.calls = 0

    def transcribe(self, audio, *, prompt=None, language="en"):
        self.calls += 1
        self.started.set()
        assert self.release.wait(30)
        return Transcript(f"{len(audio)} samples", 0.0, len(audio) / 16000, "cpu", "gate", language)


def test_a_partial_that_comes_back_after_the_utterance_ended_is_dropped():
    asr, got = GateASR(), []
    partials = PartialTranscriber(asr, got.append)
    partials.begin(16000)
    speech = [voice_like(0.1)] * 12  # 1.2 s of speech, still going on
    partials.feed(speech, 0, 12 * 1600)
    assert asr.started.wait(30)
    partials.feed(speech + [voice_like(0.1)] * 12, 0, 24 * 1600)  # busy: not queued
    partials.end()
    asr.release.set()
    partials.close()
    partials._thread.join(30)
    assert got == [] and asr.calls == 1 and partials.made == 0


def test_partials_are_made_about_once_a_second_of_speech_and_not_in_the_closing_quiet():
    asr, got = GateASR(), []
    asr.release.set()
    done = threading.Event()
    partials = PartialTranscriber(asr, lambda t: (got.append(t), done.set()))
    partials.begin(16000)
    blocks: list[np.ndarray] = []
    for _ in range(9):  # 0.9 s of speech: too early
        blocks.append(voice_like(0.1))
        partials.feed(blocks, 0, sum(map(len, blocks)))
    assert asr.calls == 0
    blocks.append(voice_like(0.1))
    partials.feed(blocks, 0, sum(map(len, blocks)))
    assert done.wait(30)
    assert got == ["16000 samples"]
    loud_until = sum(map(len, blocks))
    for _ in range(12):  # 1.2 s of quiet after the speech: the turn is ending, no more partials
        blocks.append(np.zeros(1600, np.float32))
        partials.feed(blocks, 0, loud_until)
    partials.close()
    assert asr.calls == 1


class HeldSource(FileSource):
    """Live-paced speech that pauses mid-sentence until `go` is set: however slow the machine,
    a partial transcript can come back while the student is still speaking."""

    def __init__(self, wav, go: threading.Event, hold_at_s: float) -> None:
        super().__init__(wav, realtime=True, trail_silence_s=60)
        self.go, self.hold_at = go, int(hold_at_s * self.rate)

    def read(self, timeout=0.1):
        if self._pos >= self.hold_at and not self.go.is_set():
            assert self.go.wait(300), "no partial transcript came back"
            self._t0 = time.monotonic() - self._pos / self.rate  # carry on at the pace of speech
        return super().read(timeout)


class PartialEvents(Events):
    def __init__(self) -> None:
        super().__init__()
        self.first_partial = threading.Event()

    def partial(self, text):
        super().partial(text)
        self.first_partial.set()


@pytest.mark.slow
def test_live_speech_shows_partial_transcripts_before_the_final_one(say, tiny_asr):
    wav = say("The mitochondria is the powerhouse of the cell, and it makes the energy the cell needs.")
    events = PartialEvents()
    cards = [CallCard(1, "What is the mitochondria?", "The powerhouse of the cell")]
    engines = CallEngines(asr=tiny_asr, tts=None, microphone=lambda: HeldSource(wav, events.first_partial, 2.5))
    runner = _runner(engines, events, cards)
    runner.run()
    kinds = [k for k, _ in events.log]
    assert "partial" in kinds and kinds[-1] == "transcript"
    assert kinds.index("transcript") > max(i for i, k in enumerate(kinds) if k == "partial")
    final = events.log[-1][1].lower()
    assert "powerhouse" in final
    first_partial = next(t for k, t in events.log if k == "partial").lower().split()
    assert first_partial and any(w.strip(".,") in final for w in first_partial)
    assert runner._partials.made == kinds.count("partial")


@pytest.mark.slow
def test_recorded_answers_read_faster_than_speech_make_no_partials(say, tiny_asr):
    wav = say("The powerhouse of the cell, which makes the energy that the cell needs")
    events = Events()
    cards = [CallCard(1, "What is the mitochondria?", "The powerhouse of the cell")]
    runner = _runner(CallEngines(asr=tiny_asr, tts=None, answers=iter([FileSource(wav)])), events, cards)
    runner.run()
    assert [k for k, _ in events.log] == ["transcript"] and runner._partials is None
