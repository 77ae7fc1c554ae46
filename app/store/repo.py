"""Deck and card operations the CLI, the UI and the study modes share.

Every function takes an open `Session`; the caller owns the transaction (one per user action).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.store.models import Card, Deck, utcnow


class DeckNotFound(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no deck named {name!r}")


@dataclass(frozen=True)
class CardRecord:
    """A card as importers produce it and exporters consume it: plain text, no ids."""

    front: str
    back: str
    tags: tuple[str, ...] = ()


def normalise_tags(tags: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for t in tags:
        t = re.sub(r"\s+", "_", t.strip())
        if t:
            seen.setdefault(t, None)
    return " ".join(seen)


def get_deck(session: Session, name: str) -> Deck:
    deck = session.scalar(select(Deck).where(Deck.name == name))
    if deck is None:
        raise DeckNotFound(name)
    return deck


def get_or_create_deck(session: Session, name: str) -> tuple[Deck, bool]:
    deck = session.scalar(select(Deck).where(Deck.name == name))
    if deck is not None:
        return deck, False
    deck = Deck(name=name)
    session.add(deck)
    session.flush()
    return deck, True


def unique_deck_name(session: Session, name: str) -> str:
    """`name`, or `name (2)`, `name (3)`... whichever is free."""
    existing = set(session.scalars(select(Deck.name).where(Deck.name.like(f"{name}%"))))
    if name not in existing:
        return name
    n = 2
    while f"{name} ({n})" in existing:
        n += 1
    return f"{name} ({n})"


def card_key(front: str, back: str) -> tuple[str, str]:
    """What makes two cards duplicates: the same text up to case and spacing."""
    return (" ".join(front.split()).casefold(), " ".join(back.split()).casefold())


def add_cards(
    session: Session, deck: Deck, records: Sequence[CardRecord], *, skip_duplicates: bool = False
) -> tuple[int, int]:
    """Append cards to a deck in one bulk insert. Returns (added, skipped)."""
    existing: set[tuple[str, str]] = set()
    if skip_duplicates:
        rows = session.execute(select(Card.front, Card.back).where(Card.deck_id == deck.id))
        existing = {card_key(f, b) for f, b in rows}
    start = session.scalar(select(func.coalesce(func.max(Card.position), -1)).where(Card.deck_id == deck.id))
    now = utcnow()
    values = []
    skipped = 0
    for rec in records:
        if skip_duplicates:
            key = card_key(rec.front, rec.back)
            if key in existing:
                skipped += 1
                continue
            existing.add(key)
        values.append(
            {
                "deck_id": deck.id,
                "front": rec.front,
                "back": rec.back,
                "tags": normalise_tags(rec.tags),
                "position": start + 1 + len(values),
                "starred": False,
                "created_at": now,
                "updated_at": now,
            }
        )
    if values:
        deck.updated_at = now
        session.flush()  # the deck update opens the write transaction before any DDL below
        if len(values) < _BULK_MIN or not _bulk_insert_sqlite(session, values):
            session.execute(insert(Card), values)
    return len(values), skipped


# Bulk path for big imports (measured on 100,000 cards: the per-row FTS trigger costs ~6 s, one
# set-based FTS insert under 1 s; the ORM's per-row parameter processing another few seconds).
_BULK_MIN = 2000
_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER cards_ai AFTER INSERT ON cards BEGIN "
    "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END"
)
_CARD_COLUMNS = ("deck_id", "front", "back", "tags", "position", "starred", "created_at", "updated_at")


def _bulk_insert_sqlite(session: Session, values: list[dict]) -> bool:
    """Insert rows with the FTS trigger lifted and the index filled in one statement.

    Done only on SQLite, inside an open transaction (SQLite DDL is transactional, so a failure
    rolls the trigger back too) and only while the trigger is exactly the one this code mirrors;
    otherwise returns False and the caller takes the ordinary path.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return False
    dbapi = conn.connection.dbapi_connection
    if not getattr(dbapi, "in_transaction", False):
        return False
    trigger = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type='trigger' AND name='cards_ai'"
    ).scalar()
    if trigger is None or " ".join(trigger.split()) != _FTS_INSERT_TRIGGER:
        return False
    table = Card.__table__
    procs = {
        c: table.c[c].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in _CARD_COLUMNS
    }
    first = values[0]
    stamp = {c: procs[c](first[c]) if procs[c] else first[c] for c in ("created_at", "updated_at", "starred")}
    rows = [
        (
            v["deck_id"],
            v["front"],
            v["back"],
            v["tags"],
            v["position"],
            stamp["starred"],
            stamp["created_at"],
            stamp["updated_at"],
        )
        for v in values
    ]
    before = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM cards").scalar()
    conn.exec_driver_sql("DROP TRIGGER cards_ai")
    conn.exec_driver_sql(
        f"INSERT INTO cards ({', '.join(_CARD_COLUMNS)}) VALUES ({', '.join('?' * len(_CARD_COLUMNS))})", rows
    )
    conn.exec_driver_sql(
        "INSERT INTO cards_fts(rowid, front, back) SELECT id, front, back FROM cards WHERE id > ?", (before,)
    )
    conn.exec_driver_sql(trigger)
    return True


def deck_cards(session: Session, deck: Deck) -> list[Card]:
    return list(session.scalars(select(Card).where(Card.deck_id == deck.id).order_by(Card.position, Card.id)))


def card_records(session: Session, deck: Deck) -> list[CardRecord]:
    rows = session.execute(
        select(Card.front, Card.back, Card.tags)
        .where(Card.deck_id == deck.id)
        .order_by(Card.position, Card.id)
    )
    return [CardRecord(f, b, tuple(t.split())) for f, b, t in rows]


def _fts_query(query: str) -> str:
    """Turn what a user types into a safe FTS5 query: every word must match, as a prefix."""
    words = re.findall(r"\w+", query, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


def search_cards(session: Session, query: str, deck: Deck | None = None, limit: int = 500) -> list[Card]:
    match = _fts_query(query)
    if not match:
        return deck_cards(session, deck) if deck is not None else []
    from app.store.fulltext import matching_card_ids  # FTS5 on SQLite, tsvector on PostgreSQL

    ids = matching_card_ids(session, query, limit * 4 if deck else limit)
    if not ids:
        return []
    stmt = select(Card).where(Card.id.in_(ids))
    if deck is not None:
        stmt = stmt.where(Card.deck_id == deck.id)
    by_id = {c.id: c for c in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id][:limit]

