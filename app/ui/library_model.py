"""The library's data: deck rows (counts, mastery, last studied, star), the Today figures,
and the card search across every deck, as Qt item models over plain rows.

Loading is one handful of aggregate queries (no card is loaded to list decks), and card
search results are fetched in pages as the list scrolls, so a library of 100,000 cards lists
and searches as fast as a small one.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timezone

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from sqlalchemy import select

from app.config import load_settings, save_settings
from app.scheduling.queue import deck_counts
from app.scheduling.today import Today, last_studied, today_overview
from app.store.db import Store
from app.store.models import Card, Deck
from app.study.deck_stats import deck_summaries
from app.ui.library_rows import SORTS, DeckListModel, DeckRow, deck_rows, sort_rows, starred_decks
from app.ui.library_widgets import ROW_ROLE  # the delegate's role, defined where it is read

__all__ = ["SORTS", "DeckListModel", "DeckRow", "sort_rows", "starred_decks"]  # kept here for callers

SEARCH_LIMIT = 1000  # card ids asked of the full-text index per search
PAGE = 100  # card rows loaded per fetchMore


@dataclass(frozen=True)
class LibraryData:
    decks: list[DeckRow]
    today: Today


@dataclass(frozen=True)
class CardHit:
    id: int
    deck_id: int
    deck: str
    front: str
    back: str
    starred: bool


def set_deck_star(deck_id: int, starred: bool) -> None:
    settings = load_settings()
    stars = starred_decks()
    (stars.add if starred else stars.discard)(deck_id)
    settings["starred_decks"] = sorted(stars)
    with contextlib.suppress(OSError):  # a read-only settings folder only loses the star
        save_settings(settings)


def load_library(store: Store, now: datetime | None = None) -> LibraryData:
    now = now or datetime.now(timezone.utc)
    stars = starred_decks()
    with store.session() as session:
        counts = deck_counts(session, now)  # once, for the rows and the Today strip
        summaries = deck_summaries(session, now, counts)
        last = last_studied(session)
        today = today_overview(session, now, day_counts=counts)
    return LibraryData(deck_rows(summaries, last, stars), today)


def search_card_ids(store: Store, query: str) -> list[int]:
    """Ids of the cards matching every word of `query`, best first (full-text index)."""
    from app.store.fulltext import matching_card_ids

    with store.session() as session:
        return matching_card_ids(session, query, SEARCH_LIMIT)


def find_cards(store: Store, query: str) -> tuple[list[int], list[CardHit]]:
    """The matching ids and the first page of their text: one search, run on a worker."""
    ids = search_card_ids(store, query)
    return ids, load_hits(store, ids[:PAGE])


def load_hits(store: Store, ids: list[int]) -> list[CardHit]:
    if not ids:
        return []
    with store.session() as session:
        rows = session.execute(
            select(Card.id, Card.deck_id, Deck.name, Card.front, Card.back, Card.starred)
            .join(Deck, Deck.id == Card.deck_id)
            .where(Card.id.in_(ids))
        ).all()
    by_id = {r[0]: CardHit(*r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _one_line(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


class CardHitModel(QAbstractListModel):
    """Cards matching the search, in every deck. Only ids are held up front; the cards' text
    is loaded a page at a time (canFetchMore / fetchMore) as the view scrolls."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.ids: list[int] = []
        self.hits: list[CardHit] = []

    def set_ids(self, ids: list[int]) -> None:
        self.set_found(ids, load_hits(self.store, ids[:PAGE]))

    def set_found(self, ids: list[int], first_page: list[CardHit]) -> None:
        """Results read elsewhere (`find_cards` on a worker): only the model changes here."""
        self.beginResetModel()
        self.ids = ids
        self.hits = first_page
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.hits) < len(self.ids)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        start = len(self.hits)
        more = load_hits(self.store, self.ids[start : start + PAGE])
        if not more:
            self.ids = self.ids[:start]  # the rest were deleted meanwhile
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self.hits.extend(more)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            star = "★ " if hit.starred else ""
            return f"{star}{_one_line(hit.front, 70)}  —  {_one_line(hit.back)}\n{hit.deck}"
        if role == Qt.ItemDataRole.UserRole:
            return hit.deck_id
        if role == ROW_ROLE:
            return hit
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return f"{hit.front} — {hit.back} (in {hit.deck})"
        return None
