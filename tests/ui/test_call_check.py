"""The first-use microphone and voice check, offscreen, with a file-backed microphone, tiny.en and
the real pyttsx3 voice; and the Call screen that waits for it on the first call."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.config import load_settings
from app.ui.call_check import CallCheckDialog, CheckEngines, call_tts
from app.ui.call_view import CallView
from app.voice.call import CallEngines
from app.voice.capture import FileSource
from app.voice.tts import SilentPlayer
from tests.voice.fakes import ScriptedASR
from tests.voice.speech import espeak_wav, loaded_tiny_asr, needs_espeak


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return loaded_tiny_asr(tmp_path_factory.mktemp("asr-home"))


def _engines(wav, asr) -> tuple[CheckEngines, list]:
    opened: list = []

    def open_source(device):
        opened.append(device)
        return FileSource(wav, realtime=True, trail_silence_s=3)

    return CheckEngines(devices=lambda: [(3, "USB headset"), (5, "Built-in microphone")], open_source=open_source,
                        asr=lambda: asr, voices=lambda: [("en-gb", "English (Great Britain)"), ("en-us", "English (America)")],
                        tts=lambda voice, rate: call_tts(None, voice, rate), player=SilentPlayer), opened  # fmt: skip


@pytest.mark.slow
@needs_espeak
def test_pick_a_microphone_see_its_level_be_transcribed_pick_a_voice_and_hear_it(qtbot, tiny, tmp_path):
    wav = espeak_wav("The mitochondria is the powerhouse of the cell", tmp_path / "test.wav")
    engines, opened = _engines(wav, tiny)
    dialog = CallCheckDialog(None, engines)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.mic.count() == 3 and dialog.voice.count() == 3, timeout=10_000)
    assert [dialog.mic.itemText(i) for i in range(3)] == ["System default", "USB headset", "Built-in microphone"]
    dialog.mic.setCurrentIndex(2)
    levels: list[float] = []
    dialog._levels.level.connect(levels.append)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.heard is not None, timeout=60_000)
    assert opened == [5]
    assert max(levels) > 0.4 and dialog.meter.peak > 0.4  # the level moved while the sentence played
    assert "powerhouse" in dialog.heard.lower()
    assert dialog.heard_label.text().startswith("Heard: “")

    dialog.voice.setCurrentIndex(dialog.voice.findData("en-gb"))
    dialog.rate.setValue(150)
    qtbot.mouseClick(dialog.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.sample_seconds is not None or "could not" in dialog.sample_label.text(),
                    timeout=60_000)  # fmt: skip
    assert dialog.sample_seconds is not None, dialog.sample_label.text()
    assert dialog.sample_seconds > 1.5  # a whole sentence, spoken
    assert dialog.sample_label.text().endswith("sample was played.")

    dialog.accept()
    saved = load_settings()
    assert saved["call_microphone"] == 5 and saved["tts_voice"] == "en-gb" and saved["tts_rate"] == 150
    assert saved["call_check_done"] is True


def test_without_microphones_the_test_is_off_and_cancel_still_marks_the_check_done(qtbot):
    engines = CheckEngines(devices=lambda: [], voices=lambda: [], player=lambda: None)
    dialog = CallCheckDialog(None, engines)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.test_button.isEnabled(), timeout=10_000)
    assert dialog.mic.currentText().startswith("No microphone found")
    dialog.reject()
    saved = load_settings()
    assert saved == {"call_check_done": True}  # cancelled: no choices saved


def test_the_first_call_waits_for_the_check_then_asks(qtbot, store, sample_deck):
    engines = CheckEngines(devices=lambda: [(1, "Mic")], voices=lambda: [], player=lambda: None)
    asked: list[str] = []
    view = CallView(store, sample_deck, first_use_check=True, check_engines=engines,
                    engines=lambda _l: CallEngines(asr=ScriptedASR([]), tts=None))  # fmt: skip
    qtbot.addWidget(view)
    view.events.asked.connect(lambda _i, _n, q: asked.append(q))
    view.show()
    qtbot.waitUntil(lambda: view.check_dialog is not None, timeout=30_000)
    assert view.phase_label.text() == "Paused for the microphone and voice check…" and asked == []
    assert view.status == "paused"
    qtbot.waitUntil(lambda: view.check_dialog.mic.count() == 2, timeout=10_000)
    view.check_dialog.accept()
    qtbot.waitUntil(lambda: asked == ["What does the forget gate do?"], timeout=30_000)
    assert view.check_dialog is None and load_settings()["call_check_done"] is True
    # Later: the check opens from its button (Ctrl+T), and the call is not held up.
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5000)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert view.check_dialog is not None and view.check_dialog.isVisible()
    view.check_dialog.reject()
    view.leave()
