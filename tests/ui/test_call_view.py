"""The Call screen, offscreen: a real turn through a file-backed microphone and tiny.en, then typing."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from app.store.models import ReviewLog
from app.ui.call_view import CallView
from app.voice.call import CallEngines
from app.voice.capture import CaptureUnavailable
from tests.voice.fakes import ScriptedASR, ToneTTS
from tests.voice.speech import espeak_wav, loaded_tiny_asr, needs_espeak
from tests.voice.test_runner_controls import HeldSource


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return loaded_tiny_asr(tmp_path_factory.mktemp("asr-home"))


def _watch(view: CallView) -> dict:
    seen: dict = {"phases": [], "level": 0.0, "screens": []}
    view.events.phaseChanged.connect(lambda p, _d: seen["phases"].append(p))

    def snapshot(_text, _turn) -> None:  # connected after the view's own slot: sees the updated screen
        labels = (view.question_label, view.transcript_label, view.verdict_label, view.reply_label)
        seen["screens"].append(tuple(w.text() for w in labels) + (view.position_label.text(),))

    view.events.replied.connect(snapshot)
    view.events.levelChanged.connect(lambda v: seen.__setitem__("level", max(seen["level"], v)))
    return seen


@pytest.mark.slow
@needs_espeak
def test_a_spoken_turn_then_a_typed_one_then_hang_up(qtbot, store, sample_deck, tiny, tmp_path):
    answer = espeak_wav("It decides what to remove from the cell state", tmp_path / "a.wav")

    partial_seen = threading.Event()  # the answer pauses mid-sentence until a partial is back

    def engines(language):
        assert language == "en"
        return CallEngines(asr=tiny, tts=ToneTTS(), microphone=lambda: HeldSource(answer, partial_seen, 1.8))

    view = CallView(store, sample_deck, engines=engines, first_use_check=False)
    qtbot.addWidget(view)
    seen = _watch(view)
    partials: list[str] = []

    def on_partial(_text):  # after the view's own slot: what the screen shows while the student speaks
        partials.append(view.partial_label.text())
        partial_seen.set()

    view.events.partialHeard.connect(on_partial)
    view.show()
    qtbot.waitUntil(lambda: len(seen["screens"]) == 1, timeout=60_000)
    question, transcript, verdict, reply, position = seen["screens"][0]
    assert question == "What does the forget gate do?" and position == "Card 1 of 5"
    assert transcript.startswith("You said: “It decides") and verdict.startswith("✔ Correct")
    assert reply in ("Correct!", "That's right.", "Exactly right, well done.", "Yes, correct.")
    assert seen["phases"][0] == "loading"
    assert {"speaking", "listening", "transcribing"} <= set(seen["phases"])
    assert seen["level"] > 0.4  # the meter moved while the answer played
    assert partials and partials[0].startswith("Hearing: “") and view.partial_label.text() == ""
    assert view.engine_label.text().startswith("Using Whisper tiny.en on CPU (fp32, ")

    qtbot.waitUntil(lambda: view.question_label.text() == "What problem do LSTMs address?", timeout=10_000)
    qtbot.keyClicks(view.answer_edit, "I don't know")
    qtbot.keyClick(view.answer_edit, "\r")
    qtbot.waitUntil(lambda: len(seen["screens"]) == 2, timeout=10_000)
    question, transcript, verdict, reply, position = seen["screens"][1]
    assert question == "What problem do LSTMs address?" and position == "Card 2 of 5"
    assert transcript == "You typed: “I don't know”" and verdict.startswith("✘ Not quite")
    assert "The answer is: The vanishing gradient problem." in reply
    assert view.last_turn.command == "dont_know"

    qtbot.mouseClick(view.stop_button, qtbot_button())
    qtbot.waitUntil(lambda: view.summary is not None, timeout=10_000)
    assert view.question_label.text().startswith("That's the end of the call. Out of 2 answered, 1 right")
    assert not view.answer_edit.isEnabled()
    with store.session() as s:
        verdicts = s.scalars(
            select(ReviewLog.verdict).where(ReviewLog.mode == "call").order_by(ReviewLog.id)
        ).all()
    assert verdicts == ["correct", "wrong"]
    with qtbot.waitSignal(view.closed, timeout=5000):
        view.leave()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_without_a_microphone_the_call_is_typed_and_buttons_work(qtbot, store, sample_deck):
    def no_mic():
        raise CaptureUnavailable("no microphone found (Error querying device -1)")

    asked = []
    view = CallView(store, sample_deck,
                    engines=lambda _lang: CallEngines(asr=ScriptedASR([]), tts=None, microphone=no_mic),
                    first_use_check=False)  # fmt: skip
    qtbot.addWidget(view)
    view.events.asked.connect(lambda i, n, q: asked.append(q))
    qtbot.waitUntil(lambda: view.phase_label.text() == "Type your answer below", timeout=10_000)
    notes = view.notice_label.text()
    assert "No microphone found (Error querying device -1). Type your answers instead." in notes
    assert "replies are shown as text" in notes
    qtbot.mouseClick(view.command_buttons["repeat"], qtbot_button())
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert asked == ["What does the forget gate do?"] * 2
    view.answer_edit.setText("it adds new numbers to the hidden layer")
    view._send_typed()
    qtbot.waitUntil(lambda: view.last_turn is not None and view.last_turn.verdict is not None, timeout=5000)
    assert view.last_turn.verdict in ("wrong", "partial")
    assert view.verdict_label.objectName() == "feedbackWrong"
    qtbot.mouseClick(view.command_buttons["I was right"], qtbot_button())
    qtbot.waitUntil(lambda: view.last_turn.command == "i_was_right", timeout=5000)
    assert view.verdict_label.text() == "✔ Marked as right"  # the same card is asked again: no prefix
    with store.session() as s:
        assert s.scalars(select(ReviewLog.verdict)).all() == ["correct"]
    view.leave()


def test_leaving_while_the_model_loads_does_not_hang(qtbot, store, sample_deck):
    def slow_engines(_lang):
        time.sleep(0.5)
        return CallEngines(asr=ScriptedASR([]), tts=None)

    view = CallView(store, sample_deck, engines=slow_engines, first_use_check=False)
    qtbot.addWidget(view)
    assert view.phase_label.text().endswith("…")
    with qtbot.waitSignal(view.closed, timeout=5000):
        view.leave()
    qtbot.waitUntil(lambda: view._thread.isFinished(), timeout=5000)


@pytest.mark.slow
def test_the_window_opens_a_call_with_the_real_engines(qtbot, window, store, sample_deck, tiny):
    """Default engines here: tiny.en on the CPU, pyttsx3, and no sound card: typed answers."""
    page = window.open_mode("call", sample_deck)
    assert isinstance(page, CallView) and window.current_page is page
    qtbot.waitUntil(lambda: page.phase_label.text() == "Type your answer below", timeout=60_000)
    assert "No microphone found" in page.notice_label.text()
    assert page.engine_label.text().startswith("Using Whisper tiny.en on CPU")
    page.answer_edit.setText("It decides what to remove from the cell state")
    page._send_typed()
    qtbot.waitUntil(lambda: page.last_turn is not None, timeout=10_000)
    assert page.last_turn.verdict == "correct" and page.last_turn.typed
    with qtbot.waitSignal(page.closed, timeout=5000):
        page.leave()
