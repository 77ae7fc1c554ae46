"""Call: the voice tutor's screen, laid out like a call. Thin: `app.voice.call.CallRunner` does the
work on a QThread (`call_session.CallThread`) and reports through `CallEvents`, which arrive here
as Qt signals.

The screen shows the question large, a live microphone level, what is heard while the student
speaks (partial transcripts), the verdict with the matched, missing and wrongly said terms, and
the reply. Hands-free (the VAD ends each answer) or push-to-talk (hold Space), Mute, Repeat,
Skip, End, and typing at any time. The first call offers the microphone and voice check.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from app.store.db import Store
from app.ui.call_layout import build_call_page
from app.ui.call_session import (
    HANDS_FREE_KEY,
    MUTED_KEY,
    CallThread,
    EnginesFactory,
    QtCallEvents,
    call_preferences,
    default_engines,
    first_call_wants_check,
    remember_call_preference,
)
from app.ui.call_status import CallState, call_status
from app.ui.call_widgets import palette_colours, terms_html, verdict_heading
from app.ui.common import StudyPage, deck_name
from app.voice.call import (
    CallDialogue,
    CallEngines,
    CallRunner,
    Phase,
    Summary,
    Turn,
    call_cards,
    deck_vocabulary_of,
    store_recorder,
)

__all__ = ["SHORTCUTS", "CallView", "default_engines"]

# (key, what it does): collected by the shortcut sheet.
SHORTCUTS = [
    ("Space (hold)", "Call: push to talk (release when done)"),
    ("Ctrl+H", "Call: switch between hands-free and push-to-talk"),
    ("Ctrl+M", "Call: mute or unmute the tutor's voice"),
    ("Ctrl+R", "Call: repeat the question"),
    ("Ctrl+Right", "Call: skip this card"),
    ("Ctrl+D", "Call: I don't know"),
    ("Ctrl+Y", "Call: I was right (count the last answer as correct)"),
    ("Ctrl+E", "Call: end the call"),
    ("Ctrl+T", "Call: check the microphone and voice"),
]
_RUNNING: set[CallThread] = set()  # a closed view's thread may still be loading a model: keep it alive


class CallView(StudyPage):
    title = "Call"
    statusChanged = Signal(str)  # the status line's state (app.ui.call_status.STATES) when it changes

    def __init__(
        self,
        store: Store,
        deck_id: int,
        parent: QWidget | None = None,
        *,
        engines: EnginesFactory | None = None,
        first_use_check: bool | None = None,
        check_engines=None,
    ) -> None:
        super().__init__(store, deck_id, parent)
        from app.grader.lexical import LexicalGrader
        from app.store.models import Deck

        with store.session() as session:
            deck = session.get(Deck, deck_id)
            language = deck.language if deck else "en"
        self.cards = call_cards(store, deck_id, order="due")
        self.vocabulary = deck_vocabulary_of(store, deck_id)
        self.events = QtCallEvents()
        self.dialogue: CallDialogue | None = None
        # Until the call's thread has loaded the best grader (the LSTM imports torch), the
        # runner holds an empty dialogue: nothing is asked before `_load_grader` replaces it.
        self.runner = CallRunner(CallDialogue([], LexicalGrader()), CallEngines(), self.events)
        self.check_engines = check_engines
        self.check_dialog = None
        self.phase = Phase.LOADING
        self.status = ""
        self._detail = ""  # the runner's detail for the phase
        self._turn_verdict: str | None = None  # this turn's verdict once its reply is on screen
        self._repeated = False  # the question now asked is the same card again
        build_call_page(self, deck_name(store, deck_id))
        self._connect()
        self.summary: Summary | None = None
        self._shown_index = 0
        hands_free, muted = call_preferences()  # as the last call left them
        self.set_hands_free(hands_free, remember=False)
        self.set_muted(muted, remember=False)
        self.last_turn: Turn | None = None
        if not self.cards:
            self._set_phase(Phase.FINISHED.value, "")
            self.reply_label.setText("This deck has no cards to ask.")
            return
        wants = first_call_wants_check if first_use_check is None else (lambda: first_use_check)
        self._thread = CallThread(self.runner, engines or default_engines, language, self._load_grader, wants)
        self._thread.failed.connect(self._failed)
        self._thread.checkWanted.connect(self.open_check)
        self._thread.enginesReady.connect(self._engines_ready)
        self._thread.finished.connect(lambda t=self._thread: _RUNNING.discard(t))
        _RUNNING.add(self._thread)
        self._thread.start()

    def _load_grader(self) -> None:
        """On the call's thread: the LSTM grader imports torch, which must not freeze the window."""
        from app.grader import load_grader
        from app.grader.calibrate import apply_user_calibration

        grader = load_grader()
        with self.store.session() as session:
            self.calibrated = apply_user_calibration(grader, session)  # the user's "I was right"s
        self.runner.dialogue = CallDialogue(self.cards, grader, store_recorder(self.store), self.vocabulary)
        self.dialogue = self.runner.dialogue

    def _connect(self) -> None:
        e = self.events
        e.phaseChanged.connect(self._set_phase)
        e.progressed.connect(self._progress)
        e.levelChanged.connect(self._level)
        e.asked.connect(self._asked)
        e.partialHeard.connect(self._partial)
        e.heard.connect(self._heard)
        e.replied.connect(self._replied)
        e.noticed.connect(self._notice)
        e.ended.connect(self._ended)

    # controls (UI thread) -------------------------------------------------------------------------
    def _talk(self, pressed: bool) -> None:
        self.talk_button.setDown(pressed)
        self.runner.push_to_talk(pressed)

    def set_hands_free(self, on: bool, *, remember: bool = True) -> None:
        self.hands_free_button.setChecked(on)
        self.hands_free_button.setText("Hands-free" if on else "Push-to-talk")
        if on != self.runner.hands_free:  # a change wakes the runner, which cuts short what it says
            self.runner.set_hands_free(on)
        if remember:
            remember_call_preference(HANDS_FREE_KEY, on)

    def set_muted(self, muted: bool, *, remember: bool = True) -> None:
        self.mute_button.setChecked(muted)
        self.mute_button.setText("Unmute" if muted else "Mute")
        self.runner.set_muted(muted)
        self._refresh_status()  # a muted tutor is not speaking any more
        if remember:
            remember_call_preference(MUTED_KEY, muted)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._talk(True)  # Space reaches the page only when no text field or button wants it
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._talk(False)
            return
        super().keyReleaseEvent(event)

    def open_check(self) -> None:
        """The microphone and voice check; the call (when it waits for it) goes on once it closes."""
        from app.ui.call_check import CallCheckDialog

        if self.check_dialog is not None:
            self.check_dialog.raise_()
            return
        self.check_dialog = CallCheckDialog(self, self.check_engines)
        self.check_dialog.finished.connect(self._check_closed)
        self.check_dialog.open()

    def _check_closed(self, _result: int) -> None:
        self.check_dialog = None
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.check_closed.set()

    # the status line ---------------------------------------------------------------------------
    def audible(self) -> bool:
        """Whether the tutor's voice is heard now: a voice, a sound output, and not muted."""
        r = self.runner
        return r.voice_out and r.engines.player is not None and not r.muted

    def _refresh_status(self) -> None:
        state = CallState(self.phase, self._detail, self.audible(), self._turn_verdict, self._repeated)
        status, text = call_status(state)
        self.phase_label.setText(text)
        self.phase_label.setAccessibleDescription(status)
        if status != self.status:
            self.status = status
            self.statusChanged.emit(status)

    # slots (UI thread) ----------------------------------------------------------------------------
    @Slot(str, str)
    def _set_phase(self, value: str, detail: str) -> None:
        phase = Phase(value)
        self.phase, self._detail = phase, detail
        if phase is Phase.REPLYING:
            self._turn_verdict = None  # the reply (and its verdict) follows at once: `_replied` says it
        else:
            self._refresh_status()
        self.load_bar.setVisible(phase is Phase.LOADING)
        if phase is Phase.LISTENING:
            self.transcript_label.setText("")
        if phase is not Phase.LISTENING:
            self.partial_label.setText("")
        if phase is Phase.FINISHED:
            self.meter.set_value(0)
            for w in (self.talk_button, self.send_button, self.answer_edit, self.stop_button, self.mute_button,
                      self.hands_free_button,
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
        elif self.phase is Phase.LOADING:
            self.phase_label.setText(message + "…")
        else:  # the model finishes loading while the first question is spoken
            self.engine_label.setText(message + "…")

    @Slot(str)
    def _engines_ready(self, voice: str) -> None:
        self.voice_label.setText(voice[:1].upper() + voice[1:])

    @Slot(float)
    def _level(self, value: float) -> None:
        self.meter.set_value(value)

    @Slot(int, int, str)
    def _asked(self, index: int, total: int, text: str) -> None:
        self.position_label.setText(f"Card {index} of {total}")
        self.question_label.setText(text)
        self._repeated = index == self._shown_index
        # The last verdict and reply stay until the next one: without a voice they are the only
        # way to read what the tutor said about the previous card.
        self.transcript_label.setText("")
        verdict = self.verdict_label.text()
        moved_on, self._shown_index = index != self._shown_index, index
        if moved_on and verdict and not verdict.startswith("Previous card"):
            self.verdict_label.setText(f"Previous card: {verdict}")

    @Slot(str)
    def _partial(self, text: str) -> None:
        if self.phase in (Phase.LISTENING, Phase.SPEAKING):  # a late partial never covers the answer
            self.partial_label.setText(f"Hearing: “{text}…”")

    @Slot(str)
    def _heard(self, text: str) -> None:
        self.partial_label.setText("")
        self.transcript_label.setText(f"You said: “{text}”" if text else "Nothing was heard.")

    @Slot(str, object)
    def _replied(self, text: str, turn: Turn | None) -> None:
        self.last_turn = turn
        if turn is not None and turn.typed and turn.transcript:
            self.transcript_label.setText(f"You typed: “{turn.transcript}”")
        verdict = turn.verdict if turn is not None and turn.command != "i_was_right" else None
        if verdict is not None:
            self.verdict_label.setText(verdict_heading(verdict, turn.score))
            self.verdict_label.setObjectName("feedbackRight" if verdict == "correct" else "feedbackWrong")
            self.verdict_label.style().unpolish(self.verdict_label)
            self.verdict_label.style().polish(self.verdict_label)
            self.terms_label.setText(terms_html(turn.matched, turn.missing, turn.wrong, palette_colours(self)))
        elif turn is not None and turn.command == "i_was_right":
            self.verdict_label.setText("✔ Marked as right")
            self.terms_label.setText("")
            verdict = "override"
        if text:
            self.reply_label.setText(text)
        self._turn_verdict = verdict
        self._refresh_status()

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

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.focusWidget() is None:
            self.talk_button.setFocus()  # Space on the focused talk button is push-to-talk too

    def finish(self) -> None:
        """Leaving the screen ends the call; every answer so far is already saved."""
        self.runner.stop()
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.check_closed.set()
            thread.wait(1500)  # a model still loading finishes in the background (kept in _RUNNING)

    def closeEvent(self, event) -> None:
        self.finish()
        super().closeEvent(event)
