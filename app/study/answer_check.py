"""Lenient checking of a typed answer against a card's answer.

Users rightly complain when "the Eiffel tower" is marked wrong against "Eiffel Tower" or a
single typo fails a long answer. The check therefore ignores case, spacing, punctuation,
accents and a leading article, accepts a small number of typos that grows with the answer's
length (a swap of two letters is one typo), accepts any one of several alternatives ("colour / color", "car; automobile") and
the items of a short list in any order. Numbers must match exactly: "1945" is not a typo of
"1946".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from rapidfuzz.distance import OSA

ARTICLES = ("a", "an", "the")
_ALTERNATIVE_SPLIT = re.compile(r"\s*(?:;|\s/\s|\|)\s*")
_LIST_SPLIT = re.compile(r"\s*(?:,|\band\b|&)\s*")


class Verdict(str, Enum):
    EXACT = "exact"
    CLOSE = "close"  # accepted, with a note on what differed
    WRONG = "wrong"


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    reason: str
    expected: str
    given: str

    @property
    def correct(self) -> bool:
        return self.verdict is not Verdict.WRONG


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _fold(text: str) -> str:
    """Case and spacing only: what "exact" tolerates."""
    return " ".join(text.split()).casefold()


def normalise(text: str, *, articles: bool = True) -> str:
    """Case, accents, punctuation and spacing folded away; a leading article dropped."""
    text = strip_accents(text).casefold()
    text = re.sub(r"[^\w\s]|_", " ", text)
    words = text.split()
    if articles and len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def allowed_typos(length: int) -> int:
    """How many edits an answer of `length` characters may carry and still count."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1
    if length <= 15:
        return 2
    return max(2, length // 8)


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+", text)


def _alternatives(expected: str) -> list[str]:
    parts = [p for p in _ALTERNATIVE_SPLIT.split(expected) if p.strip()]
    return parts if len(parts) > 1 else []


def _list_items(text: str) -> list[str]:
    items = [normalise(p) for p in _LIST_SPLIT.split(text)]
    return [i for i in items if i]


def _compare(given: str, expected: str) -> Check | None:
    """Exact or close against one expected text, or None."""
    if _fold(given) == _fold(expected):
        return Check(Verdict.EXACT, "correct", expected, given)
    g_plain, e_plain = normalise(given, articles=False), normalise(expected, articles=False)
    if g_plain == e_plain:
        if strip_accents(_fold(given)) != _fold(given) or strip_accents(_fold(expected)) != _fold(expected):
            return Check(Verdict.CLOSE, "accepted: accents or punctuation differ", expected, given)
        return Check(Verdict.CLOSE, "accepted: punctuation differs", expected, given)
    g, e = normalise(given), normalise(expected)
    if not g or not e:
        return None
    if g == e:
        return Check(Verdict.CLOSE, "accepted: article word differs", expected, given)
    if _numbers(g) == _numbers(e):
        limit = allowed_typos(len(e))
        if limit and OSA.distance(g, e, score_cutoff=limit) <= limit:
            return Check(Verdict.CLOSE, "accepted: small typo", expected, given)
    items_e = _list_items(expected)
    if 2 <= len(items_e) <= 6:
        items_g = _list_items(given)
        if sorted(items_g) == sorted(items_e):
            return Check(Verdict.CLOSE, "accepted: same items in another order", expected, given)
    return None


def check_answer(given: str, expected: str) -> Check:
    """Judge `given` against `expected`; never raises."""
    if not given.strip():
        return Check(Verdict.WRONG, "no answer given", expected, given)
    found = _compare(given, expected)
    if found is not None:
        return found
    for alt in _alternatives(expected):
        found = _compare(given, alt)
        if found is not None:
            reason = "accepted: one of the alternatives"
            if found.verdict is Verdict.CLOSE:
                reason = f"{found.reason} (one of the alternatives)"
            return Check(Verdict.CLOSE, reason, expected, given)
    return Check(Verdict.WRONG, "does not match the answer", expected, given)
