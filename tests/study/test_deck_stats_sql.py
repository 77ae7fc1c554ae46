"""`recall decks`' sqlite3 reader gives the figures `deck_summaries` gives, on every kind of row.

The reader (app/study/deck_stats_sql.py) repeats the queue's due rule and the mastery levels in
plain SQL so that the command need not import SQLAlchemy; these tests hold the two together.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.scheduling.days import set_rollover_hour
from app.store.db import Store, sqlite_reader
from app.store.models import Card
from app.study.deck_stats import deck_summaries
from app.study.deck_stats_sql import deck_figures
from tests.bench.fixtures_data import build_collection
from tests.scheduling.conftest import T0, make_deck, review


def both(store: Store, now: datetime) -> tuple[list[dict], list[dict]]:
    if store.dialect != "sqlite":
        pytest.skip("the sqlite3 reader is for SQLite files; PostgreSQL keeps the Store path")
    with store.session() as s:
        expected = [d.as_json() for d in deck_summaries(s, now)]
    con = sqlite_reader(store.url)
    assert con is not None
    try:
        got = [d.as_json() for d in deck_figures(con, now)]
    finally:
        con.close()
    return expected, got


def test_reviews_in_every_mode_streaks_lapses_and_the_new_allowance(store):
    a = make_deck(store, "Alpha", 12, new_per_day=5)
    make_deck(store, "Beta", 3, new_per_day=0)
    make_deck(store, "Empty", 0)
    with store.session() as s:
        ids = list(s.scalars(select(Card.id).where(Card.deck_id == a).order_by(Card.position)))
    for day in range(4):  # a streak that makes cards familiar, then mastered
        for cid in ids[:4]:
            review(store, cid, 3, T0 + timedelta(days=day, minutes=cid))
    review(store, ids[4], 1, T0 + timedelta(days=3))  # a miss: learning, due in minutes
    review(store, ids[5], 3, T0 + timedelta(days=3), mode="learn", scheduled=False)  # practice only
    for now in (T0 + timedelta(days=3, hours=1), T0 + timedelta(days=5), T0 + timedelta(days=40)):
        expected, got = both(store, now)
        assert got == expected
    with store.transaction() as s:
        set_rollover_hour(s, 11)
    expected, got = both(store, T0 + timedelta(days=3, hours=1))
    assert got == expected


def test_a_generated_year_of_history(tmp_path):
    db = build_collection(tmp_path, cards=3000, decks=7, years=1.0, seed=3)
    store = Store(f"sqlite:///{db}")
    try:
        for now in (datetime.now(timezone.utc), datetime.now(timezone.utc) + timedelta(days=2)):
            expected, got = both(store, now)
            assert got == expected
            assert sum(d["due"] for d in got) > 0 and any(d["new"] < d["cards"] for d in got)
    finally:
        store.close()


def test_no_reader_for_a_missing_or_old_file_and_the_cli_falls_back(tmp_path):
    assert sqlite_reader(f"sqlite:///{tmp_path / 'none.sqlite3'}") is None
    old = tmp_path / "old.sqlite3"
    con = sqlite3.connect(old)
    con.execute("CREATE TABLE alembic_version (version_num TEXT)")
    con.execute("INSERT INTO alembic_version VALUES ('0001')")
    con.commit()
    con.close()
    assert sqlite_reader(f"sqlite:///{old}") is None  # needs a migration: the Store's job
    assert sqlite_reader("postgresql+psycopg://u@h/db") is None


def test_both_readers_give_each_deck_its_folder(store):
    from app.store.repo import get_deck, set_deck_folder

    make_deck(store, "Cells", 3)
    make_deck(store, "Verbs", 2)
    make_deck(store, "Loose", 1)
    with store.transaction() as s:
        set_deck_folder(s, get_deck(s, "Cells"), "Biology/Cells")
        set_deck_folder(s, get_deck(s, "Verbs"), "Languages")
    expected, got = both(store, T0)
    assert got == expected
    assert {d["name"]: d["folder"] for d in got} == {"Cells": "Biology/Cells", "Verbs": "Languages", "Loose": ""}
    assert list(got[0]) == ["id", "name", "cards", "due", "new", "mastery", "folder"]  # keys only ever added
