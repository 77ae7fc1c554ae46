"""The library's deck rows and their list model, without SQLAlchemy: the first paint
(`library_preview`) and the full library (`library_model`) build and show the rows with the same
code, from the one `DeckFigures` type both figure readers return."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.config import load_settings
from app.store.folders import SEP, all_folders, depth, inside, leaf
from app.study.deck_stats_sql import DeckFigures
from app.ui.library_widgets import FOLDER_ROLE, ROW_ROLE  # the delegate's roles, defined where read

NO_FOLDER = "No folder"
DECK_MIME = "application/x-recall-deck-ids"  # a deck row dragged within the list
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

    is_folder = False

    id = _figure("id")
    name = _figure("name")
    cards = _figure("cards")
    due = _figure("due")
    new = _figure("new")
    mastery = _figure("mastery")
    folder = _figure("folder")

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


class FolderRow(NamedTuple):
    """A folder's header in the deck list: its decks (and those of the folders inside it) shown."""

    path: str  # "" heads the decks in no folder
    decks: int
    due: int
    collapsed: bool

    is_folder = True

    @property
    def label(self) -> str:
        return leaf(self.path) if self.path else NO_FOLDER

    @property
    def depth(self) -> int:
        return depth(self.path) if self.path else 0

    def detail(self, now: datetime | None = None) -> str:
        return f"{self.decks} deck{'s' if self.decks != 1 else ''} · {self.due} to study"

    def spoken(self) -> str:
        where = f"Folder {self.path.replace(SEP, ' / ')}" if self.path else NO_FOLDER
        return f"{where}: {self.detail()}, {'collapsed' if self.collapsed else 'expanded'}"


def collapsed_folders() -> set[str]:
    """The folders the user closed, kept in the settings file like the stars."""
    value = load_settings().get("collapsed_folders", [])
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


class DeckListModel(QAbstractListModel):
    """Deck rows, sorted and filtered by name (or folder); once a deck is in a folder, grouped
    under folder headers that collapse, and a deck dragged onto a header is `deck_dropped`."""

    deck_dropped = Signal(int, str)  # deck id, folder path ("" none)

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[DeckRow] = []
        self.rows: list[DeckRow] = []  # the decks shown, in order (not the headers)
        self.items: list[DeckRow | FolderRow] = []  # what the list shows: headers and decks
        self.sort_key = "name"
        self.query = ""
        self.folder_filter: str | None = None  # None every deck; "" those in no folder
        self.collapsed = collapsed_folders()
        self.grouped = False
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

    def set_folder_filter(self, folder: str | None) -> None:
        self.folder_filter = folder
        self._apply()

    def set_collapsed(self, path: str, collapsed: bool) -> None:
        (self.collapsed.add if collapsed else self.collapsed.discard)(path)
        self._apply()

    def folders(self) -> list[str]:
        """Every folder with a deck in it (or in a folder inside it)."""
        return all_folders(r.folder for r in self.all_rows)

    def _apply(self) -> None:
        self.beginResetModel()
        rows, q, f = self.all_rows, self.query, self.folder_filter
        if f is not None:
            rows = [r for r in rows if (inside(r.folder, f) if f else not r.folder)]
        if q:
            rows = [r for r in rows if q in r.name.casefold() or q in r.folder.casefold()]
        rows = sort_rows(rows, self.sort_key)
        self.grouped = any(r.folder for r in self.all_rows)
        self.items = self._grouped(rows) if self.grouped else list(rows)
        self.rows = [i for i in self.items if not i.is_folder]
        self.endResetModel()

    def _grouped(self, rows: list[DeckRow]) -> list[DeckRow | FolderRow]:
        """Folders in tree order, each header followed by its own decks; the decks in no folder
        last. A search opens every folder (what matches must be seen); an emptied one is gone."""
        shut = set() if self.query else self.collapsed
        items: list[DeckRow | FolderRow] = []
        for path in [*all_folders(r.folder for r in rows), ""]:
            if any(c != path and c and inside(path, c) for c in shut):
                continue  # inside a closed folder
            own = [r for r in rows if r.folder == path]
            within = own if not path else [r for r in rows if inside(r.folder, path)]
            if not within:
                continue
            items.append(FolderRow(path, len(within), sum(r.due for r in within), path in shut))
            if path not in shut:
                items.extend(own)
        return items

    def set_starred(self, deck_id: int, starred: bool) -> None:
        self.all_rows = [r._replace(starred=starred) if r.id == deck_id else r for r in self.all_rows]
        self._apply()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.items):
            return None
        row = self.items[index.row()]
        if role == ROW_ROLE:
            return row
        if isinstance(row, FolderRow):
            return self._folder_data(row, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            star = "starred, " if row.starred else ""
            return f"{row.name}: {star}{row.detail(self.now)}, {row.mastery:.0f} % mastered"
        return None

    @staticmethod
    def _folder_data(row: FolderRow, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return row.label
        if role == FOLDER_ROLE:
            return row.path
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return row.spoken()
        return None

    def row_of(self, deck_id: int) -> int:
        return next((i for i, r in enumerate(self.items) if not r.is_folder and r.id == deck_id), -1)

    def folder_row(self, path: str) -> int:
        return next((i for i, r in enumerate(self.items) if r.is_folder and r.path == path), -1)

    # dragging a deck onto a folder header -----------------------------------------------------
    def flags(self, index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or index.row() >= len(self.items):
            return base
        extra = Qt.ItemFlag.ItemIsDropEnabled if self.items[index.row()].is_folder else Qt.ItemFlag.ItemIsDragEnabled
        return base | extra

    def mimeTypes(self) -> list[str]:
        return [DECK_MIME]

    def mimeData(self, indexes) -> QMimeData:
        ids = [self.items[i.row()].id for i in indexes if i.isValid() and not self.items[i.row()].is_folder]
        data = QMimeData()
        data.setData(DECK_MIME, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def _target(self, row: int, parent) -> str | None:
        """The folder a drop lands in: on a header only."""
        at = parent.row() if parent.isValid() else -1
        item = self.items[at] if 0 <= at < len(self.items) else None
        return item.path if item is not None and item.is_folder else None

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(DECK_MIME) and self._target(row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        folder = self._target(row, parent)
        if folder is None or not data.hasFormat(DECK_MIME):
            return False
        ids = [int(x) for x in data.data(DECK_MIME).data().decode().split(",") if x.isdigit()]
        for deck_id in ids:
            self.deck_dropped.emit(deck_id, folder)
        return bool(ids)
