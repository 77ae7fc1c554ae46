"""Saving parsed decks and reading decks out for export: the one path the CLI and the UI share.

The caller owns the transaction (`with store.transaction() as session:`), so importing several
files is all-or-nothing: any error before the block ends rolls every file back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.formats.base import ParsedDeck
from app.formats.delimited import gc_paused, is_tidy_text
from app.store.folders import clean_folder
from app.store.models import Card, Deck
from app.store.repo import CardRecord, add_cards, card_key, get_or_create_deck, set_deck_folder


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


def anki_deck_place(session: Session, anki_name: str) -> tuple[str, str]:
    """Where an Anki deck "Parent::Child" goes: the deck "Child" in the folder "Parent" (nested for
    more levels). The full name stays where a deck already has it (an earlier import appends
    there) or where another folder's deck already took the short name."""
    parts = [p.strip() for p in anki_name.split("::") if p.strip()]
    if len(parts) < 2 or session.scalar(select(Deck.id).where(Deck.name == anki_name)) is not None:
        return anki_name, ""
    leaf, folder = parts[-1], clean_folder("/".join(parts[:-1]))
    taken = session.scalar(select(Deck.folder).where(Deck.name == leaf))
    return (leaf, folder) if taken is None or taken == folder else (anki_name, folder)


def count_duplicates(session: Session, deck_id: int | None, parsed: ParsedDeck) -> int:
    """How many parsed cards match a card already in the deck, or an earlier one in `parsed`."""
    seen: set[tuple[str, str]] = set()
    if deck_id is not None:
        rows = session.execute(select(Card.front, Card.back).where(Card.deck_id == deck_id))
        seen = {card_key(f, b) for f, b in rows}
    keys = _card_keys(parsed.cards)
    # A card is a duplicate when its key is already there or came earlier: every key but the
    # first of each new distinct one.
    fresh = set(keys) - seen
    return len(keys) - len(fresh)


def _card_keys(cards: list[CardRecord]) -> list[tuple[str, str]]:
    """`card_key` of every card; for already tidy text (most imports) without a call per card.

    On tidy text `" ".join(t.split())` is `t` itself, so the key is the casefolded text; casefold
    maps each character alone, so folding the NUL-joined texts at once equals folding each one.
    """
    fronts = [c.front for c in cards]
    backs = [c.back for c in cards]
    if not cards or not is_tidy_text(fronts + backs):
        return [card_key(c.front, c.back) for c in cards]
    folded_fronts = "\x00".join(fronts).casefold().split("\x00")
    folded_backs = "\x00".join(backs).casefold().split("\x00")
    if len(folded_fronts) != len(cards) or len(folded_backs) != len(cards):  # a text held a NUL
        return [card_key(c.front, c.back) for c in cards]
    return list(zip(folded_fronts, folded_backs, strict=True))


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
    with gc_paused():
        return _import_parsed(session, parsed, deck_name, skip_duplicates=skip_duplicates)


def _import_parsed(
    session: Session, parsed: ParsedDeck, deck_name: str | None, *, skip_duplicates: bool
) -> ImportResult:
    name = (deck_name or "").strip()[:200] or default_deck_name(parsed)
    folder = ""
    if parsed.format == "apkg" and "::" in name and name == default_deck_name(parsed):
        name, folder = anki_deck_place(session, name)  # Anki's "Parent::Child": deck Child in folder Parent
    deck, created = get_or_create_deck(session, name)
    if created and folder:
        set_deck_folder(session, deck, folder)
    if created and parsed.description:
        deck.description = parsed.description
    duplicates = count_duplicates(session, None if created else deck.id, parsed)
    before = session.scalar(select(func.coalesce(func.max(Card.position), -1)).where(Card.deck_id == deck.id))
    added, skipped = add_cards(session, deck, parsed.cards, skip_duplicates=skip_duplicates)
    reviews = parsed.extra.get("reviews")
    if reviews and added:
        replay_reviews(session, deck.id, before, parsed, reviews)
    return ImportResult(deck.id, deck.name, created, added, skipped, duplicates, parsed.format)


def replay_reviews(
    session: Session, deck_id: int, after_position: int, parsed: ParsedDeck, reviews: list
) -> int:
    """Give the new cards the FSRS state their Anki review history leads to.

    Each Anki answer (time, ease 1..4) is replayed through Recall's scheduler in order, so the
    card ends with the stability, difficulty and due date FSRS computes from the same history,
    and its review log holds the reviews. Returns the number of reviews replayed.
    """
    from app.scheduling.review import record_review

    new_cards = session.scalars(
        select(Card).where(Card.deck_id == deck_id, Card.position > after_position).order_by(Card.position)
    ).all()
    by_key: dict[tuple[str, str], list[Card]] = {}
    for card in new_cards:
        by_key.setdefault(card_key(card.front, card.back), []).append(card)
    replayed = 0
    for rec, history in zip(parsed.cards, reviews, strict=False):
        matches = by_key.get(card_key(rec.front, rec.back))
        if not history or not matches:
            continue
        card = matches.pop(0)
        for ms, ease in history:
            when = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
            record_review(session, card, mode="spaced", rating=int(ease), now=when)
            replayed += 1
    return replayed
