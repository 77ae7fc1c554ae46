"""Which key terms of the right answer a typed answer said, left out, or replaced, and where
they sit in the answer's own text, so the screen can mark them (by style and by a sign, not
colour alone). The grader's evidence (`app.grader.evidence`) finds the terms; no model runs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.grader.evidence import gather
from app.grader.terms import words_of

MATCHED, MISSING = "matched", "missing"
_TOKEN = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class TermMarks:
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)  # what the answer said instead
    segments: list[tuple[str, str]] = field(default_factory=list)  # (text, "" | MATCHED | MISSING)

    def describe(self) -> str:
        """The same marks as one sentence, for screen readers and anyone who cannot see colour."""
        parts = []
        if self.matched:
            parts.append("You had: " + ", ".join(self.matched))
        if self.missing:
            parts.append("Missing: " + ", ".join(self.missing))
        if self.wrong:
            parts.append("Said instead: " + ", ".join(self.wrong))
        return " · ".join(parts)


def mark_terms(reference: str, answer: str, question: str | None = None) -> TermMarks:
    ev = gather(reference, answer, question)
    per_word: dict[int, str] = {}  # index into ev.ref_words -> mark
    for term, how in zip(ev.terms, ev.how, strict=True):
        per_word[term.index] = MATCHED if how else MISSING
    return TermMarks(ev.matched, ev.missing, list(ev.wrong_terms), _segments(reference, ev.ref_words, per_word, ev))


def _segments(reference: str, ref_words: list[str], per_word: dict[int, str], ev) -> list[tuple[str, str]]:
    tokens = list(_TOKEN.finditer(reference))
    words = [words_of(t.group(0)) for t in tokens]
    aligned = [w for ws in words for w in ws] == ref_words
    by_text = {t.text: per_word[t.index] for t in ev.terms}  # fallback when spans do not line up
    out: list[tuple[str, str]] = []
    pos, i = 0, 0
    for tok, ws in zip(tokens, words, strict=True):
        if aligned:
            marks = {per_word.get(i + k, "") for k in range(len(ws))}
            i += len(ws)
        else:
            marks = {by_text.get(w, "") for w in ws}
        mark = MISSING if MISSING in marks else MATCHED if MATCHED in marks else ""
        if tok.start() > pos:
            out.append((reference[pos : tok.start()], ""))
        out.append((tok.group(0), mark))
        pos = tok.end()
    if pos < len(reference):
        out.append((reference[pos:], ""))
    return _merge(out)


def _merge(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join neighbours with the same mark (and the spaces between two marked words)."""
    out: list[tuple[str, str]] = []
    for text, mark in segments:
        if out and out[-1][1] == mark:
            out[-1] = (out[-1][0] + text, mark)
        else:
            out.append((text, mark))
    # "update" " " "gate" -> one marked span
    joined: list[tuple[str, str]] = []
    k = 0
    while k < len(out):
        text, mark = out[k]
        if mark and k + 2 < len(out) and not out[k + 1][0].strip() and out[k + 2][1] == mark:
            out[k + 2] = (text + out[k + 1][0] + out[k + 2][0], mark)
            k += 2
            continue
        joined.append((text, mark))
        k += 1
    return joined
