"""Spaced review screen: question, Space/Enter reveals, rate on 1-4 (or 1-5 confidence).

All logic lives in `app.scheduling.session.SpacedSession`; this widget only shows its state
and forwards keys. Each rating button prints the interval it gives (as Anki does); Ctrl+Z
takes back the last answer; Esc (or Back) emits `closed`. When nothing more is due today the
screen shows a summary of what was remembered and what was forgotten.

Building today's queue reads every due card (about a second at 1M cards), so the session is
created, answered, undone and refreshed on a worker (app.ui.workers): the screen says
"Preparing today's reviews…" until the first card is ready, ignores keys while a step runs
(`busy`), and emits `ready` each time the new state is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui import motion
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.theme import COLOURS, scheme_of
from app.ui.workers import run_in_background

if TYPE_CHECKING:
    from app.scheduling.session import SpacedSession
    from app.ui.card_surface import StudyProgress
    from app.ui.session_summary import SummaryPanel

_NUMBER_KEYS = {getattr(Qt.Key, f"Key_{i}"): i for i in range(1, 6)}
_WAIT_POLL_MS = 30_000  # re-check at least this often while waiting for a learning step
SHORTCUTS = [
    ("Space / Enter", "Show the answer; on a shown answer: Good"),
    ("1–4", "Again / Hard / Good / Easy (1–5 on a confidence deck)"),
    ("Ctrl+Z", "Undo the last answer"),
    ("Esc", "Back"),
]


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _open_session(store, deck_id: int | None, now: Callable[[], datetime], tz: tzinfo | None) -> SpacedSession:
    """On the worker. The scheduler and the progress bar's and summary's modules (grader terms,
    fuzzy matching: ~100 ms at first use) are imported here too, not on the UI thread."""
    from app.scheduling.session import SpacedSession
    from app.study import session_summary  # noqa: F401
    from app.ui import card_surface  # noqa: F401  (class definitions only: safe off the UI thread)
    from app.ui import session_summary as summary_panel  # noqa: F401

    return SpacedSession(store, deck_id, now=now, tz=tz)


class SpacedView(StudyPage):
    title = "Spaced review"
    ready = Signal()  # the state after a background step (first load, answer, undo) is shown

    def __init__(
        self,
        store,
        deck_id: int | None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = _utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(store, deck_id, parent)
        self.session: SpacedSession | None = None  # built on a worker: see _run
        self.busy = False
        self._now = now
        self.rating_buttons: list[QPushButton] = []
        self.ratings: list[tuple[str, int]] = []  # (front, key) per answer kept, for the summary
        self._scale = "4"

        layout = QVBoxLayout(self)
        scope = deck_name(store, deck_id) if deck_id is not None else "All decks"
        bar, _ = top_bar(self, f"Spaced review · {scope}")
        self.counts = QLabel("")
        self.counts.setObjectName("spacedCounts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        bar.addWidget(self.counts)
        self.undo_button = flat_button("Undo (Ctrl+Z)", self.undo, tip="Take back the last answer")
        bar.addWidget(self.undo_button)
        layout.addLayout(bar)
        self._layout = layout
        self.progress: StudyProgress | None = None  # made with the session (its module loads on the worker)

        self.card = QFrame()
        self.card.setObjectName("cardFace")
        self.card.setMinimumHeight(260)
        card_layout = QVBoxLayout(self.card)
        self.deck_label = QLabel("")
        self.deck_label.setObjectName("muted")
        card_layout.addWidget(self.deck_label)
        self.front = self._text_label("cardText")
        card_layout.addWidget(self.front, 1)
        self.rule = QFrame()
        self.rule.setFrameShape(QFrame.Shape.HLine)
        card_layout.addWidget(self.rule)
        self.back = self._text_label("cardText")
        card_layout.addWidget(self.back, 1)
        layout.addWidget(self.card, 1)

        self.message = QLabel("")
        self.message.setObjectName("spacedMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        self.reveal_button = flat_button("Show answer (Space)", self.reveal, name="primary")
        layout.addWidget(self.reveal_button)
        self.buttons_row = QHBoxLayout()
        layout.addLayout(self.buttons_row)
        self.summary: SummaryPanel | None = None  # likewise; the page's last item

        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.timeout.connect(self._recheck)
        self.render()
        self._run(lambda: _open_session(store, deck_id, now, tz), self._started)

    def _started(self, session: SpacedSession) -> str | None:
        from app.ui.card_surface import StudyProgress  # imported by the worker already
        from app.ui.session_summary import SummaryPanel

        self.progress = StudyProgress()
        self._layout.insertWidget(1, self.progress)  # under the top bar
        self.summary = SummaryPanel()
        self.summary.hide()
        self._layout.addWidget(self.summary, 1)
        self.session = session
        return None

    def _run(self, job: Callable[[], object], then: Callable[[object], str | None] | None = None) -> None:
        """Run `job` (which touches the database) off the UI thread, then `then(result)` and show
        the new state (and the message `then` returns, if any). One step at a time: keys are
        ignored while `busy`."""
        self.busy = True
        self._wait.stop()

        def done(result: object) -> None:
            self.busy = False
            note = then(result) if then is not None else None
            self.render()
            if note:
                self.message.setText(note)
            self.ready.emit()

        def failed(exc: BaseException) -> None:  # a locked or broken database: say so, stay usable
            self.busy = False
            self.render()
            self.message.setText(f"Could not {'save the answer' if self.session else 'load the reviews'}: {exc}")
            self.ready.emit()

        run_in_background(job, owner=self, on_done=done, on_error=failed)

    @staticmethod
    def _text_label(name: str) -> QLabel:
        label = QLabel("")
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    # -- rendering -------------------------------------------------------------------------
    def render(self) -> None:
        s = self.session
        if s is None or self.progress is None or self.summary is None:  # the queue is still being built
            self.card.hide()
            self.reveal_button.hide()
            self.undo_button.setEnabled(False)
            self.message.setText("Preparing today's reviews…")
            return
        c = s.counts
        col = COLOURS[scheme_of()]  # the theme's colours, and the words say the same
        self.counts.setText(
            f"<span style='color:{col['accent']}'>{c.new} new</span> · "
            f"<span style='color:{col['bad']}'>{c.learning} learning</span> · "
            f"<span style='color:{col['good']}'>{c.review} review</span>"
        )
        self.undo_button.setEnabled(s.can_undo)
        self._wait.stop()
        left = c.total
        self.progress.show_progress(s.reviewed, s.reviewed + left, f"{s.reviewed} reviewed · {left} to go")
        prompt = s.current
        self.summary.setVisible(prompt is None and s.done_for_today)
        if prompt is None:
            self.card.hide()
            self.reveal_button.hide()
            self._set_buttons([])
            if s.done_for_today:
                self.message.setText("")  # the summary's headline says it, with the count
                from app.study.session_summary import spaced_summary  # imported by the worker already

                self.summary.show_summary(spaced_summary(self.ratings, self._scale))
            else:
                due = s.next_due
                self.message.setText(
                    f"Done for now. A learning card comes back at {due.astimezone().strftime('%H:%M')}."
                )
                wait_ms = int((due - self._now()).total_seconds() * 1000) + 500
                self._wait.start(max(1000, min(_WAIT_POLL_MS, wait_ms)))
            return
        self.card.show()
        self._scale = prompt.scale
        self.message.setText("")
        self.deck_label.setText(f"{prompt.deck} · {prompt.kind}")
        self.front.setText(prompt.front)
        self.back.setText(prompt.back)
        self.back.setVisible(s.revealed)
        self.rule.setVisible(s.revealed)
        self.reveal_button.setVisible(not s.revealed)
        self._set_buttons(prompt.choices if s.revealed else [])

    def _set_buttons(self, choices) -> None:
        for b in self.rating_buttons:
            self.buttons_row.removeWidget(b)
            b.deleteLater()
        self.rating_buttons = []
        for choice in choices:
            b = flat_button(f"{choice.label}\n{choice.interval}", tip=f"key {choice.key}")
            b.setObjectName(f"rate{choice.rating}")
            b.setProperty("key", choice.key)
            b.clicked.connect(lambda _=False, k=choice.key: self.answer(k))
            self.buttons_row.addWidget(b)
            self.rating_buttons.append(b)

    # -- actions ---------------------------------------------------------------------------
    def reveal(self) -> None:
        if self.session is None or self.busy:
            return
        self.session.reveal()
        motion.flip(self.card, self.render)

    def answer(self, key: int) -> None:
        s = self.session
        if s is None or self.busy or s.current is None or not s.revealed:
            return
        prompt, before = s.current, s.reviewed

        def answered(_result: object) -> str | None:
            if s.reviewed > before:
                self.ratings.append((prompt.front, key))
            return None

        self._run(lambda: s.answer(key), answered)

    def undo(self) -> None:
        s = self.session
        if s is None or self.busy:
            return
        if not s.can_undo:
            self.message.setText("Nothing to undo here.")
            return

        def undone(ok: object) -> str | None:
            if not ok:
                return "Nothing to undo here."
            if self.ratings:
                self.ratings.pop()
            return None

        self._run(s.undo, undone)

    def _recheck(self) -> None:
        s = self.session
        if s is not None and not self.busy:
            self._run(s.refresh)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        s = self.session
        if s is None or self.busy:
            if key == Qt.Key.Key_Escape:
                super().keyPressEvent(event)
            return
        if event.matches(QKeySequence.StandardKey.Undo):  # Ctrl+Z (Cmd+Z on macOS)
            self.undo()
            return
        if key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter) and s.current is not None:
            if not s.revealed:
                self.reveal()
            else:  # Space on a revealed card means "Good", as in Anki
                self.answer(4 if s.current.scale == "5" else 3)
            return
        if key in _NUMBER_KEYS and s.current is not None and s.revealed:
            n = _NUMBER_KEYS[key]
            if any(c.key == n for c in s.current.choices):
                self.answer(n)
            return
        super().keyPressEvent(event)
