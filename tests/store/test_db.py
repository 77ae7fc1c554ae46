from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select

from app.store.db import HEAD_REVISION, Store, StoreError
from app.store.models import Card, Deck
from app.store.repo import CardRecord, add_cards, get_or_create_deck, search_cards
from app.study.deck_stats import deck_summaries


@pytest.fixture
def sqlite_deck(sqlite_store):
    """The sample deck in a SQLite file (for the tests about the file itself)."""
    from tests.conftest import SAMPLE

    with sqlite_store.transaction() as session:
        deck, _ = get_or_create_deck(session, "Sequence models")
        add_cards(session, deck, SAMPLE)
    sqlite_store.close()


def test_new_database_is_migrated_with_wal_and_foreign_keys(sqlite_store):
    with sqlite_store.engine.connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert con.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_new_database_is_at_head_on_both_engines(store):
    with store.engine.connect() as con:
        assert con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION


def test_reopening_keeps_data(store_url, store, sample_deck):
    store.close()
    s = Store(store_url)
    with s.session() as session:
        assert len(session.scalars(select(Card)).all()) == 5
        assert all(c.uuid and len(c.uuid) == 36 for c in session.scalars(select(Card)))
    s.close()


def test_foreign_keys_are_enforced(store, sample_deck):
    with pytest.raises(Exception, match="(?i)foreign key"), store.transaction() as session:
        session.add(Card(deck_id=sample_deck + 999, front="orphan", back="x"))


def test_not_a_database_is_refused_and_untouched(tmp_path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_bytes(b"this is a text file, not a database\n" * 20)
    before = bad.read_bytes()
    with pytest.raises(StoreError, match="not a Recall database"):
        Store(f"sqlite:///{bad}")
    assert bad.read_bytes() == before


def test_damaged_database_is_refused_and_untouched(db_path, sqlite_deck):
    data = bytearray(db_path.read_bytes())
    # keep the header valid, scribble over the first table pages
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        p = db_path.with_name(db_path.name + suffix)
        if p.exists():
            p.unlink()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="damaged|not a Recall"):
        Store(f"sqlite:///{db_path}")
    assert db_path.read_bytes() == before


def test_newer_schema_is_refused_and_untouched_on_postgresql(pg_url):
    Store(pg_url).close()
    s = Store(pg_url)
    with s.engine.begin() as con:
        con.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    s.close()
    with pytest.raises(StoreError, match="newer Recall"):
        Store(pg_url)
    from sqlalchemy import create_engine

    eng = create_engine(pg_url)
    with eng.connect() as con:
        assert con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "9999"
    eng.dispose()


def test_unreachable_server_is_one_line(pg_server):
    from tests.pgserver import _free_port

    url = f"postgresql+psycopg://nobody:x@127.0.0.1:{_free_port()}/nothing"
    with pytest.raises(StoreError) as info:
        Store(url)
    msg = str(info.value)
    assert "\n" not in msg and ":x@" not in msg and "cannot open the database" in msg


def test_wrong_password_is_one_line_without_the_password(pg_server):
    url = pg_server.url("postgres", user="postgres", password="not-the-password")
    with pytest.raises(StoreError, match="password authentication failed") as info:
        Store(url)
    assert "not-the-password" not in str(info.value)


def test_newer_schema_is_refused_and_untouched(db_path, sqlite_deck):
    con = sqlite3.connect(db_path)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer Recall"):
        Store(f"sqlite:///{db_path}")
    assert db_path.read_bytes() == before


def test_failed_action_rolls_back_whole(store, sample_deck):
    with pytest.raises(RuntimeError), store.transaction() as session:
        deck = session.get(Deck, sample_deck)
        add_cards(session, deck, [CardRecord("a", "b")])
        raise RuntimeError("crash mid-action")
    with store.session() as session:
        assert session.query(Card).count() == 5


def test_deleting_a_deck_cascades(store, sample_deck):
    with store.transaction() as session:
        session.delete(session.get(Deck, sample_deck))
    with store.session() as session:
        assert session.query(Card).count() == 0


def test_full_text_search_follows_edits(store, sample_deck):
    with store.transaction() as session:
        deck = session.get(Deck, sample_deck)
        hits = search_cards(session, "forget", deck)
        assert [c.front for c in hits] == ["What does the forget gate do?"]
        hits[0].back = "It erases parts of the memory cell"
    with store.session() as session:
        assert [c.front for c in search_cards(session, "memory cel")] == ["What does the forget gate do?"]
        assert search_cards(session, "cell state") == []
        # punctuation a user types never breaks the FTS query
        assert search_cards(session, 'gate" OR (') is not None


def test_skip_duplicates(store, sample_deck):
    with store.transaction() as session:
        deck = session.get(Deck, sample_deck)
        added, skipped = add_cards(
            session,
            deck,
            [CardRecord("what does GRU stand for?", "Gated  recurrent unit"), CardRecord("new", "card")],
            skip_duplicates=True,
        )
    assert (added, skipped) == (1, 1)


def test_deck_summaries(store, sample_deck):
    with store.transaction() as session:
        get_or_create_deck(session, "Empty")
    with store.session() as session:
        rows = {d.name: d for d in deck_summaries(session)}
    assert rows["Sequence models"].cards == 5
    assert rows["Sequence models"].due == 5  # all new, within the daily limit
    assert rows["Sequence models"].mastery == 0
    assert rows["Empty"].cards == 0


def test_damage_in_a_large_current_database_is_one_line_at_first_use(db_path, sqlite_deck, monkeypatch, capsys):
    """Past the quick-check size the open is cheap; damage then surfaces as a clear CLI error."""
    from app import cli
    from app.store import db as db_module

    monkeypatch.setattr(db_module, "QUICK_CHECK_MAX_BYTES", 0)
    con = sqlite3.connect(db_path)
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name='cards'").fetchone()[0]
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    data[(root - 1) * page : root * page] = b"\xee" * page
    db_path.write_bytes(bytes(data))
    rc = cli.main(["--db", str(db_path), "cards", "Sequence models"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1
    assert len(err) == 1 and err[0].startswith("recall: ") and "Traceback" not in err[0]
