"""Search across decks and cards as you type, for the library: deck names filter at once, the
full-text card search runs on a worker (`CardSearch`: a million cards must not freeze typing)
and its cards come back in `SearchFlow._found`. `SearchFlow` is mixed into LibraryView."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from app.store.db import Store
from app.ui.library_model import CardHit, find_cards
from app.ui.workers import run_in_background


class CardSearch(QObject):
    """The card search on a worker (a million cards must not freeze typing): one at a time,
    and when it ends only the newest query typed is searched next. `found(query, ids, first
    page, error or None)` comes back on the UI thread for the query still wanted."""

    found = Signal(str, object, object, object)

    def __init__(self, store: Store, parent: QObject | None = None, on_found=None) -> None:
        super().__init__(parent)
        self.store = store
        self.wanted = ""
        self.running = False
        if on_found is not None:
            self.found.connect(on_found)

    def search(self, query: str) -> None:
        """An empty query finds nothing at once (no worker)."""
        self.wanted = query
        if not query:
            self.found.emit("", [], [], None)
        elif not self.running:
            self._start(query)

    def _start(self, query: str) -> None:
        self.running = True
        run_in_background(find_cards, self.store, query, owner=self,
                          on_done=lambda got: self._done(query, got, None),
                          on_error=lambda exc: self._done(query, ([], []), exc))  # fmt: skip

    def _done(self, query: str, got: tuple[list[int], list[CardHit]], exc: BaseException | None) -> None:
        self.running = False
        if query != self.wanted:
            if self.wanted:
                self._start(self.wanted)
            return
        self.found.emit(query, got[0], got[1], exc)


class SearchFlow:
    """The search box's side of LibraryView (which owns the widgets and the models used here)."""

    def apply_search(self) -> None:
        """Decks whose name matches, and the matching cards of every deck."""
        self._search_timer.stop()
        query = self.search.text().strip()
        keep, folder = self.selected_deck_id(), self.current_folder()
        self.model.set_query(query)
        self._reselect(keep, folder)  # the deck (or folder) kept, else the first deck
        for w in (self.hits_label, self.cards):
            w.setVisible(bool(query))
        self._update_buttons()
        self.finder.search(query)  # on a worker (none for ""); `_found` shows the cards

    def _found(self, query: str, ids: list[int], first: list, exc: object) -> None:
        self.hits.set_found(ids, first)
        n = f"{len(ids)}{'+' if len(ids) >= 1000 else ''}"
        found = f"Cards matching “{query}”: {n}" if query else ""
        self.hits_label.setText(f"Card search failed: {exc}" if exc else found)
        if self._focus_hits and ids and not self.model.rows:
            self.cards.setFocus()
            self.cards.setCurrentIndex(self.hits.index(0, 0))
        self._focus_hits = False
        self.searched.emit()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_enter(self) -> None:
        self._focus_hits = True  # with no deck matching, the cards get the focus once found
        self.apply_search()
        if self.model.rows:
            self._focus_hits = False
            self.decks.setFocus()
