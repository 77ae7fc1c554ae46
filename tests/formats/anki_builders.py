"""Build Anki packages for tests with plain SQL, independently of Recall's own exporter.

`legacy_package` writes a schema-11 collection (`collection.anki2` or `collection.anki21`), as
Anki 2.0/2.1 exported; `modern_package` writes a schema-18 collection compressed with zstd as
`collection.anki21b`, plus the stub `collection.anki2` that newer Anki adds for old clients.
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import zstandard

NOTES_AND_CARDS = """
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
  left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
"""
COL = """CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);"""

# (fields, tags): fields joined with \x1f as Anki stores them.
LEGACY_NOTES = [
    (["What does <b>HTML</b> stand for?", "HyperText Markup Language"], "web acronyms"),
    (["Line breaks", "first<br>second<div>third</div>"], ""),
    (["Entities", "caf&eacute; &amp; cr&egrave;me&nbsp;br&ucirc;l&eacute;e"], "food"),
    (["{{c1::Paris}} is the capital of {{c2::France::country}}", "Extra fact"], "cloze"),
    (['Sound [sound:hello.mp3]<img src="x.png">', 'Back with <span style="color:red">colour</span>'], ""),
]
MODERN_NOTES = [
    (["Modern front one", "Modern back one"], "modern"),
    (["Modern <i>front</i> two", "Modern back<br/>two"], "modern two"),
    (["Modern front three", "Modern back three"], ""),
]


def _fill(con: sqlite3.Connection, notes, deck_id: int) -> None:
    for i, (fields, tags) in enumerate(notes, start=1):
        nid = 1_700_000_000_000 + i
        con.execute(
            "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (nid, f"g{i}", 42, 0, 0, f" {tags} " if tags else "", "\x1f".join(fields), fields[0], 0, 0, ""),
        )
        con.execute(
            "INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (nid, nid, deck_id, 0, 0, 0, 0, 0, i, 0, 0, 0, 0, 0, 0, 0, 0, ""),
        )


def _db_bytes(build) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.db"
        con = sqlite3.connect(path)
        build(con)
        con.commit()
        con.close()
        return path.read_bytes()


def legacy_collection(notes=LEGACY_NOTES, deck_name: str = "Web::Basics") -> bytes:
    def build(con):
        con.executescript(NOTES_AND_CARDS + COL)
        decks = {"1": {"id": 1, "name": "Default"}, "77": {"id": 77, "name": deck_name}}
        con.execute(
            "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}','{}',?,'{}','{}')",
            (json.dumps(decks),),
        )
        _fill(con, notes, 77)

    return _db_bytes(build)


def modern_collection(notes=MODERN_NOTES, deck_name: str = "Modern deck") -> bytes:
    def build(con):
        con.executescript(NOTES_AND_CARDS + COL)
        con.execute(
            "CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL, mtime_secs integer NOT NULL,"
            " usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL)"
        )
        con.execute("INSERT INTO col VALUES (1,0,0,0,18,0,0,0,'','','','','')")
        con.execute("INSERT INTO decks VALUES (1, 'Default', 0, 0, x'', x'')")
        con.execute("INSERT INTO decks VALUES (88, ?, 0, 0, x'', x'')", (deck_name.replace("::", "\x1f"),))
        _fill(con, notes, 88)

    return _db_bytes(build)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def legacy_package(member: str = "collection.anki2", **kw) -> bytes:
    return zip_bytes({member: legacy_collection(**kw), "media": b"{}"})


def modern_package(**kw) -> bytes:
    stub = legacy_collection(
        notes=[(["Please update to the latest Anki version.", ""], "")], deck_name="Stub"
    )
    return zip_bytes(
        {
            "collection.anki2": stub,
            "collection.anki21b": _stream_compress(modern_collection(**kw)),
            "media": zstandard.ZstdCompressor().compress(b""),
            "meta": b"\x08\x03",
        }
    )


def _stream_compress(data: bytes) -> bytes:
    """A zstd frame without a content size in its header, as a streaming writer makes."""
    cobj = zstandard.ZstdCompressor().compressobj()
    return cobj.compress(data) + cobj.flush()
