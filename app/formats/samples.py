"""The sample decks shipped in `data/` (Recall JSON exports), which a first launch offers to load."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.formats.base import FormatError
from app.formats.service import ImportResult, import_parsed
from app.resources import sample_data_path


def sample_data_dir() -> Path:
    """The `data/` folder (a source checkout's, or a frozen bundle's: see app.resources)."""
    return sample_data_path()


def sample_deck_paths() -> list[Path]:
    """Every sample deck file, sorted by name (empty when the folder is missing)."""
    folder = sample_data_dir()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def load_samples(session: Session, *, skip_existing: bool = True) -> list[ImportResult]:
    """Import every sample deck in the caller's transaction.

    With `skip_existing` (the default) a deck whose name is already taken is left alone, so
    offering the samples twice never doubles them.
    """
    from sqlalchemy import select

    from app.formats import parse_file
    from app.store.models import Deck

    results = []
    for path in sample_deck_paths():
        try:
            parsed = parse_file(path, "json")
        except FormatError:
            continue  # a damaged sample must not stop the others or the first launch
        if skip_existing and session.scalar(select(Deck.id).where(Deck.name == parsed.name)) is not None:
            continue
        results.append(import_parsed(session, parsed))
    return results
