"""The Call screen's status line follows the call's real state (speaking, listening, transcribing,
verdict shown, paused, ended), and the hands-free / push-to-talk and Mute choices are remembered.

The calls are real: the runner on its thread, the LSTM grader, recorded answers or a file-backed
microphone. The voice and the recogniser are gated, so each state lasts until the test moves on:
nothing is timed, every step waits on the screen."""

from __future__ import annotations

import threading

import pytest

from app.config import load_settings, save_settings
from app.ui.call_status import (
    ENDED,
    GRADING,
    LISTENING,
    PAUSED,
    QUESTION,
    SPEAKING,
    STATES,
    TRANSCRIBING,
    VERDICT,
    CallState,
    call_status,
)
from app.ui.call_view import CallView
from app.voice.call import CallEngines, Phase
from app.voice.capture import FileSource
from tests.voice.fakes import ScriptedASR, ToneTTS, voice_like

FIRST_ANSWER = "It decides what to remove from the cell state"
GRADER_LOAD_MS = 600_000  # waitUntil returns as soon as the state comes: generous costs nothing


class GatedPlayer:
    """Plays until the test lets it finish (or the call stops it: mute, stop)."""

    def __init__(self) -> None:
        self.go = threading.Semaphore(0)
        self.played: list[str] = []

    def play(self, speech, stop: threading.Event) -> None:
        self.played.append(speech.text)
        while not stop.is_set():
            if self.go.acquire(timeout=0.05):
                return


class GatedASR(ScriptedASR):
    """Transcribes once the test says so."""

    def __init__(self, texts: list[str]) -> None:
        super().__init__(texts)
        self.go = threading.Semaphore(0)

    def transcribe(self, audio, **kw):
        assert self.go.acquire(timeout=120), "the test never released the recogniser"
        return super().transcribe(audio, **kw)


def _watch(view: CallView) -> list[str]:
    seen: list[str] = []
    view.statusChanged.connect(seen.append)
    return seen


def _after(seen: list[str], state: str) -> list[str]:
    """The states since the last time `state` was entered."""
    return seen[len(seen) - 1 - seen[::-1].index(state):]


def test_the_status_follows_a_spoken_call_from_question_to_verdict_to_the_end(qtbot, store, sample_deck):
    player = GatedPlayer()
    asr = GatedASR([FIRST_ANSWER, "the vanishing gradient problem"])
    answers = iter([FileSource(voice_like()) for _ in range(3)])
    view = CallView(store, sample_deck, first_use_check=False,
                    engines=lambda _l: CallEngines(asr=asr, tts=ToneTTS(), player=player, answers=answers))  # fmt: skip
    qtbot.addWidget(view)
    seen = _watch(view)
    view.show()

    # The question is spoken: the tutor really is speaking.
    # the LSTM grader loads first: ~50 s on a loaded 2-core machine, so 120 s left a 4x slower one short
    qtbot.waitUntil(lambda: view.status == SPEAKING, timeout=GRADER_LOAD_MS)
    assert view.phase_label.text() == "Tutor is reading the question…"
    assert view.phase_label.accessibleDescription() == SPEAKING
    assert player.played == ["What does the forget gate do?"]
    player.go.release()

    # The answer is heard, then transcribed (the recogniser waits for the test).
    qtbot.waitUntil(lambda: view.status == TRANSCRIBING, timeout=30_000)
    assert view.phase_label.text() == "Transcribing your answer…"
    assert _after(seen, SPEAKING) == [SPEAKING, LISTENING, TRANSCRIBING]
    asr.go.release()

    # The verdict is on screen while the reply is spoken: the status says so, not "speaking".
    qtbot.waitUntil(lambda: view.status == VERDICT, timeout=30_000)
    assert view.verdict_label.text().startswith("✔ Correct")
    assert view.phase_label.text() == "Verdict shown: correct — the tutor is replying…"
    assert _after(seen, TRANSCRIBING) == [TRANSCRIBING, GRADING, VERDICT]
    player.go.release()

    # The next question: speaking again, the last verdict kept as "Previous card".
    qtbot.waitUntil(lambda: view.status == SPEAKING, timeout=30_000)
    assert view.question_label.text() == "What problem do LSTMs address?"
    assert view.verdict_label.text().startswith("Previous card: ✔ Correct")
    # Mute while it speaks: the tutor is silent at once, and the status no longer says it speaks.
    qtbot.mouseClick(view.mute_button, _left())
    assert view.status == QUESTION and view.phase_label.text() == "New question: answer when ready"
    qtbot.waitUntil(lambda: view.status == TRANSCRIBING, timeout=30_000)

    # End the call while the answer is transcribed: it ends after this turn.
    qtbot.mouseClick(view.stop_button, _left())
    asr.go.release()
    qtbot.waitUntil(lambda: view.status == ENDED, timeout=30_000)
    assert view.phase_label.text() == "Call ended"
    qtbot.waitUntil(lambda: view.summary is not None, timeout=30_000)
    assert view.summary.asked == 2 and view.summary.correct == 2
    assert _after(seen, TRANSCRIBING) == [TRANSCRIBING, GRADING, VERDICT, ENDED]
    assert set(seen) <= set(STATES)
    view.leave()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_push_to_talk_and_mute_are_remembered_and_a_push_to_talk_call_waits_paused(qtbot, store, sample_deck):
    save_settings({"call_hands_free": False, "call_muted": True})
    mic = FileSource(voice_like(), trail_silence_s=5.0)
    view = CallView(store, sample_deck, first_use_check=False,
                    engines=lambda _l: CallEngines(asr=ScriptedASR([]), tts=ToneTTS(), player=GatedPlayer(),
                                                   microphone=lambda: mic))  # fmt: skip
    qtbot.addWidget(view)
    seen = _watch(view)
    # Restored from the last call, before anything is asked.
    assert not view.hands_free_button.isChecked() and view.hands_free_button.text() == "Push-to-talk"
    assert view.mute_button.isChecked() and view.mute_button.text() == "Unmute"
    assert not view.runner.hands_free and view.runner.muted
    view.show()

    # Push-to-talk with nothing held: the call waits for the student.
    qtbot.waitUntil(lambda: view.status == PAUSED, timeout=GRADER_LOAD_MS)  # after the grader loads
    assert view.phase_label.text() == "Paused: hold Space (or Hold to talk) while you answer, or type"
    assert QUESTION in seen and SPEAKING not in seen  # muted: the question was shown, never "spoken"
    view.answer_edit.setText("it decides what to remove from the cell state")
    view._send_typed()
    qtbot.waitUntil(lambda: VERDICT in seen, timeout=30_000)
    qtbot.waitUntil(lambda: view.status == PAUSED, timeout=30_000)  # the next question waits the same way
    assert view.question_label.text() == "What problem do LSTMs address?"

    # Changing them is saved at once, from the keyboard as from the buttons.
    from PySide6.QtCore import Qt

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    saved = load_settings()
    assert saved["call_hands_free"] is True and saved["call_muted"] is False
    assert view.runner.hands_free and not view.runner.muted
    qtbot.waitUntil(lambda: view.status == LISTENING, timeout=30_000)  # hands-free: listening at once
    view.leave()

    # The next call starts hands-free and unmuted.
    again = CallView(store, sample_deck, first_use_check=False,
                     engines=lambda _l: CallEngines(asr=ScriptedASR([]), tts=None))  # fmt: skip
    qtbot.addWidget(again)
    assert again.hands_free_button.isChecked() and again.hands_free_button.text() == "Hands-free"
    assert not again.mute_button.isChecked() and again.runner.hands_free and not again.runner.muted
    again.leave()


def test_a_damaged_preference_falls_back_to_hands_free_and_sound(qtbot, store, sample_deck):
    save_settings({"call_hands_free": "no", "call_muted": 1})
    view = CallView(store, sample_deck, first_use_check=False,
                    engines=lambda _l: CallEngines(asr=ScriptedASR([]), tts=None))  # fmt: skip
    qtbot.addWidget(view)
    assert view.runner.hands_free and not view.runner.muted
    assert load_settings() == {"call_hands_free": "no", "call_muted": 1}  # restoring writes nothing
    view.leave()


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (CallState(Phase.LOADING, "Loading speech engines"), ("loading", "Loading speech engines…")),
        (CallState(Phase.LOADING, "Waiting for the microphone and voice check"),
         (PAUSED, "Paused for the microphone and voice check…")),
        (CallState(Phase.SPEAKING, "Q?", audible=True), (SPEAKING, "Tutor is reading the question…")),
        (CallState(Phase.SPEAKING, "Q?", audible=True, repeated=True), (SPEAKING, "Tutor is repeating the question…")),
        (CallState(Phase.SPEAKING, "Q?", audible=False), (QUESTION, "New question: answer when ready")),
        (CallState(Phase.LISTENING, "Listening"), (LISTENING, "Listening — answer now (or type)")),
        (CallState(Phase.LISTENING, "Type your answer"), (LISTENING, "Type your answer below")),
        (CallState(Phase.LISTENING, "Hold Space to talk"),
         (PAUSED, "Paused: hold Space (or Hold to talk) while you answer, or type")),
        (CallState(Phase.REPLYING, "Correct!", audible=True, verdict="partial"),
         (VERDICT, "Verdict shown: partly right — the tutor is replying…")),
        (CallState(Phase.REPLYING, "Okay", verdict="override"), (VERDICT, "Verdict shown: marked as right")),
        (CallState(Phase.REPLYING, "Skipped.", audible=True), ("reply", "Tutor is replying…")),
        (CallState(Phase.FINISHED, "That's the end"), (ENDED, "Call ended")),
    ],
)
def test_each_state_reads_as_what_is_happening(state, expected):
    assert call_status(state) == expected
    assert "speaking" not in expected[1].lower() or state.audible
