"""The library's first paint, before SQLAlchemy is imported (issue 15).

Importing SQLAlchemy and mapping the ORM costs far more at start than the library's figures do,
so on a current SQLite file the window first reads the deck rows through the DB-API
(`deck_stats_sql.deck_figures`, the figures and rules of `recall decks`) and paints them here,
read-only, while the store opens on a worker; `MainWindow.attach_store` then puts the real
library in its place. Anything else (PostgreSQL, a new file, one needing a migration, a read
error) gives None and the window waits for the store as before.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from app.ui.library_rows import DeckListModel, DeckRow, deck_rows, sort_rows
from app.ui.library_widgets import DeckDelegate, TodayStrip

PENDING = "…"  # a Today figure not read yet (they need the store)


def read_preview(url: str) -> list[DeckRow] | None:
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
    return sort_rows(deck_rows(figures), "name")  # last studied pending: read with the store


class LibraryPreview(QWidget):
    """The Today strip (figures pending) and the deck rows, drawn as the library draws them."""

    def __init__(self, rows: list[DeckRow], parent: QWidget | None = None) -> None:
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
        self.model = DeckListModel()  # the library's own model and delegate, read-only here
        self.model.set_rows(rows)
        self.decks = QListView()
        self.decks.setObjectName("deckList")
        self.decks.setAccessibleName("Decks")
        self.decks.setModel(self.model)
        self.decks.setItemDelegate(DeckDelegate(self.decks))
        self.decks.setUniformItemSizes(not self.model.grouped)  # folder headers are lower than decks
        self.decks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.decks, 1)
        self.status = QLabel("Opening your library…")
        self.status.setObjectName("muted")
        layout.addWidget(self.status)
