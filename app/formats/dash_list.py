"""Notes-style lists: `- question` on one line, the answer on the next line(s).

A title line before the first dash (usually ending in "Flashcards") names the deck. A literal
`\\n` typed or copied into an answer becomes a real line break.
"""

from __future__ import annotations

import re

from app.formats import furniture
from app.formats.base import ParsedDeck, clean_page_text, no_cards, sanitize, title_without_suffix
from app.formats.layout import layout_from_cards

NAME = "dash-list"

_DASH = re.compile(r"^\s*[-–—*]\s+(.*)$")


def looks_like(text: str) -> int:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines:
        return 0
    dashes = [i for i, ln in enumerate(lines) if _DASH.match(ln)]
    if len(dashes) < 1:
        return 0
    # Questions and answers alternate: most dash lines are followed by a plain line.
    followed = sum(1 for i in dashes if i + 1 < len(lines) and not _DASH.match(lines[i + 1]))
    if followed < max(1, 0.6 * len(dashes)):
        return 0
    return 2 + min(3, followed)


def parse(text: str) -> ParsedDeck:
    lines = sanitize(text).split("\n")
    name = None
    cards: list[tuple[int, str, int, str]] = []
    dropped: list[tuple[int, str, str]] = []
    front: tuple[int, str] | None = None
    answer: list[tuple[int, str]] = []

    def flush() -> None:
        if front is not None:
            a_line = answer[0][0] if answer else front[0]
            cards.append((front[0], front[1], a_line, "\n".join(t for _n, t in answer)))

    footer = False
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            if front is not None:
                answer.append((n, line))
            continue
        if footer or (cards or front) and furniture.is_footer(line):
            footer = True
            dropped.append((n, line.strip(), furniture.REASON_FOOTER))
            continue
        m = _DASH.match(line)
        reason = None if m else furniture.classify(line)
        if reason:
            dropped.append((n, line.strip(), reason))
        elif m:
            flush()
            front, answer = (n, m.group(1)), []
        elif front is None:
            if name is None:
                name = title_without_suffix(clean_page_text(line)) or None
                dropped.append((n, line.strip(), furniture.REASON_TITLE))
            else:
                dropped.append((n, line.strip(), furniture.REASON_STRAY))
        else:
            answer.append((n, line))
    flush()
    cards = [c for c in cards if clean_page_text(c[1])]
    if not cards:
        raise no_cards("list", "expected `- question` lines, each followed by its answer")
    layout = layout_from_cards(cards, dropped, clean=clean_page_text)
    out = layout.cards()
    if not out:
        raise no_cards("list", "expected `- question` lines, each followed by its answer")
    return ParsedDeck(name, out, NAME, layout=layout, confidence=0.95)
