"""Anki note types: which of a note's fields make each of its cards, and what Recall cannot carry.

Anki keeps a note's fields once and makes cards from templates: "Basic (and reversed card)"
gives a Front→Back and a Back→Front card, a Cloze note one card per cloze number. Recall cards
are plain question / answer pairs, so every Anki card becomes one, with its review history
(revlog) kept for replaying into FSRS. Read from either schema:

- schema 11 (`collection.anki2` / `.anki21`): note types as JSON in `col.models`;
- schema 18 (`collection.anki21b`): tables `notetypes`, `fields`, `templates`, whose config
  blobs are protobuf (only two values are needed: the kind, and a template's question format).

What is not carried is counted by name in `unsupported`: note types Recall has no card for
(Image Occlusion), fields no template shows, and media files (Recall stores no media).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

_FIELD_REF = re.compile(r"\{\{([^#^/!{}][^{}]*)\}\}")
_SPECIAL = {"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag"}
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
_IMG = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'>\s]+)", re.I)
_SOUNDREF = re.compile(r"\[sound:([^\]]+)\]")
UNSUPPORTED_KINDS = ("image occlusion",)


@dataclass
class NoteType:
    name: str
    cloze: bool
    fields: list[str]
    templates: dict[int, tuple[str, str]] = field(default_factory=dict)  # ord -> (qfmt, afmt)


@dataclass
class AnkiCard:
    front_html: str
    back_html: str
    tags: str
    card_id: int | None
    deck_id: int | None


def _varint(blob: bytes, pos: int) -> tuple[int, int]:
    out = shift = 0
    while pos < len(blob):
        b = blob[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        if not b & 0x80:
            break
        shift += 7
    return out, pos


def _proto_fields(blob: bytes) -> dict[int, object]:
    """The first value of each top-level field of a protobuf message (enough for configs)."""
    out: dict[int, object] = {}
    pos = 0
    try:
        while pos < len(blob):
            key, pos = _varint(blob, pos)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, pos = _varint(blob, pos)
            elif wire == 2:
                size, pos = _varint(blob, pos)
                value, pos = blob[pos : pos + size], pos + size
            elif wire == 1:
                value, pos = blob[pos : pos + 8], pos + 8
            elif wire == 5:
                value, pos = blob[pos : pos + 4], pos + 4
            else:
                break
            out.setdefault(number, value)
    except (IndexError, ValueError):
        pass
    return out


def note_types(con: sqlite3.Connection) -> dict[int, NoteType]:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "notetypes" in tables:
        return _modern_types(con)
    row = con.execute("SELECT models FROM col").fetchone()
    try:
        models = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}
    out: dict[int, NoteType] = {}
    for key, m in (models.items() if isinstance(models, dict) else []):
        try:
            flds = [f["name"] for f in sorted(m["flds"], key=lambda f: f["ord"])]
            tmpls = {int(t["ord"]): (str(t["qfmt"]), str(t["afmt"])) for t in m["tmpls"]}
            out[int(key)] = NoteType(str(m["name"]), int(m.get("type", 0)) == 1, flds, tmpls)
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _modern_types(con: sqlite3.Connection) -> dict[int, NoteType]:
    out: dict[int, NoteType] = {}
    for ntid, name, config in con.execute("SELECT id, name, config FROM notetypes"):
        kind = _proto_fields(bytes(config or b"")).get(1, 0)
        out[int(ntid)] = NoteType(str(name), kind == 1, [])
    for ntid, _ord, name in con.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        if int(ntid) in out:
            out[int(ntid)].fields.append(str(name))
    for ntid, ord_, config in con.execute("SELECT ntid, ord, config FROM templates"):
        cfg = _proto_fields(bytes(config or b""))
        q, a = cfg.get(1, b""), cfg.get(2, b"")
        if int(ntid) in out and isinstance(q, bytes) and isinstance(a, bytes):
            out[int(ntid)].templates[int(ord_)] = (q.decode("utf-8", "replace"), a.decode("utf-8", "replace"))
    return out


def _refs(fmt: str, fields: list[str]) -> list[int]:
    """Indexes of the fields a template shows, in order ("type:Back" counts as Back)."""
    out = []
    for raw in _FIELD_REF.findall(fmt):
        name = raw.split(":")[-1].strip()
        if name in _SPECIAL or name not in fields:
            continue
        i = fields.index(name)
        if i not in out:
            out.append(i)
    return out


def _cloze_sides(text: str, number: int) -> tuple[str, str]:
    """Cloze `number` blanked (its hint or [...]), every other cloze filled in; and the answer."""

    def front(m: re.Match[str]) -> str:
        if int(m.group(1)) == number:
            return f"[{m.group(3)}]" if m.group(3) else "[...]"
        return m.group(2)

    return _CLOZE.sub(front, text), _CLOZE.sub(lambda m: m.group(2), text)


def media_of(fields: list[str]) -> set[tuple[str, str]]:
    found = {("image", name) for f in fields for name in _IMG.findall(f)}
    found |= {("audio", name) for f in fields for name in _SOUNDREF.findall(f)}
    return found


def collection_cards(
    con: sqlite3.Connection,
) -> tuple[list[AnkiCard], dict[int, list[tuple[int, int]]], dict[str, int]]:
    """Every Anki card as question/answer HTML, the review history per card id, and what was
    left out (name -> count)."""
    types = note_types(con)
    notes = con.execute("SELECT id, mid, flds, tags FROM notes ORDER BY id").fetchall()
    rows = con.execute("SELECT id, nid, ord, did FROM cards ORDER BY nid, ord").fetchall()
    by_note: dict[int, list[tuple[int, int, int]]] = {}
    for cid, nid, ord_, did in rows:
        by_note.setdefault(int(nid), []).append((int(cid), int(ord_), int(did) if did is not None else 0))
    unsupported: Counter[str] = Counter()
    media: set[tuple[str, str]] = set()
    out: list[AnkiCard] = []
    for nid, mid, flds, tags in notes:
        fields = str(flds or "").split("\x1f")
        tags = str(tags or "")
        media |= media_of(fields)
        cards = by_note.get(int(nid), [])
        nt = types.get(int(mid)) if mid is not None else None
        if nt is not None and any(k in nt.name.lower() for k in UNSUPPORTED_KINDS):
            unsupported[f"note type '{nt.name}'"] += 1
            continue
        if nt is None or (not nt.cloze and not nt.templates):
            # An unknown note type: the first field asks, the second answers (clozes all blank).
            first, second = (fields + ["", ""])[:2]
            if _CLOZE.search(first):
                blank = _CLOZE.sub(lambda m: f"[{m.group(3)}]" if m.group(3) else "[...]", first)
                filled = _CLOZE.sub(lambda m: m.group(2), first)
                out.append(AnkiCard(blank, filled + (f"<br>{second}" if second else ""), tags, None, _did(cards)))
            else:
                out.append(AnkiCard(first, second, tags, cards[0][0] if cards else None, _did(cards)))
            continue
        if nt.cloze:
            text, extra = fields[0], (fields[1] if len(fields) > 1 else "")
            numbers = sorted({int(n) for n, _t, _h in _CLOZE.findall(text)})
            by_ord = {o: (c, d) for c, o, d in cards}
            for number in numbers or [1]:
                cid, did = by_ord.get(number - 1, (None, _did(cards)))
                q, a = _cloze_sides(text, number)
                out.append(AnkiCard(q, a + (f"<br>{extra}" if extra else ""), tags, cid, did))
            continue
        shown: set[int] = set()
        for cid, ord_, did in cards:
            qfmt, afmt = nt.templates.get(ord_, nt.templates.get(0, ("", "")))
            q_refs = _refs(qfmt, nt.fields)
            a_refs = [i for i in _refs(afmt, nt.fields) if i not in q_refs]
            if not q_refs:
                unsupported[f"note type '{nt.name}' card '{ord_ + 1}' without a field on its front"] += 1
                continue
            shown |= set(q_refs) | set(a_refs)
            q = "<br>".join(fields[i] for i in q_refs if i < len(fields) and fields[i])
            a = "<br>".join(fields[i] for i in a_refs if i < len(fields) and fields[i])
            out.append(AnkiCard(q, a, tags, cid, did))
        for i, name in enumerate(nt.fields):
            if i not in shown and i < len(fields) and fields[i].strip():
                unsupported[f"field '{name}' of note type '{nt.name}' (shown on no card)"] += 1
    for kind, _name in media:
        unsupported[f"{kind} media files (Recall stores no media)"] += 1
    return out, _reviews(con), dict(unsupported)


def _did(cards: list[tuple[int, int, int]]) -> int | None:
    return cards[0][2] if cards else None


def _reviews(con: sqlite3.Connection) -> dict[int, list[tuple[int, int]]]:
    """Per card id: (time in ms, ease 1..4) of its real reviews, oldest first. Manual
    reschedules (type 4) and ease 0 rows are not answers and are skipped."""
    out: dict[int, list[tuple[int, int]]] = {}
    try:
        rows = con.execute("SELECT id, cid, ease, type FROM revlog ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        return out
    for rid, cid, ease, kind in rows:
        if kind in (0, 1, 2, 3) and ease in (1, 2, 3, 4):
            out.setdefault(int(cid), []).append((int(rid), int(ease)))
    return out
