"""The Call screen's engine side: the real engines as the settings choose them, `CallEvents` as Qt
signals, and the thread that loads the grader and the engines and then runs the call, so model
loading never blocks the window."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from app.voice.call import CallEngines, CallEvents, CallRunner, Phase, Summary, Turn

EnginesFactory = Callable[[str | None], CallEngines]  # deck language -> engines (runs off the UI thread)


def default_engines(language: str | None) -> CallEngines:
    """The real engines, as the settings choose them. Slow (loads torch): call off the UI thread."""
    from app.config import load_settings
    from app.ui.call_check import call_tts
    from app.voice.asr import shared_asr, whisper_language
    from app.voice.capture import MicrophoneSource
    from app.voice.tts import PlaybackUnavailable, SoundDevicePlayer, TTSUnavailable

    settings = load_settings()
    asr = shared_asr(settings.get("whisper_model") or "tiny.en", settings.get("whisper_device") or "auto")
    if not asr.loaded:
        asr.threads = settings.get("whisper_threads")
    try:
        tts = call_tts(language, settings.get("tts_voice"), settings.get("tts_rate"))
    except TTSUnavailable:
        tts = None  # the runner says so
    try:
        player = SoundDevicePlayer()
    except PlaybackUnavailable:
        player = None
    device = settings.get("call_microphone")
    return CallEngines(asr=asr, tts=tts, player=player, microphone=lambda: MicrophoneSource(device),
                       language=whisper_language(language) or "en")  # fmt: skip


def describe_voice(engines: CallEngines) -> str:
    """What the tutor speaks with, for the screen's engine line."""
    if engines.tts is None:
        return "no voice (replies as text)"
    from app.config import load_settings

    s = load_settings()
    voice = s.get("tts_voice")
    rate = s.get("tts_rate")
    extra = ", ".join(x for x in (str(voice).split("/")[-1] if voice else "", f"{rate} wpm" if rate else "") if x)
    out = "" if engines.player is not None else "; no sound output"
    return f"voice {engines.tts.name}" + (f" ({extra})" if extra else "") + out


class QtCallEvents(QObject, CallEvents):
    """CallEvents as signals; emitted on the call's thread, delivered queued on the UI thread."""

    phaseChanged = Signal(str, str)
    progressed = Signal(str, float)
    levelChanged = Signal(float)
    asked = Signal(int, int, str)
    partialHeard = Signal(str)
    heard = Signal(str)
    replied = Signal(str, object)
    noticed = Signal(str)
    ended = Signal(object)

    def phase(self, phase: Phase, detail: str = "") -> None:
        self.phaseChanged.emit(phase.value, detail)

    def progress(self, message: str, fraction: float | None) -> None:
        self.progressed.emit(message, -1.0 if fraction is None else float(fraction))

    def level(self, value: float) -> None:
        self.levelChanged.emit(value)

    def question(self, index: int, total: int, text: str) -> None:
        self.asked.emit(index, total, text)

    def partial(self, text: str) -> None:
        self.partialHeard.emit(text)

    def transcript(self, text: str) -> None:
        self.heard.emit(text)

    def reply(self, text: str, turn: Turn | None) -> None:
        self.replied.emit(text, turn)

    def notice(self, text: str) -> None:
        self.noticed.emit(text)

    def finished(self, summary: Summary) -> None:
        self.ended.emit(summary)


class CallThread(QThread):
    """Loads the grader, offers the first-use check, builds the engines, then runs the whole call."""

    failed = Signal(str)
    checkWanted = Signal()  # the view opens the check dialog; the call waits for `check_closed`
    enginesReady = Signal(str)  # the voice line

    def __init__(
        self,
        runner: CallRunner,
        factory: EnginesFactory,
        language: str | None,
        grader_ready: Callable[[], None],
        wants_check: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__()
        self.runner, self.factory, self.language, self.grader_ready = runner, factory, language, grader_ready
        self.wants_check = wants_check
        self.check_closed = threading.Event()

    def run(self) -> None:
        try:
            self.runner.events.phase(Phase.LOADING, "Loading the grader")
            self.grader_ready()
            if self.wants_check():
                self.runner.events.phase(Phase.LOADING, "Waiting for the microphone and voice check")
                self.checkWanted.emit()
                while not self.check_closed.wait(0.2):
                    if self.runner.stopped:
                        return
            self.runner.events.phase(Phase.LOADING, "Loading speech engines")
            self.runner.engines = self.factory(self.language)
            self.enginesReady.emit(describe_voice(self.runner.engines))
            if not self.runner.stopped:
                self.runner.run()
        except Exception as exc:  # anything unexpected: tell the user, never crash the window
            self.failed.emit(f"The call stopped: {exc}")


HANDS_FREE_KEY = "call_hands_free"  # settings.json: the last mode chosen (True: hands-free, the default)
MUTED_KEY = "call_muted"  # settings.json: the tutor was muted when last left


def call_preferences() -> tuple[bool, bool]:
    """(hands-free, muted) as the user left them on the last call."""
    from app.config import load_settings

    s = load_settings()
    hands_free, muted = s.get(HANDS_FREE_KEY, True), s.get(MUTED_KEY, False)
    return (hands_free if isinstance(hands_free, bool) else True), (muted if isinstance(muted, bool) else False)


def remember_call_preference(key: str, value: bool) -> None:
    """Kept for the next call; a read-only settings folder only loses the preference."""
    import contextlib

    from app.config import load_settings, save_settings

    settings = load_settings()
    if settings.get(key) == value:
        return
    settings[key] = value
    with contextlib.suppress(OSError):
        save_settings(settings)


def first_call_wants_check() -> bool:
    """The check is offered once, on the first call made where a microphone is present."""
    from app.config import load_settings
    from app.voice.capture import input_devices

    return not load_settings().get("call_check_done") and bool(input_devices())
