"""The end-of-session panel every study mode shows: a headline, a few figures, what was
learned, what to review next, and the mode's own buttons (next round, play again...).

The two lists take the focus by Tab (never by a click, so the page's own keys keep working for
the mouse user) and then scroll with the arrows, Page Up / Page Down, Home and End."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.study.session_summary import SessionSummary
from app.ui import motion

_SCROLL_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home,
                Qt.Key.Key_End)  # fmt: skip


class SummaryList(QListWidget):
    """A list that keeps only the scrolling keys: the rest (Enter, R, Esc...) go on to the page,
    so its own keys still work while the list has the focus."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _SCROLL_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
        else:
            event.ignore()


class SummaryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionSummary")
        v = QVBoxLayout(self)
        v.addStretch(1)
        self.headline = QLabel("")
        self.headline.setObjectName("pageTitle")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        v.addWidget(self.headline)
        self.figures_row = QHBoxLayout()
        self.figures_row.addStretch(1)
        self.figures_row.addStretch(1)  # the figures go between the two: centred
        v.addLayout(self.figures_row)
        self._figure_widgets: list[QWidget] = []
        lists = QGridLayout()
        self.learned_title = QLabel("✓ What you know")
        self.learned_title.setObjectName("sectionTitle")
        self.review_title = QLabel("↻ Review next")
        self.review_title.setObjectName("sectionTitle")
        self.learned = SummaryList()
        self.review = SummaryList()
        for w, name in ((self.learned, "What you know"), (self.review, "Review next")):
            w.setObjectName("summaryList")
            w.setAccessibleName(name)
            w.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            w.setMaximumHeight(220)
        lists.addWidget(self.learned_title, 0, 0)
        lists.addWidget(self.review_title, 0, 1)
        lists.addWidget(self.learned, 1, 0)
        lists.addWidget(self.review, 1, 1)
        v.addLayout(lists)
        self.next_step = QLabel("")
        self.next_step.setObjectName("muted")
        self.next_step.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_step.setWordWrap(True)
        v.addWidget(self.next_step)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        v.addLayout(self.buttons)
        v.addStretch(2)
        self.summary: SessionSummary | None = None

    def add_button(self, button: QPushButton) -> QPushButton:
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def show_summary(self, summary: SessionSummary) -> None:
        self.summary = summary
        self.headline.setText(summary.headline)
        for w in self._figure_widgets:
            self.figures_row.removeWidget(w)
            w.deleteLater()
        self._figure_widgets = []
        for label, value in summary.figures:
            box = QFrame()
            box.setObjectName("panel")
            bv = QVBoxLayout(box)
            fig = QLabel(value)
            fig.setObjectName("statFigure")
            fig.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cap = QLabel(label)
            cap.setObjectName("muted")
            cap.setAlignment(Qt.AlignmentFlag.AlignCenter)
            bv.addWidget(fig)
            bv.addWidget(cap)
            box.setAccessibleName(f"{label}: {value}")
            self.figures_row.insertWidget(self.figures_row.count() - 1, box)
            self._figure_widgets.append(box)
        for lw, items, empty in (
            (self.learned, summary.learned, "Nothing yet: keep going."),
            (self.review, summary.review, "Nothing to review: well done."),
        ):
            lw.clear()
            lw.addItems(items or [empty])
            count = f"{len(items)} card{'s' if len(items) != 1 else ''}" if items else "none"
            lw.setAccessibleDescription(f"{count}; Tab here, then arrows, Page Up and Page Down scroll the list")
            lw.setToolTip("Tab to the list, then scroll it with the arrows, Page Up / Page Down, Home and End")
        self.next_step.setText(summary.next_step)
        motion.fade_in(self)
