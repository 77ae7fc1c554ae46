"""Studying in a local copy, the way the app's modes record answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.scheduling.review import record_review
from app.store.db import Store
from app.store.models import Card, ReviewLog
from app.store.repo import add_cards, get_deck, get_or_create_deck
from tests.conftest import SAMPLE

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def make_deck(store: Store, name: str = "Sequence models") -> None:
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, name)
        add_cards(s, deck, SAMPLE)


def study(store: Store, deck: str, answers: list[tuple[int, int, str]], start: datetime = T0) -> None:
    """`answers`: (card position, rating, mode); one transaction each, a minute apart."""
    for i, (pos, rating, mode) in enumerate(answers):
        with store.transaction() as s:
            d = get_deck(s, deck)
            card = s.scalars(select(Card).where(Card.deck_id == d.id).order_by(Card.position)).all()[pos]
            record_review(s, card, mode=mode, rating=rating, now=start + timedelta(minutes=i))


def review_uuids(store: Store) -> set[str]:
    with store.session() as s:
        return set(s.scalars(select(ReviewLog.uuid)))


def review_count(store: Store) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(ReviewLog)) or 0
