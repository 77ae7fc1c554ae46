"""Opening the database: checks first, then pragmas, then migrations.

Two engines hold the same store: a local SQLite file (the default) and PostgreSQL
(`postgresql+psycopg://user@host/db`, the `server` extra). A file that is not a SQLite
database, is damaged, or was written by a newer Recall is refused with a `StoreError`
before anything writes to it (even switching to WAL writes the header, so the checks use a
read-only connection); a PostgreSQL database of a newer Recall is refused the same way.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy loads when a Store is opened: `sqlite_reader` users never pay for it
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0005"  # keep in step with the newest file in migrations/versions
KNOWN_REVISIONS = {"0001", "0002", "0003", "0004", "0005"}
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
# Set on every connection (WAL and its mode persist in the file, the rest are per connection):
# memory-mapped reads spare a copy per page on big collections.
PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",  # with WAL: durable at checkpoints, never corrupt
    "PRAGMA mmap_size=268435456",
)


class StoreError(Exception):
    """A problem with the database the user can act on; the message is one readable line."""


class UnsupportedDatabase(StoreError):
    """`--db` names a kind of database Recall does not run on: bad usage rather than a fault."""


class NoDatabase(StoreError):
    """A reading command was pointed at a database that does not exist (nothing was created)."""


# SQLite's primary result codes (the low byte of `sqlite_errorcode`), for the wording below.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 10, 11, 13, 14, 26


def _folder_writable(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def is_damage(exc: BaseException) -> bool:
    """Whether a sqlite3 error means the file itself is damaged (not a folder, a disk or a lock)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def sqlite_problem(exc: BaseException, path: Path | None) -> str:
    """A true one-line account of a sqlite3 error: a read-only folder, a full disk, a denied
    permission, a lock or damage, rather than calling every failure damage."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    text = " ".join(str(exc).split())
    low = text.lower()
    where = f"the database {path}" if path is not None else "the database"
    if is_damage(exc):
        return f"{where} is damaged ({text}); it was left unchanged"
    if primary == _SQLITE_FULL or "disk is full" in low:
        return f"the disk is full: {where} cannot grow; free some space and try again"
    folder_ro = path is not None and path.parent.is_dir() and not _folder_writable(path)
    if folder_ro and (primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_IOERR, None) or "readonly" in low):
        return f"the folder {path.parent} is read-only: Recall cannot write {path.name} there ({text})"
    if path is not None and path.exists() and not os.access(path, os.R_OK):
        return f"permission denied: Recall may not read {path}"
    if primary == _SQLITE_READONLY or "readonly" in low:
        return f"{where} is read-only (permission denied to write it: {text})"
    if primary == _SQLITE_PERM or "permission" in low or "access" in low:
        return f"permission denied: {where} ({text})"
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED) or "locked" in low:
        return f"{where} is busy: another program holds it locked ({text}); try again"
    if primary == _SQLITE_IOERR or "i/o error" in low:
        return f"a disk I/O error on {where} (the disk may be full, over a file size limit, or failing)"
    if primary == _SQLITE_CANTOPEN or "unable to open" in low:
        return f"cannot open {where} ({text})"
    return f"{where}: {text}"


def _sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    raw = url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if raw in ("", ":memory:") else Path(raw)


def _check_existing(path: Path, *, scan: bool = True) -> str | None:
    """Refuse a damaged, foreign or newer database without touching it; returns its revision.

    `scan=False` leaves out the page scan (for readers that never write: damage they meet
    surfaces as an error on that read, and nothing is made worse)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read the database {path}: {exc.strerror}") from exc
    if not header:
        return None  # an empty file becomes a new database
    if header != b"SQLite format 3\x00":
        raise StoreError(f"{path} is not a Recall database (not SQLite); it was left unchanged")
    try:
        con = _read_only_connection(path)
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
            if scan and (rev != HEAD_REVISION or path.stat().st_size <= QUICK_CHECK_MAX_BYTES):
                ok = con.execute("PRAGMA quick_check").fetchone()
                if not ok or ok[0] != "ok":
                    raise StoreError(
                        f"the database {path} is damaged ({ok[0] if ok else 'no answer'}); it was left unchanged"
                    )
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(sqlite_problem(exc, path)) from exc
    return rev


def _read_only_connection(path: Path, **kwargs) -> sqlite3.Connection:
    """A connection that cannot write. `mode=ro` on a WAL file still has to create its -shm
    file, so in a folder Recall may not write the file is opened `immutable` instead (nobody
    can change it there, nor leave a -wal to read)."""
    uri = path.as_uri()
    if not _folder_writable(path):
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, **kwargs)
    con = sqlite3.connect(f"{uri}?mode=ro", uri=True, **kwargs)
    try:
        con.execute("SELECT 1 FROM sqlite_master LIMIT 1")
    except sqlite3.OperationalError as exc:
        con.close()
        if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF != _SQLITE_CANTOPEN:
            raise
        # The -shm could not be made (a folder writable to the check but not to SQLite).
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, **kwargs)
    return con


def _on_connect(dbapi_con, _record) -> None:
    cur = dbapi_con.cursor()
    for pragma in PRAGMAS:
        cur.execute(pragma)
    cur.close()


def sqlite_reader(url: str) -> sqlite3.Connection | None:
    """A plain sqlite3 connection for a read-only command on a current SQLite database.

    Importing SQLAlchemy costs more than `recall decks`' whole query on 100k cards, so readers
    that only count may use the DB-API directly. Returns None (use a `Store`) for anything else:
    PostgreSQL, a file that does not exist yet or needs a migration. The same checks refuse a
    foreign, newer or damaged-at-the-header file with the same `StoreError`.
    """
    path = _sqlite_path(url)
    if path is None or "?" in url or not path.is_file():
        return None
    if _check_existing(path, scan=False) != HEAD_REVISION:
        return None
    if not _folder_writable(path) or not os.access(path, os.W_OK):
        # Listing still works where Recall may not write (a read-only folder or file).
        try:
            con = _read_only_connection(path, isolation_level=None)
            con.execute("PRAGMA query_only=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(sqlite_problem(exc, path)) from exc
        return con
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            con.execute(pragma)
        con.execute("PRAGMA query_only=ON")
    except sqlite3.DatabaseError as exc:
        con.close()
        raise StoreError(sqlite_problem(exc, path)) from exc
    return con


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as con:
        if not engine.dialect.has_table(con, "alembic_version"):
            return None
        row = con.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def migrate(engine: Engine) -> None:
    """Bring the schema to head; a no-op (and no alembic import) when it already is."""
    rev = _current_revision(engine)
    if rev == HEAD_REVISION:
        return
    if rev is not None and rev not in KNOWN_REVISIONS:
        raise StoreError(
            f"the database {engine.url.render_as_string(hide_password=True)} was written by a newer "
            f"Recall (schema {rev}); update Recall to open it. It was left unchanged"
        )
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")


class Store:
    """The engine and a session factory for one database."""

    def __init__(self, url: str, *, check: bool = True, create: bool = True) -> None:
        """`create=False` (reading commands) refuses a database that does not exist yet with
        `NoDatabase` instead of making it and its folder."""
        from sqlalchemy import event
        from sqlalchemy.exc import DBAPIError
        from sqlalchemy.orm import sessionmaker

        self.url = url
        path = _sqlite_path(url)
        if path is not None:
            if not create and not path.is_file():
                raise NoDatabase(f"no Recall database at {path}")
            if check and path.exists():
                _check_existing(path)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
        self.path = path
        self.engine = _engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _on_connect)
        try:
            migrate(self.engine)
        except DBAPIError as exc:
            self.engine.dispose()
            if path is not None and isinstance(exc.orig, sqlite3.Error):
                raise StoreError(sqlite_problem(exc.orig, path)) from exc
            raise StoreError(f"cannot open the database {path or _shown(url)}: {_one_line(exc)}") from exc
        except StoreError:
            self.engine.dispose()
            raise
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return self.engine.dialect.name

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action = one transaction: all of it is saved, or none of it."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _shown(url: str) -> str:
    """A URL fit for a message: never the password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the given URL"


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc.orig or exc).split())


def _engine(url: str) -> Engine:
    """An engine for a SQLite or PostgreSQL URL; a missing driver is one readable line."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
    except Exception as exc:
        raise UnsupportedDatabase(f"not a database URL: {_shown(url)}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise UnsupportedDatabase(
            f"unsupported database URL {_shown(url)}; Recall supports SQLite files and postgresql://"
        )
    if parsed.get_backend_name() == "postgresql":
        if parsed.get_driver_name() in ("psycopg2", "pg8000", "asyncpg"):
            raise StoreError("Recall talks to PostgreSQL with psycopg 3: use postgresql+psycopg://...")
        parsed = parsed.set(drivername="postgresql+psycopg")  # plain postgresql:// too
        try:
            # pool_pre_ping: a laptop that slept or a server that restarted gives a fresh connection
            return create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        except (ImportError, NoSuchModuleError) as exc:
            raise StoreError(
                "PostgreSQL needs the psycopg driver: pip install 'recall[server]'"
            ) from exc
    try:
        return create_engine(parsed)
    except (ImportError, NoSuchModuleError, ArgumentError) as exc:
        raise UnsupportedDatabase(
            f"unsupported database URL {_shown(url)}; Recall supports SQLite files and postgresql://"
        ) from exc


def open_store(url: str) -> Store:
    return Store(url)
