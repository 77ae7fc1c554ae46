"""Pieces every study page shares: the page base class, a top bar, and Qt-free helpers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QWidget

from app.store.db import Store


class StudyPage(QWidget):
    """A page shown in the main window's stack; Esc (or the back button) emits `closed`.

    Buttons on study pages take no keyboard focus, so Space, digits and arrows always reach
    the page's own key handling instead of "clicking" whichever button had focus.
    """

    closed = Signal()
    title = "Study"

    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.deck_id = deck_id
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.title)  # the page takes the focus: a screen reader names the screen
        self._closing = False

    def leave(self) -> None:
        """Save what is pending and tell the window to go back."""
        if self._closing:
            return
        self._closing = True
        self.finish()
        self.closed.emit()

    def finish(self) -> None:
        """Hook: flush anything not yet saved (called on leave and on window close)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leave()
            return
        super().keyPressEvent(event)


def top_bar(page: StudyPage, title: str) -> tuple[QHBoxLayout, QLabel]:
    """← Back, the page title, and room on the right for counters."""
    row = QHBoxLayout()
    back = flat_button("← Back (Esc)", page.leave)
    row.addWidget(back)
    label = QLabel(title)
    label.setObjectName("pageTitle")
    row.addWidget(label, 1)
    return row, label


def flat_button(text: str, slot=None, *, name: str | None = None, tip: str | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if name:
        b.setObjectName(name)
    if tip:
        b.setToolTip(tip)
    if slot is not None:
        b.clicked.connect(slot)
    return b


def dialog_buttons(dialog: QDialog, layout: QBoxLayout, *, save: bool = False, wire: bool = True) -> QDialogButtonBox:
    """OK (or Save) and Cancel at the foot of a dialog; `wire`: they accept and reject it (a dialog
    that works its buttons itself, as the paste dialog does, passes False)."""
    ok = QDialogButtonBox.StandardButton.Save if save else QDialogButtonBox.StandardButton.Ok
    buttons = QDialogButtonBox(ok | QDialogButtonBox.StandardButton.Cancel)
    if wire:
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return buttons


def set_state(widget: QWidget, state: str) -> None:
    """Change a dynamic property the stylesheet keys on, and make Qt restyle the widget."""
    widget.setProperty("state", state)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def format_ms(ms: int | None) -> str:
    if ms is None:
        return "—"
    return f"{ms / 1000:.1f} s"


def deck_name(store: Store, deck_id: int) -> str:
    from app.store.models import Deck

    with store.session() as s:
        deck = s.get(Deck, deck_id)
        return deck.name if deck else "?"
