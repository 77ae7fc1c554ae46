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
def store(db_path):
    s = Store(f"sqlite:///{db_path}")
    yield s
    s.close()


@pytest.fixture
def sample_deck(store):
    """A five-card deck on recurrent networks; returns the deck id."""
    with store.transaction() as session:
        deck, _ = get_or_create_deck(session, "Sequence models")
        add_cards(session, deck, SAMPLE)
        return deck.id
