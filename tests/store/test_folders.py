"""Deck folders: migration 0005 from a 0004 database with data (every row kept), and the repo's
set / rename / clear, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, select, text

from app.store.db import HEAD_REVISION, MIGRATIONS, Store, _engine, _on_connect
from app.store.folders import all_folders, clean_folder, inside, leaf, moved, parent
from app.store.models import Deck
from app.store.repo import (
    clear_folder,
    folder_names,
    get_deck,
    get_or_create_deck,
    rename_folder,
    set_deck_folder,
)

TABLES = ("decks", "cards", "card_states", "review_log", "settings", "grader_overrides")
T = datetime(2026, 1, 2, 3, 4, 5)  # naive UTC, as the store writes times


def _migrate_to(url: str, rev: str, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    engine = _engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)  # foreign keys on, as the app runs them
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as con:
            cfg.attributes["connection"] = con
            (command.downgrade if down else command.upgrade)(cfg, rev)
    finally:
        engine.dispose()


def _rows(url: str) -> dict[str, list[tuple]]:
    engine = _engine(url)
    try:
        with engine.connect() as con:
            out = {}
            for t in TABLES:
                key = "key" if t == "settings" else ("card_id" if t == "card_states" else "id")
                out[t] = [tuple(r) for r in con.exec_driver_sql(f"SELECT * FROM {t} ORDER BY {key}")]
            return out
    finally:
        engine.dispose()


def _fill_0004(url: str) -> None:
    """Rows in every table, written as a 0004 Recall wrote them (no ORM: the models are at head)."""
    engine = _engine(url)
    try:
        with engine.begin() as con:

            def insert(table: str, **values) -> int | None:
                cols = ", ".join(values)
                sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in values)})"
                returning = table not in ("card_states", "settings")
                got = con.execute(text(sql + (" RETURNING id" if returning else "")), values)
                return got.scalar() if returning else None

            for i, name in enumerate(("Alpha", "Beta", "Gamma")):
                deck = insert("decks", name=name, description=f"d{i}", created_at=T, updated_at=T, uuid=f"d-{i}")
                cards = [
                    insert("cards", deck_id=deck, front=f"front {i}.{j}", back=f"back {i}.{j}", tags="t",
                           position=j, created_at=T, updated_at=T, uuid=f"c-{i}.{j}")  # fmt: skip
                    for j in range(4)
                ]
                insert("card_states", card_id=cards[0], deck_id=deck, state=2, due=T, last_review=T, reps=3,
                       correct_streak=2)  # fmt: skip
                insert("review_log", card_id=cards[0], deck_id=deck, mode="spaced", rating=3, reviewed_at=T,
                       uuid=f"r-{i}")  # fmt: skip
            insert("settings", key="rollover_hour", value="4")
            insert("grader_overrides", card_id=cards[0], mode="call", reference="back", answer="mine", created_at=T)
    finally:
        engine.dispose()


def test_migration_0005_keeps_every_row_of_a_0004_database(store_url):
    _migrate_to(store_url, "0004")
    _fill_0004(store_url)
    before = _rows(store_url)
    assert sum(len(v) for v in before.values()) > 20
    store = Store(store_url)  # opening migrates to head, as the app does
    try:
        with store.engine.connect() as con:
            assert con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION == "0005"
        with store.session() as s:
            assert [(d.name, d.folder) for d in s.scalars(select(Deck).order_by(Deck.id))] == [
                ("Alpha", ""), ("Beta", ""), ("Gamma", "")
            ]
        after = _rows(store_url)
        for t in TABLES:
            drop_folder = (lambda r: r[:-1]) if t == "decks" else (lambda r: r)  # the new last column
            assert [drop_folder(r) for r in after[t]] == before[t], t
        with store.transaction() as s:  # the new column works: set, and a new deck gets ""
            set_deck_folder(s, get_deck(s, "Beta"), "Science")
            get_or_create_deck(s, "Delta")
        with store.session() as s:
            assert dict(s.execute(select(Deck.name, Deck.folder)).all()) == {
                "Alpha": "", "Beta": "Science", "Gamma": "", "Delta": ""
            }
    finally:
        store.close()
    _migrate_to(store_url, "0004", down=True)  # and back: the rows stay, the column goes
    assert _rows(store_url)["cards"] == before["cards"]
    assert len(_rows(store_url)["decks"][0]) == len(before["decks"][0])


def test_set_rename_and_clear_folders(store):
    with store.transaction() as s:
        for name in ("Cells", "Genes", "Plants", "French", "Loose"):
            get_or_create_deck(s, name)
    with store.transaction() as s:
        deck = get_deck(s, "Cells")
        updated = deck.updated_at
        assert set_deck_folder(s, deck, "  Biology /  Cells  and more/ ") == "Biology/Cells and more"
        assert deck.folder == "Biology/Cells and more" and deck.updated_at == updated  # not an edit to sync
        set_deck_folder(s, get_deck(s, "Genes"), "Biology")
        set_deck_folder(s, get_deck(s, "Plants"), "biology")  # another folder: case counts
        set_deck_folder(s, get_deck(s, "French"), "Languages")
    with store.session() as s:
        assert folder_names(s) == ["Biology", "biology", "Biology/Cells and more", "Languages"]
    with store.transaction() as s:
        assert rename_folder(s, "Biology", "Science/Life") == 2  # with the folder inside it
    with store.session() as s:
        folders = dict(s.execute(select(Deck.name, Deck.folder)).all())
    assert folders == {"Cells": "Science/Life/Cells and more", "Genes": "Science/Life", "Plants": "biology",
                       "French": "Languages", "Loose": ""}  # fmt: skip
    with store.transaction() as s:
        assert rename_folder(s, "Languages", "Science") == 1  # onto an existing folder: merged
        assert clear_folder(s, "Science") == 3  # out to the top, the folders inside it with them
        assert rename_folder(s, "nowhere", "x") == 0
    with store.session() as s:
        folders = dict(s.execute(select(Deck.name, Deck.folder)).all())
        names = folder_names(s)
    assert folders == {"Cells": "Life/Cells and more", "Genes": "Life", "Plants": "biology",
                       "French": "", "Loose": ""}  # fmt: skip
    assert names == ["biology", "Life", "Life/Cells and more"]  # "Science" and "Languages" are gone


def test_folder_paths():
    assert clean_folder(" a //  b  c /") == "a/b c"
    assert clean_folder("   ") == "" and clean_folder("/") == ""
    with pytest.raises(ValueError, match="at most 200"):
        clean_folder("x" * 201)
    assert all_folders(["B/C/D", "A", "", "B"]) == ["A", "B", "B/C", "B/C/D"]
    assert all_folders(["A B", "A/B", "A"]) == ["A", "A/B", "A B"]  # a folder, then what is inside it
    assert inside("A/B", "A") and inside("A", "A") and not inside("AB", "A")
    assert moved("A/B/C", "A/B", "X") == "X/C" and moved("A", "A", "") == "" and moved("A/B", "A", "") == "B"
    assert leaf("A/B") == "B" and parent("A/B/C") == "A/B" and parent("A") == ""
