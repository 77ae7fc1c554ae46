"""The library's deck rows and their list model, without SQLAlchemy: the first paint
(`library_preview`) and the full library (`library_model`) build and show the rows with the same
code, from the one `DeckFigures` type both figure readers return."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.config import load_settings
from app.study.deck_stats_sql import DeckFigures
from app.ui.library_widgets import ROW_ROLE  # the delegate's role, defined where it is read

SORTS = {
    "name": "Name",
    "due": "Most due",
    "mastery": "Least mastered",
    "recent": "Recently studied",
}


def _figure(name: str) -> property:
    return property(lambda self: getattr(self.figures, name), doc=f"the deck's {name}")


class DeckRow(NamedTuple):
    """A deck's figures plus what only the library shows: when it was last studied, its star.
    `pending`: the first paint's row, before the store is open to say when it was last studied."""

    figures: DeckFigures
    last_studied: datetime | None = None
    starred: bool = False
    pending: bool = False

    id = _figure("id")
    name = _figure("name")
    cards = _figure("cards")
    due = _figure("due")
    new = _figure("new")
    mastery = _figure("mastery")

    def detail(self, now: datetime | None) -> str:
        n = f"{self.cards} card{'s' if self.cards != 1 else ''} · {self.due} to study"
        if self.pending or now is None:
            return n
        from app.scheduling.today import ago  # loaded with the full library (SQLAlchemy) anyway

        return f"{n} · last studied {ago(self.last_studied, now)}"


def starred_decks() -> set[int]:
    """Deck stars are a preference of this user, kept in the settings file."""
    value = load_settings().get("starred_decks", [])
    return {int(v) for v in value if isinstance(v, int)} if isinstance(value, list) else set()


def deck_rows(
    figures: Iterable[DeckFigures],
    last: Mapping[int, datetime] | None = None,
    stars: set[int] | None = None,
) -> list[DeckRow]:
    """The rows of the deck list; `last` None: not read yet (the first paint)."""
    stars = starred_decks() if stars is None else stars
    if last is None:
        return [DeckRow(f, None, f.id in stars, True) for f in figures]
    return [DeckRow(f, last.get(f.id), f.id in stars) for f in figures]


def sort_rows(rows: list[DeckRow], key: str) -> list[DeckRow]:
    """Starred decks first, then by the chosen order."""
    orders = {
        "name": lambda r: r.name.casefold(),
        "due": lambda r: (-r.due, r.name.casefold()),
        "mastery": lambda r: (r.mastery, r.name.casefold()),
        "recent": lambda r: (-(r.last_studied.timestamp() if r.last_studied else 0), r.name.casefold()),
    }
    order = orders.get(key, orders["name"])
    return sorted(rows, key=lambda r: (not r.starred, order(r)))


class DeckListModel(QAbstractListModel):
    """Deck rows, sorted and filtered by name; the delegate draws each one."""

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[DeckRow] = []
        self.rows: list[DeckRow] = []
        self.sort_key = "name"
        self.query = ""
        self.now = datetime.now(timezone.utc)

    def set_rows(self, rows: list[DeckRow]) -> None:
        self.all_rows = rows
        self.now = datetime.now(timezone.utc)
        self._apply()

    def set_sort(self, key: str) -> None:
        self.sort_key = key
        self._apply()

    def set_query(self, query: str) -> None:
        self.query = query.strip().casefold()
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        rows = [r for r in self.all_rows if self.query in r.name.casefold()] if self.query else self.all_rows
        self.rows = sort_rows(rows, self.sort_key)
        self.endResetModel()

    def set_starred(self, deck_id: int, starred: bool) -> None:
        self.all_rows = [r._replace(starred=starred) if r.id == deck_id else r for r in self.all_rows]
        self._apply()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            star = "starred, " if row.starred else ""
            return f"{row.name}: {star}{row.detail(self.now)}, {row.mastery:.0f} % mastered"
        return None

    def row_of(self, deck_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == deck_id), -1)
