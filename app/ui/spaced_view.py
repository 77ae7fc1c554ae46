"""Spaced review screen: question, Space/Enter reveals, rate on 1-4 (or 1-5 confidence).

All logic lives in `app.scheduling.session.SpacedSession`; this widget only shows its state
and forwards keys. Each rating button prints the interval it gives (as Anki does); Ctrl+Z
takes back the last answer; Esc (or Back) emits `closed`. When nothing more is due today the
screen shows a summary of what was remembered and what was forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone, tzinfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.scheduling.session import SpacedSession
from app.study.session_summary import spaced_summary
from app.ui import motion
from app.ui.card_surface import StudyProgress
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.session_summary import SummaryPanel
from app.ui.theme import COLOURS, scheme_of

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


class SpacedView(StudyPage):
    title = "Spaced review"

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
        self.session = SpacedSession(store, deck_id, now=now, tz=tz)
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
        self.progress = StudyProgress()
        layout.addWidget(self.progress)

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
        self.summary = SummaryPanel()
        self.summary.hide()
        layout.addWidget(self.summary, 1)

        self._wait = QTimer(self)
        self._wait.setSingleShot(True)
        self._wait.timeout.connect(self._recheck)
        self.render()

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
                done = f"You reviewed {s.reviewed} cards." if s.reviewed else "Nothing is due."
                self.message.setText(f"Done for today! {done} Come back tomorrow.")
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
        self.session.reveal()
        motion.flip(self.card, self.render)

    def answer(self, key: int) -> None:
        if self.session.current is None or not self.session.revealed:
            return
        prompt, before = self.session.current, self.session.reviewed
        try:
            self.session.answer(key)
            if self.session.reviewed > before:
                self.ratings.append((prompt.front, key))
        except Exception as exc:  # a locked or broken database: say so, keep the screen usable
            self.message.setText(f"Could not save the answer: {exc}")
            return
        self.render()

    def undo(self) -> None:
        if not self.session.undo():
            self.message.setText("Nothing to undo here.")
            return
        if self.ratings:
            self.ratings.pop()
        self.render()

    def _recheck(self) -> None:
        self.session.refresh()
        self.render()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        s = self.session
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
