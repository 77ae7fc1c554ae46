"""Fixtures every test package shares: a private Recall home and a real SQLite store in tmp."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.store.db import Store  # noqa: E402
from app.store.repo import CardRecord, add_cards, get_or_create_deck  # noqa: E402

SAMPLE = [
    CardRecord("What does the forget gate do?", "It decides what to remove from the cell state", ("lstm",)),
    CardRecord("What problem do LSTMs address?", "The vanishing gradient problem", ("lstm",)),
    CardRecord("What does GRU stand for?", "Gated recurrent unit", ("gru",)),
    CardRecord("How many gates does a GRU have?", "Two: the update gate and the reset gate", ("gru",)),
    CardRecord(
        "What is backpropagation through time?",
        "Backpropagation applied to an unrolled recurrent network",
        (),
    ),
]


@pytest.fixture(autouse=True)
def recall_home(tmp_path_factory, monkeypatch) -> Path:
    """Keep every test away from the user's real data folder and settings."""
    home = tmp_path_factory.mktemp("recall-home")
    monkeypatch.setenv("RECALL_HOME", str(home))
    monkeypatch.delenv("RECALL_DB", raising=False)
    return home


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "recall.sqlite3"


@pytest.fixture
def store(request, db_path):
    # RECALL_TEST_DB=postgresql runs every test that uses this fixture on the throw-away server.
    pg = os.environ.get("RECALL_TEST_DB") == "postgresql"
    s = Store(request.getfixturevalue("pg_url") if pg else f"sqlite:///{db_path}")
    yield s
    s.close()


@pytest.fixture
def sample_deck(store):
    """A five-card deck on recurrent networks; returns the deck id."""
    with store.transaction() as session:
        deck, _ = get_or_create_deck(session, "Sequence models")
        add_cards(session, deck, SAMPLE)
        return deck.id


@pytest.fixture(scope="session")
def pg_server():
    """One throw-away PostgreSQL server for the whole run (see tests/pgserver.py)."""
    from tests import pgserver

    if pgserver.find_bindir() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    server = pgserver.start_server()
    yield server
    pgserver.remove(server)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the throw-away server, as a SQLAlchemy URL (superuser)."""
    name = pg_server.create_database()
    yield pg_server.url(name)
    with pg_server.admin() as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def window(qtbot, store):
    """The real main window over the test's store, shown (offscreen) and closed at the end."""
    from app.ui.main_window import MainWindow

    w = MainWindow(store, None, first_run_prompt=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
