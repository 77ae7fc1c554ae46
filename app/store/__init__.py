"""Storage: SQLAlchemy models, opening and migrating the database, deck and card operations."""

from app.store.db import Store, StoreError, open_store
from app.store.repo import CardRecord, DeckNotFound

__all__ = ["CardRecord", "DeckNotFound", "Store", "StoreError", "open_store"]
