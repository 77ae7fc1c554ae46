"""Recall's own JSON export: one deck with its cards, lossless for front, back and tags.

    {"recall_deck": 1, "name": "...", "description": "...",
     "cards": [{"front": "...", "back": "...", "tags": ["..."]}, ...]}

Reading is lenient: a bare list of cards, and `term`/`definition` or `question`/`answer` keys,
are accepted too, so hand-written files import.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from app.formats.base import FormatError, ParsedDeck, incomplete_note, make_card, no_cards, sanitize
from app.store.repo import CardRecord

NAME = "json"
FORMAT_VERSION = 1

_FRONT_KEYS = ("front", "term", "question", "q")
_BACK_KEYS = ("back", "definition", "answer", "a")


def _field(card: dict, keys: Sequence[str]) -> str:
    for k in keys:
        v = card.get(k)
        if v is not None and not isinstance(v, (dict, list)):
            return sanitize(str(v)).strip()
    return ""


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(
            sanitize(str(t)).strip() for t in value if isinstance(t, (str, int, float)) and str(t).strip()
        )
    return ()


def looks_like(text: str) -> int:
    head = text.lstrip("\ufeff \t\n")[:1]
    if head not in ("{", "["):
        return 0
    return 10 if '"front"' in text or '"cards"' in text or '"recall_deck"' in text else 3


def parse(text: str) -> ParsedDeck:
    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise FormatError("not valid JSON (nested too deeply)") from None
    name = None
    if isinstance(doc, dict):
        raw_name = doc.get("name")
        name = sanitize(str(raw_name)).strip() or None if isinstance(raw_name, (str, int, float)) else None
        items = doc.get("cards")
    else:
        items = doc
    if not isinstance(items, list):
        raise FormatError('this JSON has no "cards" list; expected a Recall deck export')
    deck = ParsedDeck(name, [], NAME)
    for item in items:
        if not isinstance(item, dict):
            continue
        card = make_card(_field(item, _FRONT_KEYS), _field(item, _BACK_KEYS), _tags(item.get("tags")), deck)
        if card:
            deck.cards.append(card)
    if not deck.cards:
        hint = 'expected objects with "front" and "back"'
        if deck.incomplete:
            hint += f" ({incomplete_note(deck.incomplete)})"
        raise no_cards("JSON", hint)
    desc = doc.get("description") if isinstance(doc, dict) else None
    deck.description = sanitize(desc).strip() if isinstance(desc, str) else ""
    return deck


def dumps(name: str, records: Sequence[CardRecord], description: str = "") -> str:
    doc = {
        "recall_deck": FORMAT_VERSION,
        "name": name,
        "description": description,
        "cards": [{"front": r.front, "back": r.back, "tags": list(r.tags)} for r in records],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
