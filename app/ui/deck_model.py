"""A deck page's data: its cards as plain rows, loaded in one query, and the table model over
them (a 10,000-card deck scrolls without touching the database)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.store.db import Store
from app.store.models import Deck
from app.study.cards import load_study_cards
from app.study.mastery import level_for_tallies

HEADERS = ("", "Front", "Back", "Tags", "Mastery")
LEVEL_MARK = {"new": "○ new", "learning": "◔ learning", "familiar": "◑ familiar", "mastered": "● mastered"}


@dataclass
class CardRow:
    id: int
    front: str
    back: str
    tags: str
    starred: bool
    level: str


@dataclass(frozen=True)
class DeckData:
    name: str
    best_match_ms: int | None
    rows: list[CardRow]


def load_deck(store: Store, deck_id: int) -> DeckData:
    """The deck's cards as plain rows, in one query (runs off the UI thread)."""
    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        rows = [
            CardRow(c.id, c.front, c.back, c.tags, c.starred, level_for_tallies(c.reps, c.streak))
            for c in load_study_cards(session, deck_id)
        ]
        return DeckData(deck.name, deck.best_match_ms, rows)


class CardTableModel(QAbstractTableModel):
    """Plain rows, so a 10,000-card deck scrolls without touching the database."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CardRow] = []

    def set_rows(self, rows: list[CardRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return "★" if row.starred else ""
            text = (row.front, row.back, row.tags, LEVEL_MARK[row.level])[col - 1]
            return text.replace("\n", " ⏎ ") if col < 3 else text
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 2):
            return row.front if col == 1 else row.back
        return None

    def row_of(self, card_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == card_id), -1)

    def refresh_row(self, i: int) -> None:
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(HEADERS) - 1))


