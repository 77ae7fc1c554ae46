"""A copied Brainscape deck page.

Shape: a title line ending in "Flashcards", then for every card its number, a `Q` line, the
question (one or more lines), an `A` line, the answer (one or more lines) and the confidence
block ("How well did you know this?", 1..5, "Not at all", "Perfectly") that is page furniture.
"""

from __future__ import annotations

import re

from app.formats import furniture
from app.formats.base import (
    ParsedDeck,
    clean_page_text,
    no_cards,
    sanitize,
    title_without_suffix,
)
from app.formats.layout import layout_from_cards

NAME = "brainscape"

_CONFIDENCE = re.compile(r"^how well did you know this\??$", re.I)
_CONFIDENCE_WORDS = re.compile(r"^(\d|not at all|perfectly)$", re.I)
_NUMBER = re.compile(r"^\d+$")
_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s+")


def looks_like(text: str) -> int:
    lines = [ln.strip() for ln in text.split("\n")]
    qs = sum(1 for ln in lines if ln == "Q")
    as_ = sum(1 for ln in lines if ln == "A")
    score = 0
    if qs and as_ and abs(qs - as_) <= 1:
        score += 2 + min(qs, 3)
    score += 2 * min(3, sum(1 for ln in lines if _CONFIDENCE.match(ln)))
    return score


def _join(lines: list[str]) -> str:
    return clean_page_text("\n".join(lines))


def parse(text: str) -> ParsedDeck:
    lines = [ln.strip() for ln in sanitize(text).split("\n")]
    q_marks = [i for i, ln in enumerate(lines) if ln == "Q"]
    if not q_marks:
        raise no_cards("Brainscape page", "expected `Q` and `A` lines around each card")
    dropped: list[tuple[int, str, str]] = []
    used: set[int] = set()  # indexes of lines that went into a card
    footer = len(lines)
    name = None
    first = next((i for i, ln in enumerate(lines[: q_marks[0]]) if ln and not _NUMBER.match(ln)), None)
    if first is not None:
        name = title_without_suffix(clean_page_text(lines[first])) or None
    cards: list[tuple[int, str, int, str]] = []
    for n, q in enumerate(q_marks):
        end = q_marks[n + 1] if n + 1 < len(q_marks) else len(lines)
        # The next card's number sits just before its `Q` (blank lines aside).
        if n + 1 < len(q_marks):
            k = end - 1
            while k > q and not lines[k]:
                k -= 1
            if _NUMBER.match(lines[k]):
                end = k
        block = lines[q + 1 : end]
        try:
            a = block.index("A")
        except ValueError:
            continue
        question = _keep(block[:a], q + 1, dropped, used)
        answer = block[a + 1 :]
        for i, ln in enumerate(answer):
            if _CONFIDENCE.match(ln):
                answer = answer[:i]  # the rating block, and whatever page follows it
                break
            if furniture.is_footer(ln):
                answer = answer[:i]
                footer = q + a + 2 + i
                break
        answer = _keep(answer, q + a + 2, dropped, used)
        front = _LIST_NUMBER.sub("", _join(question), count=1)
        back = _join(answer)
        if front or back:
            cards.append((q + 2, front, q + a + 3, back))
    seen = {line - 1 for line, _t, _r in dropped}
    for i, ln in enumerate(lines):
        if ln and i not in used and i not in seen:
            if furniture.is_footer(ln):
                footer = min(footer, i)
            reason = furniture.REASON_TITLE if i == first else _reason(ln)
            if i >= footer:
                reason = furniture.REASON_FOOTER
            if reason == "how-well-did-you-know rating" and i + 1 < len(lines) and lines[i + 1] == "Q":
                reason = furniture.REASON_NUMBER
            dropped.append((i + 1, ln, reason))
    if not cards:
        raise no_cards("Brainscape page", "expected `Q` and `A` lines around each card")
    layout = layout_from_cards(cards, dropped)
    return ParsedDeck(name, layout.cards(), NAME, layout=layout, confidence=0.95)


def _keep(block: list[str], start: int, dropped: list[tuple[int, str, str]], used: set[int]) -> list[str]:
    """The block's lines without furniture (recorded in `dropped`); `start` is its first index."""
    out = []
    for i, ln in enumerate(block):
        reason = furniture.classify(ln) if ln else None
        if reason:
            dropped.append((start + i + 1, ln, reason))
        else:
            out.append(ln)
            used.add(start + i)
    return out


def _reason(line: str) -> str:
    if line in ("Q", "A"):
        return furniture.REASON_LABEL
    if _CONFIDENCE.match(line) or _CONFIDENCE_WORDS.match(line):
        return "how-well-did-you-know rating"
    return furniture.classify(line) or furniture.REASON_STRAY
