"""The store's tests run on both engines: every test taking `store` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from app.store.db import Store


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, db_path) -> str:
    if request.param == "postgresql":
        return request.getfixturevalue("pg_url")
    return f"sqlite:///{db_path}"


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(db_path):
    """For what only a SQLite file has (WAL, the file's own header, FTS5 triggers)."""
    s = Store(f"sqlite:///{db_path}")
    yield s
    s.close()
