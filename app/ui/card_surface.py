"""The pieces every study screen shares, so Flashcards, Learn, Test, Matching and Spaced look
alike: the card surface (large type, its side, a star), the progress bar, and the feedback
line, which says right / almost / wrong by an icon and a word as well as by colour."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from app.study.answer_terms import MATCHED, MISSING, TermMarks
from app.study.media import display_html, has_images
from app.ui import motion
from app.ui.common import set_state
from app.ui.theme import COLOURS, scheme_of

RIGHT, WRONG, PARTIAL, INFO = "right", "wrong", "partial", "info"
# Icon, word and stylesheet name per feedback kind: never colour alone.
FEEDBACK = {
    RIGHT: ("✓", "feedbackRight"),
    PARTIAL: ("≈", "feedbackPartial"),
    WRONG: ("✗", "feedbackWrong"),
    INFO: ("ℹ", "muted"),
}


def set_rich_or_plain(label: QLabel, text: str) -> None:
    """Card text is plain unless it holds pasted pictures."""
    if has_images(text):
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText(display_html(text))
    else:
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setText(text)
    label.setAccessibleName(text)


class CardSurface(QFrame):
    """The card: a small side caption, the text in large type, a star mark. Click to flip."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, min_height: int = 240) -> None:
        super().__init__(parent)
        self.setObjectName("cardFace")
        self.setMinimumHeight(min_height)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        top = QHBoxLayout()
        self.side = QLabel("")
        self.side.setObjectName("cardSide")
        top.addWidget(self.side, 1)
        self.star = QLabel("")
        self.star.setObjectName("cardSide")
        top.addWidget(self.star)
        layout.addLayout(top)
        self.text = QLabel("")
        self.text.setObjectName("cardText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.text, 1)
        self.extra = QLabel("")  # a second line: the true/false statement, the revealed answer
        self.extra.setObjectName("prompt")
        self.extra.setWordWrap(True)
        self.extra.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.extra.hide()
        layout.addWidget(self.extra)

    def show_card(self, side: str, text: str, *, star: str = "", extra: str = "") -> None:
        self.side.setText(side)
        set_rich_or_plain(self.text, text)
        self.star.setText(star)
        set_rich_or_plain(self.extra, extra)
        self.extra.setVisible(bool(extra))

    def flip_to(self, side: str, text: str, *, star: str = "") -> None:
        """The same as show_card, through a flip animation unless motion is reduced."""
        motion.flip(self, lambda: self.show_card(side, text, star=star))

    def set_state(self, state: str) -> None:
        set_state(self, state if state in (RIGHT, WRONG, PARTIAL) else "")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)


class StudyProgress(QProgressBar):
    """One progress bar style for every mode: done of total, with the figure written on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("studyProgress")
        self.setTextVisible(True)
        self.setRange(0, 1)

    def show_progress(self, done: int, total: int, text: str = "") -> None:
        self.setRange(0, max(1, total))
        self.setValue(min(done, max(1, total)))
        label = text or f"{done} / {total}"
        self.setFormat(label)
        self.setAccessibleName(f"Progress: {label}")


class FeedbackLine(QWidget):
    """✓ / ≈ / ✗ with a word and a sentence; `text()` is the whole line as plain text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.icon = QLabel("")
        self.icon.setObjectName("feedbackIcon")
        row.addWidget(self.icon)
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.label, 1)
        self.kind = ""

    def show_feedback(self, kind: str, message: str) -> None:
        icon, name = FEEDBACK[kind]
        self.kind = kind
        self.icon.setText(icon)
        self.label.setText(message)
        for w in (self.icon, self.label):
            w.setObjectName(name)
            w.style().unpolish(w)
            w.style().polish(w)
        self.setAccessibleName(message)

    def clear(self) -> None:
        self.kind = ""
        self.icon.setText("")
        self.label.setText("")

    def text(self) -> str:
        return self.label.text()


def terms_html(marks: TermMarks) -> str:
    """The right answer with the terms the answer said marked ✓ (underlined) and those it left
    out marked ✗ (on the warning colour), then the same as a sentence: sign, style and words."""
    c = COLOURS[scheme_of()]
    parts: list[str] = []
    for text, mark in marks.segments:
        t = html.escape(text)
        if mark == MATCHED:
            parts.append(f"<span style='color:{c['good']}; font-weight:600; text-decoration:underline'>✓{t}</span>")
        elif mark == MISSING:
            parts.append(f"<span style='color:{c['bad']}; background:{c['bad_bg']}; font-weight:600'>✗{t}</span>")
        else:
            parts.append(t)
    said = marks.describe()
    tail = f"<br><span style='color:{c['muted']}'>{html.escape(said)}</span>" if said else ""
    return "".join(parts) + tail
