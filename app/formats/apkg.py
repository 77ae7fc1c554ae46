"""Anki packages (`.apkg`): read legacy and current ones, write one Anki imports.

A package is a zip. Inside, the collection is a SQLite database named
- `collection.anki21b` (Anki 2.1.50+, zstd-compressed, schema 18; such packages also carry a
  stub `collection.anki2` that only says "please update Anki", so the b-file wins),
- `collection.anki21` (2.1.x, schema 11), or
- `collection.anki2` (2.0, schema 11).
Every note becomes one card: its first field is the front, its second the back (cloze notes:
the text with `[...]` blanks, and the text filled in). HTML becomes plain text; tags are kept.

Writing produces the legacy schema-11 `collection.anki2` with one Basic note type, which every
Anki version since 2.0 imports, and a `media` file holding `{}`.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import secrets
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from app.formats.anki_models import collection_cards
from app.formats.base import FormatError, ParsedDeck, incomplete_note, make_card, no_cards, tidy
from app.store.repo import CardRecord

NAME = "apkg"
ZIP_MAGIC = b"PK\x03\x04"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
SQLITE_MAGIC = b"SQLite format 3\x00"
_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_MAX_COLLECTION = 4 << 30  # refuse to inflate anything claiming more than 4 GiB

# --- HTML → text ------------------------------------------------------------------------------

_DROP_BLOCKS = re.compile(r"<(style|script)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_LINE_TAGS = re.compile(r"<\s*br\s*/?\s*>|<\s*/?\s*(div|p|li|tr|h[1-6]|blockquote|ul|ol|table)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)


def html_to_text(value: str) -> str:
    """An Anki field's HTML as the plain text a person reads: line breaks kept, tags and sounds out."""
    value = _DROP_BLOCKS.sub("", value)
    value = _SOUND.sub("", value)
    value = _LINE_TAGS.sub("\n", value)
    value = _TAG.sub("", value)
    value = html.unescape(value).replace("\u00a0", " ")
    return tidy(value)


def text_to_html(value: str) -> str:
    return html.escape(value, quote=False).replace("\n", "<br>")


# --- reading ----------------------------------------------------------------------------------


def _unzstd(data: bytes) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data))
        out = reader.read(_MAX_COLLECTION + 1)
    except zstandard.ZstdError as exc:
        raise FormatError(f"the Anki package's collection is damaged (zstd: {exc})") from None
    if len(out) > _MAX_COLLECTION:
        raise FormatError("the Anki package's collection is too large to import")
    return out


def _read_member(data: bytes) -> tuple[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (
        Exception
    ) as exc:  # BadZipFile, but hostile headers also raise NotImplementedError, struct.error...
        raise FormatError(f"not a readable Anki package (damaged zip: {exc})") from None
    with zf:
        names = {info.filename: info for info in zf.infolist()}
        member = next((m for m in _MEMBERS if m in names), None)
        if member is None:
            raise FormatError(
                "this zip is not an Anki package: it holds no collection.anki2, anki21 or anki21b"
            )
        if names[member].file_size > _MAX_COLLECTION:
            raise FormatError("the Anki package's collection is too large to import")
        try:
            raw = zf.read(member)
        except Exception as exc:  # bad CRC, truncated or corrupt deflate stream, unknown method
            raise FormatError(f"the Anki package is damaged ({type(exc).__name__}: {exc})") from None
    if member.endswith("b") or raw.startswith(ZSTD_MAGIC):
        raw = _unzstd(raw)
    if not raw.startswith(SQLITE_MAGIC):
        raise FormatError(f"the Anki package's {member} is not a database; the package is damaged")
    return member, raw


def _deck_names(con: sqlite3.Connection) -> dict[int, str]:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "decks" in tables:  # schema 15+: one row per deck, levels separated by \x1f
        return {int(i): str(n).replace("\x1f", "::") for i, n in con.execute("SELECT id, name FROM decks")}
    row = con.execute("SELECT decks FROM col").fetchone()
    try:
        decks = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}
    if not isinstance(decks, dict):
        return {}
    out = {}
    for key, deck in decks.items():
        if isinstance(deck, dict) and isinstance(deck.get("name"), str):
            try:
                out[int(key)] = deck["name"]
            except ValueError:
                continue
    return out


def _read_collection(raw: bytes) -> ParsedDeck:
    with tempfile.TemporaryDirectory(prefix="recall-apkg-") as tmp:
        db = Path(tmp) / "collection.sqlite"
        db.write_bytes(raw)
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            anki_cards, reviews, unsupported = collection_cards(con)
            names = _deck_names(con)
        except (sqlite3.DatabaseError, sqlite3.InterfaceError) as exc:
            raise FormatError(f"the Anki package's collection is damaged ({exc})") from None
        finally:
            con.close()
    cards = []
    history: list[list[tuple[int, int]]] = []
    decks: Counter[int] = Counter()
    parsed = ParsedDeck(None, cards, NAME, unsupported=unsupported)
    for ac in anki_cards:
        # Anki allows a note with an empty back; Recall skips it with its reason, as for any format.
        card = make_card(
            html_to_text(ac.front_html), html_to_text(ac.back_html), tuple(ac.tags.split()), parsed
        )
        if card:
            cards.append(card)
            history.append(reviews.get(ac.card_id, []) if ac.card_id is not None else [])
            if isinstance(ac.deck_id, int):
                decks[ac.deck_id] += 1
    if not cards:
        why = incomplete_note(parsed.incomplete)
        raise no_cards("Anki package", f"its notes are all empty ({why})" if why else "its notes are all empty")
    if decks:
        top = names.get(decks.most_common(1)[0][0])
        if top and top != "Default":
            parsed.name = top
    parsed.extra = {"reviews": history} if any(history) else {}
    return parsed


def parse_bytes(data: bytes) -> ParsedDeck:
    """Cards from the bytes of an `.apkg` file; FormatError if it is not a readable package."""
    if not data:
        raise FormatError("the Anki package is empty")
    if not data.startswith(ZIP_MAGIC):
        raise FormatError("not an Anki package (an .apkg file is a zip archive)")
    _member, raw = _read_member(data)
    return _read_collection(raw)


def looks_like(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


# --- writing ----------------------------------------------------------------------------------

_SCHEMA11 = """
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
  ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
  models text not null, decks text not null, dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null,
  usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null,
  flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null,
  mod integer not null, usn integer not null, type integer not null, queue integer not null, due integer not null,
  ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
  left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null,
  ivl integer not null, lastIvl integer not null, factor integer not null, time integer not null,
  type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""

_CSS = ".card {\n font-family: arial;\n font-size: 20px;\n text-align: center;\n color: black;\n background-color: white;\n}\n"
_LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n"
    "\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)


def _field_def(name: str, ord_: int) -> dict:
    return {
        "name": name,
        "ord": ord_,
        "sticky": False,
        "rtl": False,
        "font": "Arial",
        "size": 20,
        "media": [],
    }


def _collection_json(deck_id: int, deck_name: str, model_id: int, now: int, n_cards: int) -> dict[str, str]:
    model = {
        "id": model_id,
        "name": "Basic (Recall)",
        "type": 0,
        "mod": now,
        "usn": -1,
        "sortf": 0,
        "did": deck_id,
        "tmpls": [
            {
                "name": "Card 1",
                "ord": 0,
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
                "did": None,
                "bqfmt": "",
                "bafmt": "",
            }
        ],
        "flds": [_field_def("Front", 0), _field_def("Back", 1)],
        "css": _CSS,
        "latexPre": _LATEX_PRE,
        "latexPost": "\\end{document}",
        "latexsvg": False,
        "req": [[0, "any", [0]]],
        "tags": [],
        "vers": [],
    }

    def deck(did: int, name: str) -> dict:
        return {
            "id": did,
            "mod": now,
            "name": name,
            "usn": -1,
            "lrnToday": [0, 0],
            "revToday": [0, 0],
            "newToday": [0, 0],
            "timeToday": [0, 0],
            "collapsed": False,
            "browserCollapsed": False,
            "desc": "",
            "dyn": 0,
            "conf": 1,
            "extendNew": 0,
            "extendRev": 0,
        }

    dconf = {
        "id": 1,
        "mod": 0,
        "name": "Default",
        "usn": 0,
        "maxTaken": 60,
        "autoplay": True,
        "timer": 0,
        "replayq": True,
        "dyn": False,
        "new": {
            "bury": False,
            "delays": [1.0, 10.0],
            "initialFactor": 2500,
            "ints": [1, 4, 0],
            "order": 1,
            "perDay": 20,
        },
        "rev": {
            "bury": False,
            "ease4": 1.3,
            "ivlFct": 1.0,
            "maxIvl": 36500,
            "perDay": 200,
            "hardFactor": 1.2,
        },
        "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
    }
    conf = {
        "activeDecks": [deck_id],
        "curDeck": deck_id,
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": True,
        "dueCounts": True,
        "curModel": model_id,
        "nextPos": n_cards + 1,
        "sortType": "noteFld",
        "sortBackwards": False,
        "addToCur": True,
    }
    return {
        "conf": json.dumps(conf),
        "models": json.dumps({str(model_id): model}),
        "decks": json.dumps({"1": deck(1, "Default"), str(deck_id): deck(deck_id, deck_name)}),
        "dconf": json.dumps({"1": dconf}),
    }


def _checksum(text: str) -> int:
    """Anki's duplicate check: the first 8 hex digits of the SHA-1 of the first field's text."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def build_collection(db_path: Path, deck_name: str, records: Sequence[CardRecord]) -> None:
    """Write a schema-11 Anki collection holding one deck of Basic notes."""
    now = int(time.time())
    base_ms = int(time.time() * 1000)
    deck_id = base_ms
    model_id = base_ms + 1
    con = sqlite3.connect(db_path)
    try:
        con.executescript(_SCHEMA11)
        meta = _collection_json(deck_id, deck_name, model_id, now, len(records))
        con.execute(
            "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')",
            (now - now % 86400, base_ms, base_ms, meta["conf"], meta["models"], meta["decks"], meta["dconf"]),
        )
        notes, cards = [], []
        for i, rec in enumerate(records):
            nid = base_ms + i
            tags = f" {' '.join(rec.tags)} " if rec.tags else ""
            flds = f"{text_to_html(rec.front)}\x1f{text_to_html(rec.back)}"
            notes.append(
                (
                    nid,
                    secrets.token_hex(5),
                    model_id,
                    now,
                    -1,
                    tags,
                    flds,
                    rec.front,
                    _checksum(rec.front),
                    0,
                    "",
                )
            )
            cards.append((nid, nid, deck_id, 0, now, -1, 0, 0, i + 1, 0, 0, 0, 0, 0, 0, 0, 0, ""))
        con.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        con.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        con.commit()
    finally:
        con.close()


def apkg_bytes(deck_name: str, records: Sequence[CardRecord]) -> bytes:
    """An Anki package holding `records` as one deck of Basic notes."""
    with tempfile.TemporaryDirectory(prefix="recall-apkg-") as tmp:
        db = Path(tmp) / "collection.anki2"
        build_collection(db, deck_name, records)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(db, "collection.anki2")
            zf.writestr("media", "{}")
        return buf.getvalue()
