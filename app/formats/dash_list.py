"""Notes-style lists: `- question` on one line, the answer on the next line(s).

A title line before the first dash (usually ending in "Flashcards") names the deck. A literal
`\\n` typed or copied into an answer becomes a real line break.
"""

from __future__ import annotations

import re

from app.formats.base import ParsedDeck, clean_page_text, make_card, no_cards, sanitize, title_without_suffix

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
    cards = []
    front: str | None = None
    answer: list[str] = []

    def flush() -> None:
        if front is not None:
            card = make_card(clean_page_text(front), clean_page_text("\n".join(answer)))
            if card:
                cards.append(card)

    for line in lines:
        m = _DASH.match(line)
        if m:
            flush()
            front, answer = m.group(1), []
        elif front is None:
            if line.strip() and name is None:
                name = title_without_suffix(clean_page_text(line)) or None
        else:
            answer.append(line)
    flush()
    cards = [c for c in cards if c.front]
    if not cards:
        raise no_cards("list", "expected `- question` lines, each followed by its answer")
    return ParsedDeck(name, cards, NAME)
