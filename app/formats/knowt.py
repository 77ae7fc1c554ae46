"""A copied Knowt set page.

Shape: a header block of page furniture (the `1/N` card counter, the tags line, the study-mode
table `Name | Mastery | ...` with its `|---|` rule, "No analytics yet", the share line), then
lines alternating question / answer. The page has no deck title, so the name comes from the file.
Plain pasted "question / answer" lines are read the same way; the pairing itself is
structure.py's (a stray line never shifts it).
"""

from __future__ import annotations

import re

from app.formats import furniture
from app.formats.base import ParsedDeck
from app.formats.paste import build_deck, line_units
from app.formats.structure import CancelFn, ProgressFn

NAME = "knowt"

COUNTER = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")
_FURNITURE = [
    COUNTER,
    re.compile(r"^\s*looks like no tags", re.I),
    re.compile(r"^\s*tags?\s*:", re.I),
    re.compile(r"^\s*\|?\s*name\s*\|\s*mastery\b", re.I),  # the study-mode table header
    re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?\s*$"),  # its |---| rule
    re.compile(r"^\s*no analytics yet\s*$", re.I),
    re.compile(r"^\s*send a link to your students", re.I),
    re.compile(r"^\s*(share|copy link|study|flashcards|learn|test|match)\s*$", re.I),
]
# The header block is short; a card that happens to read "Study" further down is kept.
_HEADER_LINES = 12


def is_furniture(line: str) -> bool:
    return any(p.search(line) for p in _FURNITURE)


def looks_like(text: str) -> int:
    """A score for detect.py: how sure we are this is a Knowt page (0 = not at all)."""
    head = [ln for ln in text.split("\n")[:_HEADER_LINES] if ln.strip()]
    score = 0
    if head and COUNTER.match(head[0]):
        score += 2
    score += sum(
        2
        for ln in head
        if re.search(r"name\s*\|\s*mastery|no analytics yet|send a link to your students", ln, re.I)
    )
    score += sum(1 for ln in head if re.search(r"looks like no tags", ln, re.I))
    return score


def parse(text: str, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> ParsedDeck:
    units = line_units(text)
    # Knowt's header lines; anything else near them is for the structure search to judge.
    for u in units[:_HEADER_LINES]:
        if is_furniture(u.text):
            u.reason = furniture.classify(u.text) or "page header"
    return build_deck(
        units,
        NAME,
        lines=True,
        kind="Knowt page",
        hint="expected question and answer lines after the page header",
        progress=progress,
        cancel=cancel,
    )
