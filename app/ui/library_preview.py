"""The library's first paint, before SQLAlchemy is imported (issue 15).

Importing SQLAlchemy and mapping the ORM costs far more at start than the library's figures do,
so on a current SQLite file the window first reads the deck rows through the DB-API
(`deck_stats_sql.deck_figures`, the figures and rules of `recall decks`) and paints them here,
read-only, while the store opens on a worker; `MainWindow.attach_store` then puts the real
library in its place. Anything else (PostgreSQL, a new file, one needing a migration, a read
error) gives None and the window waits for the store as before.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from app.config import load_settings
from app.ui.library_widgets import ROW_ROLE, DeckDelegate, TodayStrip

PENDING = "…"  # a Today figure not read yet (they need the store)


class PreviewRow(NamedTuple):
    """What the deck delegate draws, from `DeckFigures`; when it was last studied comes later."""

    id: int
    name: str
    cards: int
    due: int
    new: int
    mastery: float
    starred: bool

    def detail(self, now: datetime) -> str:  # the delegate's call; `now` is for "last studied"
        return f"{self.cards} card{'s' if self.cards != 1 else ''} · {self.due} to study"


def read_preview(url: str) -> list[PreviewRow] | None:
    """The deck rows, starred first then by name as the library sorts them; None to wait for the store."""
    import sqlite3

    from app.store.db import StoreError, sqlite_reader
    from app.study.deck_stats_sql import deck_figures

    try:
        con = sqlite_reader(url)
    except StoreError:  # the store's own open says it, with its message box
        return None
    if con is None:
        return None
    try:
        figures = deck_figures(con)
    except sqlite3.DatabaseError:
        return None
    finally:
        con.close()
    value = load_settings().get("starred_decks", [])  # as library_model.starred_decks reads it
    stars = {v for v in value if isinstance(v, int)} if isinstance(value, list) else set()
    rows = [PreviewRow(f.id, f.name, f.cards, f.due, f.new, f.mastery, f.id in stars) for f in figures]
    return sorted(rows, key=lambda r: (not r.starred, r.name.casefold()))


class _Rows(QAbstractListModel):
    def __init__(self, rows: list[PreviewRow]) -> None:
        super().__init__()
        self.rows = rows
        self.now = datetime.now()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.name}: {row.detail(self.now)}, {row.mastery:.0f} % mastered"
        return None


class LibraryPreview(QWidget):
    """The Today strip (figures pending) and the deck rows, drawn as the library draws them."""

    def __init__(self, rows: list[PreviewRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(12)
        self.today = TodayStrip()
        for label in self.today.values.values():
            label.setText(PENDING)
        self.today.button.setEnabled(False)
        layout.addWidget(self.today)
        title = QLabel("Your decks")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.model = _Rows(rows)
        self.decks = QListView()
        self.decks.setObjectName("deckList")
        self.decks.setAccessibleName("Decks")
        self.decks.setModel(self.model)
        self.decks.setItemDelegate(DeckDelegate(self.decks))
        self.decks.setUniformItemSizes(True)
        self.decks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.decks, 1)
        self.status = QLabel("Opening your library…")
        self.status.setObjectName("muted")
        layout.addWidget(self.status)
