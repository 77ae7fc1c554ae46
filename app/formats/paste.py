"""Pasted pages to units, units to a deck: the shared path of the line and paragraph readers.

Line pages (Knowt, plain "question / answer" lines) use one unit per non-blank line; paragraph
pages (Quizlet-like) one unit per blank-line-separated paragraph. Everything from a "related
sets" footer heading on is furniture; the rest goes through `structure.pair_units`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.formats import furniture
from app.formats.base import (
    FormatError,
    ParsedDeck,
    clean_page_text,
    no_cards,
    sanitize,
    title_without_suffix,
)
from app.formats.layout import Layout, Unit
from app.formats.structure import CancelFn, ProgressFn, pair_units, strip_role_prefix

MAX_PASTE_CHARS = 50_000_000  # a 10 MB paste imports; a 200 MB one is refused before any work
MAX_PASTE_BYTES = 2 * MAX_PASTE_CHARS

_BLANK = re.compile(r"^[ \t\u00a0]*$")


def too_large(size: int, unit: str = "characters") -> FormatError:
    return FormatError(
        f"the text is too large to import ({size / 1e6:.0f} million {unit}); split it into pieces "
        f"under {MAX_PASTE_CHARS // 1_000_000} million characters"
    )


def check_size(text: str) -> None:
    if len(text) > MAX_PASTE_CHARS:
        raise too_large(len(text))


def line_units(text: str) -> list[Unit]:
    return [Unit(line, n) for n, line in enumerate(sanitize(text).split("\n"), start=1) if line.strip()]


def paragraph_units(text: str) -> list[Unit]:
    units: list[Unit] = []
    block: list[str] = []
    start = 0
    for n, line in enumerate(sanitize(text).split("\n"), start=1):
        if _BLANK.match(line):
            if block:
                units.append(Unit("\n".join(block).strip(), start))
                block = []
            continue
        if not block:
            start = n
        block.append(line)
    if block:
        units.append(Unit("\n".join(block).strip(), start))
    return units


def mark_footer(units: list[Unit]) -> None:
    """A "related sets" heading and everything after it are furniture, as are "View Set" links."""
    for i, u in enumerate(units):
        first = u.text.strip().split("\n", 1)[0]
        if i >= 1 and furniture.is_footer(first):
            for rest in units[i:]:
                rest.reason = rest.reason or furniture.REASON_FOOTER
            break
    for u in units:
        if u.reason is None and furniture.is_view_set(u.text):
            u.reason = "view-set link"


def _question(text: str) -> str:
    return clean_page_text(strip_role_prefix(text))


def build_deck(
    units: list[Unit],
    fmt: str,
    *,
    lines: bool,
    kind: str,
    hint: str,
    clean_answer: Callable[[str], str] | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ParsedDeck:
    mark_footer(units)
    pairing = pair_units(units, lines=lines, progress=progress, cancel=cancel)
    answer = clean_answer or clean_page_text
    layout = Layout(
        units, clean_question=_question, clean_answer=lambda t: answer(strip_role_prefix(t))
    )
    cards = layout.cards()
    if not cards:
        raise no_cards(kind, hint)
    name = title_without_suffix(pairing.title) if pairing.title else None
    return ParsedDeck(
        name or None,
        cards,
        fmt,
        layout=layout,
        confidence=pairing.confidence,
        uncertain=pairing.uncertain,
    )
