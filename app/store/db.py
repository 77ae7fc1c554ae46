"""Opening the database: checks first, then pragmas, then migrations.

A file that is not a SQLite database, is damaged, or was written by a newer Recall is
refused with a `StoreError` before anything writes to it (even switching to WAL writes
the header, so the checks use a read-only connection).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0001"  # keep in step with the newest file in migrations/versions
KNOWN_REVISIONS = {"0001"}
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024


class StoreError(Exception):
    """A problem with the database the user can act on; the message is one readable line."""


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    raw = url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if raw in ("", ":memory:") else Path(raw)


def _check_existing(path: Path) -> None:
    """Refuse a damaged, foreign or newer database without touching it."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from exc
    if not header:
        return  # an empty file becomes a new database
    if header != b"SQLite format 3\x00":
        raise StoreError(f"{path} is not a Recall database (not SQLite); it was left unchanged")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            rev = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                rev = row[0] if row else None
                if rev and rev not in KNOWN_REVISIONS:
                    raise StoreError(
                        f"the database {path} was written by a newer Recall (schema {rev}); "
                        "update Recall to open it. It was left unchanged"
                    )
            elif tables:
                raise StoreError(
                    f"{path} is a SQLite file of another program, not a Recall database; it was left unchanged"
                )
            # A full page scan costs about 4 ms per MB: always worth it before a migration rewrites
            # tables, and on every open of an ordinary collection. Damage in a very large file that
            # is already current shows up on first use instead, as the same one-line message.
            if rev != HEAD_REVISION or path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                ok = con.execute("PRAGMA quick_check").fetchone()
                if not ok or ok[0] != "ok":
                    raise StoreError(
                        f"the database {path} is damaged ({ok[0] if ok else 'no answer'}); it was left unchanged"
                    )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"the database {path} is damaged ({exc}); it was left unchanged") from exc


def _on_connect(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable at checkpoints, never corrupt
    cur.close()


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as con:
        try:
            row = con.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
        except OperationalError:
            return None
    return row[0] if row else None


def migrate(engine: Engine) -> None:
    """Bring the schema to head; a no-op (and no alembic import) when it already is."""
    if _current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")


class Store:
    """The engine and a session factory for one database."""

    def __init__(self, url: str, *, check: bool = True) -> None:
        self.url = url
        path = _sqlite_path(url)
        if path is not None:
            if check and path.exists():
                _check_existing(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
        self.path = path
        self.engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _on_connect)
        try:
            migrate(self.engine)
        except DatabaseError as exc:
            raise StoreError(f"cannot open the database {path or url}: {exc.orig}") from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: all of it is saved, or none of it."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str) -> Store:
    return Store(url)
