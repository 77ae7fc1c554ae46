"""The library's file work: import (file, paste, drag and drop) with a preview, export, and
the sample decks. Parsing and writing run off the UI thread; nothing is saved before the user
accepts the preview.

`ImportFlow` is mixed into the library view: it uses the view's `store`, `status`,
`refresh`, `select_deck`, `selected_deck_id`, `deck_names` and `_failed`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from pathlib import Path

from app.config import load_settings, save_settings
from app.store.db import Store
from app.store.models import Deck
from app.ui import dialogs
from app.ui.workers import run_in_background


def formats_available() -> bool:
    return importlib.util.find_spec("app.formats") is not None


def samples_available() -> bool:
    """Looked up on disk: find_spec of a submodule would import app.formats at start-up."""
    if getattr(sys, "frozen", False):  # a bundle keeps modules in an archive, not as files
        try:
            return importlib.util.find_spec("app.formats.samples") is not None
        except ImportError:
            return False
    spec = importlib.util.find_spec("app.formats")
    if spec is None or not spec.submodule_search_locations:
        return False
    return any((Path(loc) / "samples.py").exists() for loc in spec.submodule_search_locations)


def sample_names() -> list[str]:
    """The sample decks' names from their file names (no importer is loaded for this)."""
    try:
        from app.resources import sample_data_path

        folder = sample_data_path()
        files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except (ImportError, OSError):
        return []
    return [f.stem.replace("-", " ").capitalize() for f in files]


# work that runs off the UI thread ----------------------------------------------------------
def _parse_path(path: str):
    from app.formats import parse_file

    return parse_file(path)


def _parse_text(text: str, fmt: str):
    from app.formats import parse_text

    return parse_text(text, format=fmt)


def _import(store: Store, parsed, name: str, skip: bool):
    from app.formats.service import import_parsed

    with store.transaction() as session:
        return import_parsed(session, parsed, name, skip_duplicates=skip)


def _export(store: Store, deck_id: int, path: str, fmt: str) -> int:
    from app.formats.export import write_export
    from app.store.repo import card_records

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        records = card_records(session, deck)
        name, description = deck.name, deck.description
    write_export(path, fmt, name, records, description)
    return len(records)


def _load_samples(store: Store):
    from app.formats.samples import load_samples

    with store.transaction() as session:
        return load_samples(session)


def _message(exc: BaseException) -> str:
    return str(exc) or exc.__class__.__name__



class ImportFlow:
    """Import, export and sample decks for the library view (a mixin; see the module doc)."""

    preview = None  # the open ImportPreviewDialog, if any (tests drive it)
    paste_dialog = None

    # importing ----------------------------------------------------------------------------
    def import_files(self) -> None:
        paths = dialogs.open_files(self)
        if paths:
            self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        """Preview and import each file in turn (files dropped on the window come here too)."""
        if not formats_available():
            dialogs.error(self, "Import", "The importers are not installed.")
            return
        self._queue.extend(paths)
        if self.preview is None and len(self._queue) == len(paths):
            self._next_file()

    def _next_file(self) -> None:
        if not self._queue:
            return
        path = self._queue.pop(0)
        self.status.setText(f"Reading {Path(path).name}…")
        run_in_background(
            _parse_path,
            path,
            owner=self,
            on_done=self._show_preview,
            on_error=lambda e, p=path: self._parse_failed(p, e),
        )

    def _parse_failed(self, path: str, exc: BaseException) -> None:
        self._failed("Import", ValueError(f"{Path(path).name}: {_message(exc)}"))
        self._next_file()

    def paste_text(self) -> None:
        if not formats_available():
            return
        from app.formats import FORMAT_LABELS
        from app.ui.import_dialog import PasteDialog

        self.paste_dialog = PasteDialog(FORMAT_LABELS, self)
        self.paste_dialog.accepted.connect(self._paste_accepted)
        self.paste_dialog.open()

    def _paste_accepted(self) -> None:
        dialog, self.paste_dialog = self.paste_dialog, None
        text, fmt = dialog.text.toPlainText(), dialog.chosen_format
        parsed = getattr(dialog, "parsed", None)  # the dialog parsed it already (with progress)
        dialog.deleteLater()
        if parsed is not None:
            self._show_preview(parsed)
            return
        if not text.strip():
            return
        run_in_background(
            _parse_text,
            text,
            fmt,
            owner=self,
            on_done=self._show_preview,
            on_error=lambda e: self._failed("Paste", e),
        )

    def _show_preview(self, parsed) -> None:
        from app.ui.import_dialog import ImportPreviewDialog

        self.status.setText("")
        if not parsed.cards:
            dialogs.error(self, "Import", "No cards were found in it.")
            self._next_file()
            return
        name = (parsed.name or "").strip()[:200] or "Imported deck"
        self.preview = ImportPreviewDialog(parsed, name, set(self.deck_names), self)
        self.preview.finished.connect(self._preview_finished)
        self.preview.open()

    def _preview_finished(self, result: int) -> None:
        dialog, self.preview = self.preview, None
        if dialog is None:
            return
        dialog.deleteLater()
        if result == 1:
            name, skip = dialog.deck_name, dialog.skip_duplicates
            self.status.setText(f"Importing {len(dialog.parsed.cards)} cards…")
            run_in_background(
                _import,
                self.store,
                dialog.parsed,
                name,
                skip,
                owner=self,
                on_done=self._imported,
                on_error=lambda e: self._failed("Import", e),
            )
        else:
            self._next_file()

    def _imported(self, result) -> None:
        self.refresh()
        self.select_deck(result.deck_id)
        skipped = f", {result.skipped} duplicates left out" if result.skipped else ""
        self.status.setText(f"Imported {result.added} cards into “{result.deck_name}”{skipped}.")
        self._next_file()

    # exporting ----------------------------------------------------------------------------
    def export_deck(self) -> None:
        deck_id = self.selected_deck_id()
        if deck_id is None or not formats_available():
            return
        from app.formats.export import format_for_path

        name = self._selected_name()
        path = dialogs.save_file(self, "Export deck", f"{name}.csv")
        if not path:
            return
        fmt = format_for_path(path)
        if fmt is None:
            dialogs.error(self, "Export", "Choose a file ending in .csv, .tsv, .json or .apkg.")
            return
        self.status.setText(f"Exporting “{name}”…")
        run_in_background(
            _export,
            self.store,
            deck_id,
            path,
            fmt,
            owner=self,
            on_done=lambda n: self.status.setText(f"Exported {n} cards to {path}."),
            on_error=lambda e: self._failed("Export", e),
        )

    # first launch -------------------------------------------------------------------------
    def offer_samples(self) -> None:
        """With an empty library, offer the sample decks once."""
        if self._summaries or not samples_available():
            return
        settings = load_settings()
        if settings.get("samples_offered"):
            return
        settings["samples_offered"] = True
        with contextlib.suppress(OSError):
            save_settings(settings)
        if dialogs.confirm(
            self, "Welcome to Recall", "Your library is empty. Load a few sample decks to try Recall out?"
        ):
            self.load_samples()

    def load_samples(self) -> None:
        if not samples_available():
            return
        self.status.setText("Loading the sample decks…")
        run_in_background(
            _load_samples,
            self.store,
            owner=self,
            on_done=lambda _r: self._after("Loaded the sample decks."),
            on_error=lambda e: self._failed("Sample decks", e),
        )
