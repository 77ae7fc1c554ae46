"""Connecting to a sync server: one readable error for every way it can fail.

The server is a PostgreSQL database migrated by Recall (`recall server init`). Each person
logs in as their own PostgreSQL role; the server's row-level security decides what they
see. Passwords never go to settings.json: they come from the URL given on the command line,
the system keyring, libpq's own PGPASSWORD / ~/.pgpass, or a prompt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from app.store.db import HEAD_REVISION, KNOWN_REVISIONS

KEYRING_SERVICE = "recall-sync"
LATER = "your local copy keeps working; the next sync will try again"


class SyncError(Exception):
    """Sync could not run; the message is one line and says what to do."""


class LoginRefused(SyncError):
    """The server answered but refused the user name or password."""


@dataclass
class Server:
    engine: Engine
    user: str  # the PostgreSQL role we are logged in as (owner of what we push)
    label: str  # the URL without its password, for messages and the local bookkeeping

    def close(self) -> None:
        self.engine.dispose()


def parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise SyncError(f"not a server URL: {url!r} (expected postgresql://user@host/db)") from exc
    if parsed.get_backend_name() != "postgresql":
        raise SyncError("a sync server is a PostgreSQL database: postgresql://user@host[:port]/db")
    return parsed.set(drivername="postgresql+psycopg")


def label(url: str | URL) -> str:
    """`postgresql://user@host:port/db` with no password."""
    u = parse(url) if isinstance(url, str) else url
    bare = URL.create("postgresql", username=u.username, host=u.host, port=u.port, database=u.database)
    return bare.render_as_string(hide_password=False)


def keyring_key(u: URL) -> str:
    return f"{u.username}@{u.host or 'localhost'}:{u.port or 5432}/{u.database}"


def keyring_password(u: URL) -> str | None:
    """The saved password, or None when there is no keyring (or nothing saved)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, keyring_key(u))
    except (KeyringError, RuntimeError):  # no backend on a headless machine
        return None


def save_keyring_password(u: URL, password: str) -> bool:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_key(u), password)
    except (KeyringError, RuntimeError):
        return False
    return True


def connect(url: str, password: str | None = None, *, want_head: bool = True) -> Server:
    """Log in and check the server's schema; raises `SyncError` with one line on any failure."""
    u = parse(url)
    if password is not None:
        u = u.set(password=password)
    elif u.password is None:
        saved = keyring_password(u)
        if saved is not None:
            u = u.set(password=saved)
    where = f"{u.host or 'localhost'}:{u.port or 5432}"
    try:
        engine = create_engine(u, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    except (ImportError, NoSuchModuleError) as exc:
        raise SyncError("sync needs the psycopg driver: pip install 'recall[server]'") from exc
    try:
        with engine.connect() as con:
            user = con.exec_driver_sql("SELECT current_user").scalar()
            has = engine.dialect.has_table(con, "alembic_version")
            rev = con.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() if has else None
    except DBAPIError as exc:
        engine.dispose()
        raise classify(exc, u, where) from exc
    if rev not in KNOWN_REVISIONS or (want_head and rev != HEAD_REVISION):
        engine.dispose()
        if rev is None or rev < HEAD_REVISION:
            raise SyncError(f"{label(u)} is not set up as a Recall server yet: run `recall server init` on it")
        raise SyncError(f"{label(u)} was set up by a newer Recall (schema {rev}); update Recall to sync")
    return Server(engine, str(user), label(u))


def classify(exc: DBAPIError, u: URL, where: str) -> SyncError:
    """Turn a driver error into one line: refused login, unreachable, or the server's own words."""
    text = " ".join(str(exc.orig or exc).split())
    low = text.lower()
    if "password authentication failed" in low or "no password supplied" in low or "role" in low and (
        "does not exist" in low
    ):
        return LoginRefused(f"the sync server at {where} refused the login for {u.username!r}; {LATER}")
    if "permission denied for database" in low or "not permitted to log in" in low:
        return LoginRefused(f"the sync server at {where} does not let {u.username!r} in; {LATER}")
    if any(k in low for k in ("connection refused", "could not translate", "timeout", "timed out",
                              "no route", "network is unreachable", "connection to server", "server closed")):  # fmt: skip
        return SyncError(f"cannot reach the sync server at {where}; {LATER}")
    return SyncError(f"the sync server at {where} said: {text.split(' (Background')[0][:300]}; {LATER}")
