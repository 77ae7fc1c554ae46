"""Setting up a server: the schema (as the database's owner) and login roles for people.

Run by whoever administers the PostgreSQL server (`recall server init`, `recall server
add-user`). A person is a PostgreSQL login role; the row-level security of migration 0002
keys everything on that role's name.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.store.db import Store, StoreError
from app.sync.server import SyncError

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def init_server(url: str) -> str:
    """Create or upgrade the Recall schema on a PostgreSQL database; returns its revision."""
    try:
        store = Store(url)
    except StoreError as exc:
        raise SyncError(str(exc)) from exc
    try:
        if store.dialect != "postgresql":
            raise SyncError("a sync server is a PostgreSQL database: postgresql://owner@host/db")
        with store.engine.connect() as con:
            return str(con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())
    finally:
        store.close()


def add_user(engine: Engine, name: str, password: str) -> None:
    """A login role that may connect to this database (needs CREATEROLE, e.g. the owner)."""
    if not ROLE_NAME.match(name):
        raise SyncError(f"{name!r} is not a usable user name (lower-case letters, digits, _)")
    if not password:
        raise SyncError("a user needs a password")
    with engine.begin() as con:
        db = con.exec_driver_sql("SELECT current_database()").scalar()
        exists = con.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).scalar()
        # The password goes as a literal (DDL takes no parameters), quoted by the server itself.
        pw = con.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar()
        verb = "ALTER" if exists else "CREATE"
        con.exec_driver_sql(f'{verb} ROLE "{name}" LOGIN PASSWORD {pw}')
        con.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{db}" TO "{name}"')
