"""Deck and card operations the CLI, the UI and the study modes share.

Every function takes an open `Session`; the caller owns the transaction (one per user action).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from app.store.folders import all_folders, clean_folder, inside, moved
from app.store.models import Card, Deck, utcnow

__all__ = ["all_folders", "clean_folder"]  # the folder rules, for callers of the repo


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


def _keep_updated_at():
    # Folders are this machine's arrangement: moving a deck must not look like an edit to sync
    # (whose newer updated_at would win over another device's change to the deck).
    return {"updated_at": Deck.updated_at}


def set_deck_folder(session: Session, deck: Deck, folder: str) -> str:
    """Put `deck` in `folder` ("" takes it out of any); returns the folder as stored."""
    folder = clean_folder(folder)
    session.execute(update(Deck).where(Deck.id == deck.id).values(folder=folder, **_keep_updated_at()))
    session.expire(deck, ["folder", "updated_at"])
    return folder


def rename_folder(session: Session, old: str, new: str) -> int:
    """Rename a folder, the folders inside it moving with it ("" for `new` takes its decks out
    to the top, their subfolders with them); returns how many decks moved. Renaming onto an
    existing folder merges the two."""
    old, new = clean_folder(old), clean_folder(new)
    if not old or old == new:
        return 0
    # compared here, not by LIKE (case-blind on SQLite): "biology" is another folder than "Biology"
    rows = [r for r in session.execute(select(Deck.id, Deck.folder).where(Deck.folder != "")) if inside(r[1], old)]
    for deck_id, folder in rows:
        path = moved(folder, old, new)
        session.execute(update(Deck).where(Deck.id == deck_id).values(folder=path, **_keep_updated_at()))
    session.expire_all()
    return len(rows)


def clear_folder(session: Session, folder: str) -> int:
    """Take every deck out of `folder` (and the folders inside it) to the top; the decks stay."""
    return rename_folder(session, folder, "")


def folder_names(session: Session) -> list[str]:
    """Every folder that holds a deck, and the folders above them, sorted; an empty folder is
    no folder (folders live only in the decks)."""
    return all_folders(session.scalars(select(Deck.folder).where(Deck.folder != "").distinct()))


def card_key(front: str, back: str) -> tuple[str, str]:
    """What makes two cards duplicates: the same text up to case and spacing."""
    return (" ".join(front.split()).casefold(), " ".join(back.split()).casefold())


def add_cards(
    session: Session, deck: Deck, records: Sequence[CardRecord], *, skip_duplicates: bool = False
) -> tuple[int, int]:
    """Append cards to a deck in one bulk insert. Returns (added, skipped)."""
    kept: Sequence[CardRecord] = records
    skipped = 0
    if skip_duplicates:
        rows = session.execute(select(Card.front, Card.back).where(Card.deck_id == deck.id))
        existing = {card_key(f, b) for f, b in rows}
        kept = []
        for rec in records:
            key = card_key(rec.front, rec.back)
            if key in existing:
                skipped += 1
                continue
            existing.add(key)
            kept.append(rec)
    if not kept:
        return 0, skipped
    start = session.scalar(select(func.coalesce(func.max(Card.position), -1)).where(Card.deck_id == deck.id)) + 1
    now = utcnow()
    deck.updated_at = now
    session.flush()  # the deck update opens the write transaction before any DDL below
    if len(kept) >= _BULK_MIN and _bulk_insert_sqlite(session, deck.id, start, kept, now):
        return len(kept), skipped
    values = [
        {
            "deck_id": deck.id,
            "front": rec.front,
            "back": rec.back,
            "tags": normalise_tags(rec.tags),
            "position": start + i,
            "starred": False,
            "created_at": now,
            "updated_at": now,
        }
        for i, rec in enumerate(kept)
    ]
    session.execute(insert(Card), values)
    return len(kept), skipped


# Bulk path for big imports (measured on 100,000 cards: the per-row FTS trigger costs ~6 s, one
# set-based FTS insert under 1 s; the ORM's per-row parameter processing another few seconds).
_BULK_MIN = 2000
_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER cards_ai AFTER INSERT ON cards BEGIN "
    "INSERT INTO cards_fts(rowid, front, back) VALUES (new.id, new.front, new.back); END"
)
_CARD_COLUMNS = ("deck_id", "front", "back", "tags", "position", "starred", "created_at", "updated_at")


def _bulk_insert_sqlite(
    session: Session, deck_id: int, start: int, records: Sequence[CardRecord], now: datetime
) -> bool:
    """Insert rows with the FTS trigger lifted and the index filled in one statement.

    One executemany of plain tuples (the column types' bind processing done once for the
    values every row shares), in the caller's transaction, then one set-based FTS insert.
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

    def bound(column: str, value):
        proc = table.c[column].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        return proc(value) if proc else value

    starred, stamp = bound("starred", False), bound("created_at", now)
    assert stamp == bound("updated_at", now)
    rows = [
        (deck_id, r.front, r.back, normalise_tags(r.tags) if r.tags else "", start + i, starred, stamp, stamp)
        for i, r in enumerate(records)
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
    from app.store.fulltext import matching_card_ids, query_words, sqlite_cards_sql, sqlite_ranked

    if session.get_bind().dialect.name == "sqlite":  # FTS5 here, tsvector on PostgreSQL
        ranked = sqlite_ranked(session, match, query_words(query))
        stmt = select(Card).from_statement(text(sqlite_cards_sql(deck is not None, ranked)))
        params = {"q": match, "n": limit, **({"deck": deck.id} if deck is not None else {})}
        return list(session.scalars(stmt, params))
    ids = matching_card_ids(session, query, limit * 4 if deck else limit)
    if not ids:
        return []
    stmt = select(Card).where(Card.id.in_(ids))
    if deck is not None:
        stmt = stmt.where(Card.deck_id == deck.id)
    by_id = {c.id: c for c in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id][:limit]

