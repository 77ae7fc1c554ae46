"""A deck of numbered cards and a helper that reviews one at a given time."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.scheduling.review import record_review
from app.store.models import Card
from app.store.repo import CardRecord, add_cards, get_or_create_deck

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday, 09:00 UTC


def make_deck(store, name: str, n: int, new_per_day: int = 20) -> int:
    with store.transaction() as session:
        deck, _ = get_or_create_deck(session, name)
        deck.new_per_day = new_per_day
        add_cards(session, deck, [CardRecord(f"{name} q{i}", f"{name} a{i}") for i in range(n)])
        return deck.id


def review(store, card_id: int, rating: int, at: datetime, **kw):
    with store.transaction() as session:
        return record_review(
            session, session.get(Card, card_id), mode=kw.pop("mode", "spaced"), rating=rating, now=at, **kw
        )


@pytest.fixture
def deck10(store) -> int:
    return make_deck(store, "Ten", 10, new_per_day=4)
