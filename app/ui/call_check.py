"""The Call screen's first-use check: pick a microphone and see its level, say a test sentence and
read what was heard, pick a voice and a rate and hear a sample. The choices go to settings.json
(`call_microphone`, `tts_voice`, `tts_rate`; `call_check_done` once the dialog was closed), where
`call_view.default_engines` reads them.

Everything slow (opening the device, loading Whisper, synthesis, playback) runs on the worker
pool; the engines come from `CheckEngines`, so tests drive the dialog with a file-backed source.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.ui.call_widgets import LevelMeter
from app.ui.common import dialog_buttons
from app.ui.workers import run_in_background

SAMPLE_SENTENCE = "Hello! This is how your tutor will sound during a call."
TEST_SENTENCE = "The mitochondria is the powerhouse of the cell."
DEFAULT_RATE = 175


def _default_devices() -> list[tuple[object, str]]:
    from app.voice.capture import input_devices

    return list(input_devices())


def _default_source(device):
    from app.voice.capture import MicrophoneSource

    return MicrophoneSource(device)


def _default_asr():
    from app.config import load_settings
    from app.voice.asr import shared_asr

    s = load_settings()
    asr = shared_asr(s.get("whisper_model") or "tiny.en", s.get("whisper_device") or "auto")
    asr.load()
    return asr


def _default_voices() -> list[tuple[str, str]]:
    try:
        import pyttsx3

        from app.stdio import library_output

        with library_output():
            voices = pyttsx3.init().getProperty("voices") or []
    except Exception:  # no engine: the default voice (or none) is all there is
        return []
    return sorted(((str(v.id), str(v.name)) for v in voices), key=lambda v: v[1].lower())


def _default_player():
    from app.voice.tts import PlaybackUnavailable, SoundDevicePlayer

    try:
        return SoundDevicePlayer()
    except PlaybackUnavailable:
        return None


def call_tts(language: str | None, voice: str | None, rate: int | None):
    """The synthesiser for a call or a sample: the shared one unless a voice or rate was picked."""
    from app.voice.tts import Pyttsx3TTS, shared_tts

    if not voice and not rate:
        return shared_tts(language)
    key = (language, voice, rate)
    with _TTS_LOCK:
        if key not in _TTS:
            _TTS[key] = Pyttsx3TTS(language, rate_wpm=rate or DEFAULT_RATE, voice=voice)
        return _TTS[key]


_TTS: dict = {}
_TTS_LOCK = threading.Lock()


@dataclass
class CheckEngines:
    """Where the check gets its devices and engines; every callable runs on a worker thread."""

    devices: Callable[[], list[tuple[object, str]]] = _default_devices
    open_source: Callable[[object], object] = _default_source  # device -> AudioSource (not opened)
    asr: Callable[[], object] = _default_asr  # a loaded recogniser
    voices: Callable[[], list[tuple[str, str]]] = _default_voices
    tts: Callable[[str | None, int], object] = field(default=lambda voice, rate: call_tts(None, voice, rate))
    player: Callable[[], object | None] = _default_player
    language: str | None = "en"


class _Levels(QObject):
    level = Signal(float)  # emitted on the worker, shown on the UI thread


class CallCheckDialog(QDialog):
    """Non-blocking: every step reports back through the worker pool's signals."""

    def __init__(self, parent: QWidget | None = None, engines: CheckEngines | None = None) -> None:
        super().__init__(parent)
        from app.config import load_settings

        self.setWindowTitle("Check your microphone and voice")
        self.setAccessibleName("Microphone and voice check")
        self.setMinimumWidth(520)
        self.engines = engines or CheckEngines()
        self.settings = load_settings()
        self.heard: str | None = None  # the last test's transcript
        self.sample_seconds: float | None = None  # the last sample's length
        self._cancel = threading.Event()
        self._levels = _Levels()
        self._levels.level.connect(self._show_level)
        self._build()
        run_in_background(self.engines.devices, on_done=self._got_devices, on_error=self._no_devices, owner=self)
        run_in_background(self.engines.voices, on_done=self._got_voices, on_error=lambda _e: self._got_voices([]),
                          owner=self)  # fmt: skip

    def _show_level(self, value: float) -> None:  # a method of the dialog: delivered queued, on the UI thread
        self.meter.set_value(value)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel("Before your first call: check that Recall hears you and that you can hear the tutor.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.mic = QComboBox()
        self.mic.setAccessibleName("Microphone")
        self.mic.addItem("Looking for microphones…", None)
        form.addRow("&Microphone", self.mic)
        self.meter = LevelMeter()
        form.addRow("Level", self.meter)
        row = QHBoxLayout()
        self.test_button = QPushButton("&Test: say a sentence")
        self.test_button.setAccessibleName("Test the microphone")
        self.test_button.setToolTip(f'Say, for example: "{TEST_SENTENCE}"')
        self.test_button.clicked.connect(self.start_test)
        row.addWidget(self.test_button)
        self.heard_label = QLabel(f'Press Test and say: "{TEST_SENTENCE}"')
        self.heard_label.setWordWrap(True)
        self.heard_label.setAccessibleName("What was heard")
        row.addWidget(self.heard_label, 1)
        form.addRow(row)
        self.voice = QComboBox()
        self.voice.setAccessibleName("Voice")
        self.voice.addItem("Default voice for the deck's language", None)
        form.addRow("&Voice", self.voice)
        self.rate = QSpinBox()
        self.rate.setRange(80, 320)
        self.rate.setSuffix(" words/min")
        self.rate.setAccessibleName("Speaking rate")
        self.rate.setValue(int(self.settings.get("tts_rate") or DEFAULT_RATE))
        form.addRow("&Rate", self.rate)
        sample = QHBoxLayout()
        self.sample_button = QPushButton("&Play a sample")
        self.sample_button.setAccessibleName("Play a voice sample")
        self.sample_button.clicked.connect(self.play_sample)
        sample.addWidget(self.sample_button)
        self.sample_label = QLabel("")
        self.sample_label.setWordWrap(True)
        sample.addWidget(self.sample_label, 1)
        form.addRow(sample)
        layout.addLayout(form)
        dialog_buttons(self, layout, save=True)

    # devices and voices ----------------------------------------------------------------------------
    def _got_devices(self, devices: list) -> None:
        self.mic.clear()
        if not devices:
            self._no_devices(None)
            return
        self.mic.addItem("System default", None)
        for device, name in devices:
            self.mic.addItem(name, device)
        chosen = self.mic.findData(self.settings.get("call_microphone"))
        self.mic.setCurrentIndex(max(0, chosen))

    def _no_devices(self, _exc) -> None:
        self.mic.clear()
        self.mic.addItem("No microphone found: answers will be typed", None)
        self.test_button.setEnabled(False)

    def _got_voices(self, voices: list) -> None:
        for vid, name in voices:
            self.voice.addItem(name, vid)
        chosen = self.voice.findData(self.settings.get("tts_voice"))
        self.voice.setCurrentIndex(max(0, chosen))

    # the microphone test ----------------------------------------------------------------------
    def start_test(self) -> None:
        self.test_button.setEnabled(False)
        self.meter.reset_peak()
        self.heard_label.setText("Listening… say the sentence now.")
        run_in_background(self._test, self.mic.currentData(), on_done=self._tested, on_error=self._test_failed,
                          owner=self)  # fmt: skip

    def _test(self, device) -> str:
        from app.voice.vad import VadConfig, listen

        asr = self.engines.asr()  # loaded before listening, so the answer is transcribed at once
        source = self.engines.open_source(device)
        source.open()
        try:
            heard = listen(source, VadConfig(no_speech_s=8.0), on_level=self._levels.level.emit, cancel=self._cancel)
        finally:
            source.close()
            self._levels.level.emit(0.0)
        if not heard.heard:
            return ""
        return asr.transcribe(heard.audio, language=self.engines.language).text

    def _tested(self, text: str) -> None:
        self.test_button.setEnabled(True)
        self.heard = text
        if text:
            self.heard_label.setText(f"Heard: “{text}”")
        else:
            self.heard_label.setText("Nothing was heard. Check the microphone is on, then try again.")

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.heard = None
        self.heard_label.setText(f"The microphone could not be used: {exc}")

    # the voice sample ---------------------------------------------------------------------------
    def play_sample(self) -> None:
        self.sample_button.setEnabled(False)
        self.sample_label.setText("Speaking…")
        run_in_background(self._sample, self.voice.currentData(), self.rate.value(), on_done=self._sampled,
                          on_error=self._sample_failed, owner=self)  # fmt: skip

    def _sample(self, voice: str | None, rate: int) -> tuple[float, bool]:
        speech = self.engines.tts(voice, rate).synthesize(SAMPLE_SENTENCE)
        player = self.engines.player()
        if player is not None:
            player.play(speech, self._cancel)
        return speech.seconds, player is not None

    def _sampled(self, result: tuple[float, bool]) -> None:
        seconds, played = result
        self.sample_button.setEnabled(True)
        self.sample_seconds = seconds
        where = "played" if played else "made, but there is no sound output to play it on"
        self.sample_label.setText(f"A {seconds:.1f} s sample was {where}.")

    def _sample_failed(self, exc: BaseException) -> None:
        self.sample_button.setEnabled(True)
        self.sample_seconds = None
        self.sample_label.setText(f"The voice could not speak: {exc}")

    # closing ------------------------------------------------------------------------------------
    def choices(self) -> dict:
        return {"call_microphone": self.mic.currentData(), "tts_voice": self.voice.currentData(),
                "tts_rate": self.rate.value()}  # fmt: skip

    def done(self, result: int) -> None:
        """Save (with the choices) or Cancel: either way the first-use check is not offered again."""
        from app.config import load_settings, save_settings

        self._cancel.set()
        settings = load_settings()
        if result == QDialog.DialogCode.Accepted:
            settings.update(self.choices())
        settings["call_check_done"] = True
        save_settings(settings)
        super().done(result)
