"""Storage: SQLAlchemy models, opening and migrating the database, deck and card operations.

The names below load on first use, so that importing `app.store.db` (or `app.store.db.sqlite_reader`)
does not import SQLAlchemy's ORM through `app.store.repo`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.store.db import Store, StoreError, open_store
    from app.store.repo import CardRecord, DeckNotFound

_WHERE = {
    "Store": "app.store.db",
    "StoreError": "app.store.db",
    "open_store": "app.store.db",
    "CardRecord": "app.store.repo",
    "DeckNotFound": "app.store.repo",
}

__all__ = ["CardRecord", "DeckNotFound", "Store", "StoreError", "open_store"]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'app.store' has no attribute {name!r}")
