"""Saving parsed decks and reading decks out for export: the one path the CLI and the UI share.

The caller owns the transaction (`with store.transaction() as session:`), so importing several
files is all-or-nothing: any error before the block ends rolls every file back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.formats.base import ParsedDeck
from app.store.models import Card
from app.store.repo import add_cards, card_key, get_or_create_deck


@dataclass(frozen=True)
class ImportResult:
    deck_id: int
    deck_name: str
    created: bool  # a new deck was made
    added: int  # cards written
    skipped: int  # duplicates left out (only with skip_duplicates)
    duplicates: int  # cards that were already in the deck (or twice in the import)
    format: str = ""

    def as_json(self) -> dict:
        return {
            "deck": self.deck_name,
            "deck_id": self.deck_id,
            "created": self.created,
            "added": self.added,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "format": self.format,
        }


def default_deck_name(parsed: ParsedDeck) -> str:
    return (parsed.name or "").strip()[:200] or "Imported deck"


def count_duplicates(session: Session, deck_id: int | None, parsed: ParsedDeck) -> int:
    """How many parsed cards match a card already in the deck, or an earlier one in `parsed`."""
    seen: set[tuple[str, str]] = set()
    if deck_id is not None:
        rows = session.execute(select(Card.front, Card.back).where(Card.deck_id == deck_id))
        seen = {card_key(f, b) for f, b in rows}
    dupes = 0
    for rec in parsed.cards:
        key = card_key(rec.front, rec.back)
        if key in seen:
            dupes += 1
        else:
            seen.add(key)
    return dupes


def import_parsed(
    session: Session,
    parsed: ParsedDeck,
    deck_name: str | None = None,
    *,
    skip_duplicates: bool = False,
) -> ImportResult:
    """Add `parsed`'s cards to the deck `deck_name` (default: the parsed name), creating it if needed.

    Importing into an existing deck appends. Cards equal to ones already there (same text up to
    case and spacing) are counted in `duplicates`; with `skip_duplicates` they are not written.
    Runs inside the caller's transaction and never commits.
    """
    name = (deck_name or "").strip()[:200] or default_deck_name(parsed)
    deck, created = get_or_create_deck(session, name)
    if created and parsed.description:
        deck.description = parsed.description
    duplicates = count_duplicates(session, None if created else deck.id, parsed)
    added, skipped = add_cards(session, deck, parsed.cards, skip_duplicates=skip_duplicates)
    return ImportResult(deck.id, deck.name, created, added, skipped, duplicates, parsed.format)
