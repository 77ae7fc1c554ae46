"""The bulk path of add_cards (big imports): same rows, same search index, trigger intact, atomic."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.store import repo
from app.store.models import utcnow
from app.store.repo import CardRecord, add_cards, card_records, deck_cards, get_or_create_deck, search_cards

N = repo._BULK_MIN + 10


def _trigger_sql(session) -> str | None:
    """SQLite's FTS insert trigger; PostgreSQL has none (its index is an expression index)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    return session.execute(
        text("SELECT sql FROM sqlite_master WHERE type='trigger' AND name='cards_ai'")
    ).scalar()


def _indexed(session) -> int:
    """How many cards the search index holds."""
    if session.get_bind().dialect.name == "sqlite":
        return session.execute(text("SELECT count(*) FROM cards_fts")).scalar()
    return session.execute(
        text("SELECT count(*) FROM cards WHERE to_tsvector('simple'::regconfig, front || ' ' || back) != ''")
    ).scalar()


def test_bulk_insert_matches_the_ordinary_path(store):
    records = [CardRecord(f"front {i} zebra{i}x", f"back {i}", ("t",) if i % 2 else ()) for i in range(N)]
    with store.transaction() as s:
        trigger = _trigger_sql(s)
        deck, _ = get_or_create_deck(s, "Big")
        assert add_cards(s, deck, records) == (N, 0)
    with store.session() as s:
        deck, _ = get_or_create_deck(s, "Big")
        assert card_records(s, deck) == records
        assert [c.front for c in search_cards(s, "zebra77x")] == ["front 77 zebra77x"]
        assert _trigger_sql(s) == trigger  # the per-row trigger is back for later edits
        card = deck_cards(s, deck)[5]
        assert card.created_at.tzinfo is not None and card.starred is False
        assert abs((utcnow() - card.created_at).total_seconds()) < 600
    with store.transaction() as s:  # and it still indexes small inserts
        deck, _ = get_or_create_deck(s, "Big")
        add_cards(s, deck, [CardRecord("lonely okapi", "x")])
    with store.session() as s:
        assert [c.front for c in search_cards(s, "okapi")] == ["lonely okapi"]
        positions = [p for (p,) in s.execute(text("SELECT position FROM cards ORDER BY id"))]
        assert positions == list(range(N + 1))
        assert _indexed(s) == N + 1


def test_bulk_insert_rolls_back_with_its_trigger(store):
    records = [CardRecord(f"q{i}", f"a{i}") for i in range(N)]
    with pytest.raises(RuntimeError), store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Doomed")
        add_cards(s, deck, records)
        raise RuntimeError("the action failed after the insert")
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM cards")).scalar() == 0
        assert _indexed(s) == 0
        assert (_trigger_sql(s) is not None) == (s.get_bind().dialect.name == "sqlite")
