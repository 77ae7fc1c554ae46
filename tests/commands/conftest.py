"""The CLI tests' shared set-up: running `recall` in-process on the test database, and a
fingerprint of that database to show a failed command wrote nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import main


@pytest.fixture
def run(db_path, capsys) -> Callable[..., tuple[int, str, str]]:
    """Run `recall --db DB ARGS...`; returns (exit code, stdout, stderr)."""

    def go(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return go


def _fingerprint(db_path: Path) -> tuple[int, str]:
    con = sqlite3.connect(db_path)
    try:
        n = con.execute("SELECT count(*) FROM cards").fetchone()[0]
        digest = hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()
    return n, digest


@pytest.fixture
def db_state() -> Callable[[Path], tuple[int, str]]:
    """`db_state(path)`: the number of cards and a hash of the full SQL dump; any write changes one."""
    return _fingerprint
