"""The database's errors are said as what they are: a read-only folder or file, a full disk (or a
file size limit), a missing database, an unsupported URL; only real damage is called damage.

The errors come from real SQLite: a real read-only connection, a real file size limit in a child
process, a real folder without write permission (as `nobody` when the tests run as root).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from app.store.db import NoDatabase, Store, StoreError, UnsupportedDatabase, is_damage, sqlite_problem

ROOT = Path(__file__).resolve().parents[2]


def _error(fn) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        fn()
    return info.value


def test_a_read_only_database_is_not_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    sqlite3.connect(path).execute("CREATE TABLE t(x)").connection.commit()
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    exc = _error(lambda: con.execute("INSERT INTO t VALUES (1)"))
    con.close()
    assert not is_damage(exc)
    msg = sqlite_problem(exc, path)
    assert "damaged" not in msg and "read-only" in msg and str(path) in msg


def test_a_damaged_file_is_still_called_damaged(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    exc = _error(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall())
    assert is_damage(exc)
    assert "is damaged" in sqlite_problem(exc, path)


def test_a_full_disk_reads_as_a_full_disk() -> None:
    """SQLITE_FULL as a real statement raises it: a page-count cap is SQLite's own 'disk full'."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t(x)")
    con.execute("PRAGMA max_page_count=2")
    exc = _error(lambda: [con.execute("INSERT INTO t VALUES (?)", ("x" * 4000,)) for _ in range(20)])
    assert exc.sqlite_errorname == "SQLITE_FULL"
    msg = sqlite_problem(exc, None)
    assert "the disk is full" in msg and "damaged" not in msg


_FSIZE_CHILD = r"""
import resource, signal, sqlite3, sys
from pathlib import Path
from app.store.db import sqlite_problem
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
path = Path(sys.argv[1])
con = sqlite3.connect(path)
con.execute("PRAGMA journal_mode=WAL")
con.execute("CREATE TABLE t(x)")
con.commit()
resource.setrlimit(resource.RLIMIT_FSIZE, (32768, 32768))
try:
    for _ in range(200):
        con.execute("INSERT INTO t VALUES (?)", ("x" * 1000,))
    con.commit()
except sqlite3.Error as exc:
    print(exc.sqlite_errorname)
    print(sqlite_problem(exc, path))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_file_size_limit_is_a_disk_problem_not_damage(tmp_path: Path) -> None:
    got = subprocess.run(
        [sys.executable, "-c", _FSIZE_CHILD, str(tmp_path / "f.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert got.returncode == 0, got.stderr
    name, msg = got.stdout.strip().splitlines()
    assert name.startswith(("SQLITE_IOERR", "SQLITE_FULL")), name
    assert "damaged" not in msg
    assert "disk" in msg and ("full" in msg or "size limit" in msg), msg


def test_an_unsupported_url_is_usage_not_a_traceback() -> None:
    for url in ("mysql://user@localhost/recall", "notaurl://x", "oracle://a/b"):
        with pytest.raises(UnsupportedDatabase, match="Recall supports SQLite files and postgresql://"):
            Store(url)


def test_create_false_makes_no_database_nor_folder(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "x.db"
    with pytest.raises(NoDatabase, match=f"no Recall database at {target}"):
        Store(f"sqlite:///{target}", create=False)
    assert not target.parent.exists()
    Store(f"sqlite:///{target}").close()  # the default still makes it
    assert target.is_file()
    Store(f"sqlite:///{target}", create=False).close()


_READ_ONLY_CHILD = r"""
import json, sys
from app.store.db import Store, StoreError, sqlite_reader
url = "sqlite:///" + sys.argv[1]
con = sqlite_reader(url)
names = [r[0] for r in con.execute("SELECT name FROM decks ORDER BY name")]
con.close()
try:
    Store(url)
    opened = None
except StoreError as exc:
    opened = str(exc)
print(json.dumps({"names": names, "opened": opened}))
"""


def _as_reader(cmd: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    """Run `cmd` where `folder` is read-only: chmod as a normal user; as root, a chmod does not
    bind, so the child runs as `nobody`."""
    user = None
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("nobody")
        except (ImportError, KeyError):
            pytest.skip("running as root without a 'nobody' user to drop to")
        user = "nobody"
    try:
        return subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=300, user=user,
            env={**os.environ, "HOME": str(folder.parent), "RECALL_HOME": str(folder.parent / "home")},
        )
    except PermissionError:
        pytest.skip("running as root, and 'nobody' may not run this Python")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_lists_and_says_read_only() -> None:
    # Not tmp_path: as root the child runs as nobody, who may not enter pytest's 0700 folders.
    base = Path(tempfile.mkdtemp(prefix="recall-ro-"))
    try:
        base.chmod(0o755)
        folder = base / "data"
        folder.mkdir()
        db = folder / "recall.db"
        store = Store(f"sqlite:///{db}")
        with store.transaction() as s:
            from app.store.repo import get_or_create_deck

            get_or_create_deck(s, "Biology")
        store.close()
        for p in folder.iterdir():
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        folder.chmod(0o555)
        got = _as_reader([sys.executable, "-c", _READ_ONLY_CHILD, str(db)], folder)
        assert got.returncode == 0, got.stderr
        import json

        doc = json.loads(got.stdout)
        assert doc["names"] == ["Biology"]
        assert doc["opened"] is not None and "damaged" not in doc["opened"], doc
        assert "read-only" in doc["opened"], doc
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir():
                p.chmod(0o755)
        shutil.rmtree(base)


def test_where_the_folder_is_not_writable_the_reader_opens_immutable(tmp_path: Path, monkeypatch) -> None:
    """The same path as root can take: the folder reported not writable (as os.access says it
    for a normal user), real SQLite behind it. Listing reads the file without making -shm, and a
    real SQLITE_READONLY error is worded as the folder's."""
    from app.store import db as dbmod
    from app.store.repo import get_or_create_deck

    path = tmp_path / "recall.db"
    store = Store(f"sqlite:///{path}")
    with store.transaction() as s:
        get_or_create_deck(s, "Chemistry")
    store.close()
    for extra in (tmp_path / "recall.db-wal", tmp_path / "recall.db-shm"):
        assert not extra.exists()  # a clean close leaves the file alone, as a read-only folder holds it
    monkeypatch.setattr(dbmod, "_folder_writable", lambda _p: False)
    con = dbmod.sqlite_reader(f"sqlite:///{path}")
    assert con is not None
    assert [r[0] for r in con.execute("SELECT name FROM decks")] == ["Chemistry"]
    exc = _error(lambda: con.execute("INSERT INTO decks(name) VALUES ('x')"))
    con.close()
    assert not (tmp_path / "recall.db-shm").exists()
    msg = sqlite_problem(exc, path)
    assert msg.startswith(f"the folder {tmp_path} is read-only"), msg


def test_store_error_is_the_base_of_both() -> None:
    assert issubclass(NoDatabase, StoreError) and issubclass(UnsupportedDatabase, StoreError)
