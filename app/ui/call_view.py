"""Call: the voice tutor's screen. Thin: `app.voice.call.CallRunner` does the work on a QThread
and reports through `CallEvents`, which this module turns into Qt signals at the UI's edge.

The screen shows the question, what the tutor is doing (loading the model with progress,
speaking, listening with a level meter, transcribing, grading, replying), the transcript, the
verdict and the reply; the student can answer by voice (VAD or push-to-talk) or type at any time.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Store
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.voice.call import (
    CallDialogue,
    CallEngines,
    CallEvents,
    CallRunner,
    Phase,
    Summary,
    Turn,
    call_cards,
    deck_vocabulary_of,
    store_recorder,
)

PHASE_TEXT = {
    Phase.LOADING: "Getting ready…",
    Phase.SPEAKING: "Tutor is speaking…",
    Phase.LISTENING: "Listening — answer now (or hold Push to talk, or type)",
    Phase.TRANSCRIBING: "Transcribing…",
    Phase.GRADING: "Grading…",
    Phase.REPLYING: "Tutor replies",
    Phase.FINISHED: "Call ended",
}
EnginesFactory = Callable[[str | None], CallEngines]  # deck language -> engines (runs off the UI thread)


def default_engines(language: str | None) -> CallEngines:
    """The real engines, as the settings choose them. Slow (loads torch): call off the UI thread."""
    from app.config import load_settings
    from app.voice.asr import shared_asr, whisper_language
    from app.voice.capture import MicrophoneSource
    from app.voice.tts import PlaybackUnavailable, SoundDevicePlayer, TTSUnavailable, shared_tts

    settings = load_settings()
    asr = shared_asr(settings.get("whisper_model") or "tiny.en", settings.get("whisper_device") or "auto")
    if not asr.loaded:
        asr.threads = settings.get("whisper_threads")
    try:
        tts = shared_tts(language)
    except TTSUnavailable:
        tts = None  # the runner says so
    try:
        player = SoundDevicePlayer()
    except PlaybackUnavailable:
        player = None
    return CallEngines(asr=asr, tts=tts, player=player, microphone=MicrophoneSource,
                       language=whisper_language(language) or "en")  # fmt: skip


class _QtEvents(QObject, CallEvents):
    """CallEvents as signals; emitted on the call's thread, delivered queued on the UI thread."""

    phaseChanged = Signal(str, str)
    progressed = Signal(str, float)
    levelChanged = Signal(float)
    asked = Signal(int, int, str)
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

    def transcript(self, text: str) -> None:
        self.heard.emit(text)

    def reply(self, text: str, turn: Turn | None) -> None:
        self.replied.emit(text, turn)

    def notice(self, text: str) -> None:
        self.noticed.emit(text)

    def finished(self, summary: Summary) -> None:
        self.ended.emit(summary)


class _CallThread(QThread):
    """Builds the engines (model loading included) and runs the whole call, off the UI thread."""

    failed = Signal(str)

    def __init__(
        self, runner: CallRunner, factory: EnginesFactory, language: str | None, grader_ready
    ) -> None:
        super().__init__()
        self.runner, self.factory, self.language, self.grader_ready = runner, factory, language, grader_ready

    def run(self) -> None:
        try:
            self.runner.events.phase(Phase.LOADING, "Loading the grader")
            self.grader_ready()
            self.runner.events.phase(Phase.LOADING, "Loading speech engines")
            self.runner.engines = self.factory(self.language)
            if not self.runner.stopped:
                self.runner.run()
        except Exception as exc:  # anything unexpected: tell the user, never crash the window
            self.failed.emit(f"The call stopped: {exc}")


_RUNNING: set[_CallThread] = set()  # a closed view's thread may still be loading a model: keep it alive


class CallView(StudyPage):
    title = "Call"

    def __init__(
        self,
        store: Store,
        deck_id: int,
        parent: QWidget | None = None,
        *,
        engines: EnginesFactory | None = None,
    ) -> None:
        super().__init__(store, deck_id, parent)
        from app.store.models import Deck

        with store.session() as session:
            deck = session.get(Deck, deck_id)
            language = deck.language if deck else "en"
        self.cards = call_cards(store, deck_id, order="due")
        self.vocabulary = deck_vocabulary_of(store, deck_id)
        self.events = _QtEvents()
        self.dialogue: CallDialogue | None = None
        from app.grader.lexical import LexicalGrader

        # Until the call's thread has loaded the best grader (the LSTM imports torch), the
        # runner holds an empty dialogue: nothing is asked before `_load_grader` replaces it.
        self.runner = CallRunner(CallDialogue([], LexicalGrader()), CallEngines(), self.events)
        self._build(deck_name(store, deck_id))
        self._connect()
        self.summary: Summary | None = None
        self._shown_index = 0
        self.last_turn: Turn | None = None
        if not self.cards:
            self._set_phase(Phase.FINISHED.value, "")
            self.reply_label.setText("This deck has no cards to ask.")
            return
        self._thread = _CallThread(self.runner, engines or default_engines, language, self._load_grader)
        self._thread.failed.connect(self._failed)
        self._thread.finished.connect(lambda t=self._thread: _RUNNING.discard(t))
        _RUNNING.add(self._thread)
        self._thread.start()

    def _load_grader(self) -> None:
        """On the call's thread: the LSTM grader imports torch, which must not freeze the window."""
        from app.grader import load_grader

        self.runner.dialogue = CallDialogue(
            self.cards, load_grader(), store_recorder(self.store), self.vocabulary
        )
        self.dialogue = self.runner.dialogue

    # layout ---------------------------------------------------------------------------------
    def _build(self, deck: str) -> None:
        layout = QVBoxLayout(self)
        bar, _ = top_bar(self, f"Call · {deck}")
        self.position_label = QLabel("")
        self.position_label.setObjectName("muted")
        bar.addWidget(self.position_label)
        layout.addLayout(bar)

        status = QHBoxLayout()
        self.phase_label = QLabel(PHASE_TEXT[Phase.LOADING])
        self.phase_label.setObjectName("prompt")
        status.addWidget(self.phase_label, 1)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedWidth(160)
        self.meter.setToolTip("Microphone level")
        status.addWidget(QLabel("Mic"))
        status.addWidget(self.meter)
        layout.addLayout(status)
        self.load_bar = QProgressBar()
        self.load_bar.setRange(0, 0)
        layout.addWidget(self.load_bar)
        self.engine_label = QLabel("")
        self.engine_label.setObjectName("muted")
        layout.addWidget(self.engine_label)

        face = QFrame()
        face.setObjectName("cardFace")
        fv = QVBoxLayout(face)
        self.side_label = side = QLabel("Question")
        side.setObjectName("cardSide")
        fv.addWidget(side)
        self.question_label = QLabel("")
        self.question_label.setObjectName("cardText")
        self.question_label.setWordWrap(True)
        fv.addWidget(self.question_label)
        fv.addStretch(1)
        face.setMinimumHeight(180)
        layout.addWidget(face)

        self.transcript_label = QLabel("")
        self.transcript_label.setWordWrap(True)
        layout.addWidget(self.transcript_label)
        self.verdict_label = QLabel("")
        layout.addWidget(self.verdict_label)
        self.reply_label = QLabel("")
        self.reply_label.setObjectName("prompt")
        self.reply_label.setWordWrap(True)
        layout.addWidget(self.reply_label)
        self.notice_label = QLabel("")
        self.notice_label.setObjectName("muted")
        self.notice_label.setWordWrap(True)
        layout.addWidget(self.notice_label)
        layout.addStretch(1)  # spare height goes below the reply, so a long reply is never clipped

        typed = QHBoxLayout()
        self.answer_edit = QLineEdit()
        self.answer_edit.setPlaceholderText("Type an answer or a command (repeat, skip, I don't know, stop)…")
        self.answer_edit.returnPressed.connect(self._send_typed)
        typed.addWidget(self.answer_edit, 1)
        self.send_button = flat_button("Send", self._send_typed, name="primary")
        typed.addWidget(self.send_button)
        layout.addLayout(typed)

        buttons = QHBoxLayout()
        self.talk_button = QPushButton("Hold to talk")
        self.talk_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.talk_button.setToolTip("Push to talk: hold while you answer, release when done")
        self.talk_button.pressed.connect(lambda: self.runner.push_to_talk(True))
        self.talk_button.released.connect(lambda: self.runner.push_to_talk(False))
        buttons.addWidget(self.talk_button)
        self.command_buttons: dict[str, QPushButton] = {}
        for label, said in (("Repeat", "repeat"), ("Skip", "skip"), ("I don't know", "I don't know"),
                            ("I was right", "I was right")):  # fmt: skip
            b = flat_button(label, lambda _=False, s=said: self.runner.submit_text(s))
            self.command_buttons[said] = b
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.stop_button = flat_button("End call", lambda: self.runner.stop())
        buttons.addWidget(self.stop_button)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        e = self.events
        e.phaseChanged.connect(self._set_phase)
        e.progressed.connect(self._progress)
        e.levelChanged.connect(self._level)
        e.asked.connect(self._asked)
        e.heard.connect(self._heard)
        e.replied.connect(self._replied)
        e.noticed.connect(self._notice)
        e.ended.connect(self._ended)

    # slots (UI thread) ----------------------------------------------------------------------------
    @Slot(str, str)
    def _set_phase(self, value: str, detail: str) -> None:
        phase = Phase(value)
        text = PHASE_TEXT[phase]
        if phase is Phase.LOADING and detail:
            text = detail + "…"
        elif phase is Phase.LISTENING and detail == "Type your answer":
            text = "Type your answer below"
        self.phase = phase
        self.phase_label.setText(text)
        self.load_bar.setVisible(phase is Phase.LOADING)
        if phase is Phase.LISTENING:
            self.transcript_label.setText("")
        if phase is Phase.FINISHED:
            self.meter.setValue(0)
            for w in (self.talk_button, self.send_button, self.answer_edit, self.stop_button,
                      *(b for k, b in self.command_buttons.items() if k != "I was right")):  # fmt: skip
                w.setEnabled(False)

    @Slot(str, float)
    def _progress(self, message: str, fraction: float) -> None:
        if fraction < 0:
            self.load_bar.setRange(0, 0)
        else:
            self.load_bar.setRange(0, 1000)
            self.load_bar.setValue(int(fraction * 1000))
        if message.startswith("Using ") or message.startswith("Ready"):
            self.engine_label.setText(message.replace("Ready: ", "Using "))
        else:
            self.phase_label.setText(message + "…")

    @Slot(float)
    def _level(self, value: float) -> None:
        self.meter.setValue(int(value * 100))

    @Slot(int, int, str)
    def _asked(self, index: int, total: int, text: str) -> None:
        self.position_label.setText(f"Card {index} of {total}")
        self.question_label.setText(text)
        # The last verdict and reply stay until the next one: without a voice they are the only
        # way to read what the tutor said about the previous card.
        self.transcript_label.setText("")
        verdict = self.verdict_label.text()
        moved_on, self._shown_index = index != self._shown_index, index
        if moved_on and verdict and not verdict.startswith("Previous card"):
            self.verdict_label.setText(f"Previous card: {verdict}")

    @Slot(str)
    def _heard(self, text: str) -> None:
        self.transcript_label.setText(f"You said: “{text}”" if text else "Nothing was heard.")

    @Slot(str, object)
    def _replied(self, text: str, turn: Turn | None) -> None:
        self.last_turn = turn
        if turn is not None and turn.typed and turn.transcript:
            self.transcript_label.setText(f"You typed: “{turn.transcript}”")
        verdict = turn.verdict if turn is not None and turn.command != "i_was_right" else None
        if verdict is not None:
            score = f" · score {turn.score:.2f}" if turn.score is not None else ""
            self.verdict_label.setText({"correct": "✔ Correct", "partial": "◐ Partly right",
                                        "wrong": "✘ Not quite"}[verdict] + score)  # fmt: skip
            self.verdict_label.setObjectName("feedbackRight" if verdict == "correct" else "feedbackWrong")
            self.verdict_label.style().unpolish(self.verdict_label)
            self.verdict_label.style().polish(self.verdict_label)
        elif turn is not None and turn.command == "i_was_right":
            self.verdict_label.setText("✔ Marked as right")
        if text:
            self.reply_label.setText(text)

    @Slot(str)
    def _notice(self, text: str) -> None:
        old = self.notice_label.text()
        self.notice_label.setText(f"{old}\n{text}" if old else text)

    @Slot(object)
    def _ended(self, summary: Summary) -> None:
        self.summary = summary
        self.side_label.setText("Summary")
        self.question_label.setText(summary.text)
        self.position_label.setText("")

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._notice(message)
        self._set_phase(Phase.FINISHED.value, "")

    def _send_typed(self) -> None:
        text = self.answer_edit.text().strip()
        if text:
            self.runner.submit_text(text)
            self.answer_edit.clear()

    def finish(self) -> None:
        """Leaving the screen ends the call; every answer so far is already saved."""
        self.runner.stop()
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.wait(1500)  # a model still loading finishes in the background (kept in _RUNNING)

    def closeEvent(self, event) -> None:
        self.finish()
        super().closeEvent(event)
