"""A copied Brainscape deck page.

Shape: a title line ending in "Flashcards", then for every card its number, a `Q` line, the
question (one or more lines), an `A` line, the answer (one or more lines) and the confidence
block ("How well did you know this?", 1..5, "Not at all", "Perfectly") that is page furniture.
"""

from __future__ import annotations

import re

from app.formats.base import (
    ParsedDeck,
    clean_page_text,
    make_card,
    no_cards,
    sanitize,
    title_without_suffix,
)

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
    name = None
    first = next((ln for ln in lines[: q_marks[0]] if ln and not _NUMBER.match(ln)), None)
    if first:
        name = title_without_suffix(clean_page_text(first)) or None
    cards = []
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
        question, answer = block[:a], block[a + 1 :]
        for i, ln in enumerate(answer):
            if _CONFIDENCE.match(ln):
                rest = [x for x in answer[i + 1 :] if x]
                if all(_CONFIDENCE_WORDS.match(x) for x in rest):
                    answer = answer[:i]
                break
        front = _LIST_NUMBER.sub("", _join(question), count=1)
        card = make_card(front, _join(answer))
        if card:
            cards.append(card)
    if not cards:
        raise no_cards("Brainscape page", "expected `Q` and `A` lines around each card")
    return ParsedDeck(name, cards, NAME)
