"""A sync server on the throw-away PostgreSQL, with login roles, and local SQLite copies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest

from app.store.db import Store


@dataclass
class ServerDB:
    name: str
    admin_url: str
    pg: object
    roles: list[str]

    def add_user(self, base: str) -> str:
        """A login role with a password; returns its URL (roles are cluster-wide: unique names)."""
        from app.sync.admin import add_user

        role = f"{base}_{secrets.token_hex(3)}"
        password = secrets.token_hex(8)
        admin = Store(self.admin_url)
        try:
            add_user(admin.engine, role, password)
        finally:
            admin.close()
        self.roles.append(role)
        return self.pg.url(self.name, user=role, password=password)


@pytest.fixture
def server_db(pg_server, pg_url):
    """A database migrated by Recall (`recall server init`), and a way to add users to it."""
    from app.sync.admin import init_server

    init_server(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    db = ServerDB(name, pg_url, pg_server, [])
    yield db
    with pg_server.admin() as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in db.roles:
            con.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def local_copy(tmp_path):
    """Local SQLite copies by name, closed at the end."""
    opened: list[Store] = []

    def make(name: str) -> Store:
        s = Store(f"sqlite:///{tmp_path / name}.sqlite3")
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def two_copies(server_db, local_copy):
    """One learner's two machines, `a` and `b`, each holding the sample deck after a first sync;
    yields (a, b, server) and closes the server connection at the end."""
    from app.sync.exchange import run_sync
    from app.sync.server import connect
    from tests.sync.helpers import make_deck

    server = connect(server_db.add_user("learner"))
    a, b = local_copy("a"), local_copy("b")
    make_deck(a)
    run_sync(a, server)
    run_sync(b, server)
    yield a, b, server
    server.close()
