"""A claim of the reference said with a negation: "not hot" for "hot", "the heart doesn't pump
blood" for "the heart pumps blood". The head's one-sided-negation feature cannot carry this: most
answers with a "not" in them are fair paraphrases ("attention does not know the order" for
"attention ignores order"), so the head learned to give it little weight. A negation placed on a
word the reference asserts is a contradiction, which no similarity makes right.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from app.grader.base import Thresholds
from app.grader.text import NEGATIONS, STOPWORDS, stem, tokens

# Words a negation may stand before without being what it negates ("does not", "is never really").
_BRIDGE = frozenset({"do", "does", "did", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
                     "can", "could", "will", "would", "should", "must", "may", "might", "really", "always",
                     "actually", "even", "quite", "very", "a", "an", "the", "any"})
# A negation right after these is Whisper mishearing a word ("the not product" for "the dot product").
_NOT_BEFORE = frozenset({"the", "a", "an", "of", "on", "with", "by", "to", "in", "for", "its", "their"})
# "without" and "nor" join clauses more often than they deny one.
_DENIERS = NEGATIONS - {"without", "nor", "neither"}


class _HasNegated(Protocol):
    negated: list[str]


E = TypeVar("E", bound=_HasNegated)


def negated_claims(reference: str, answer: str) -> list[str]:
    """The answer's "not X" phrases whose X the reference asserts (X not under a negation there)."""
    ref = tokens(reference)
    said = {stem(w) for w in ref if w not in STOPWORDS and w not in NEGATIONS}
    denied = {stem(ref[j]) for i, w in enumerate(ref) if w in NEGATIONS for j in range(i + 1, min(i + 4, len(ref)))}
    ans = tokens(answer)
    out: list[str] = []
    for i, w in enumerate(ans):
        if w not in _DENIERS or (i and ans[i - 1] in _NOT_BEFORE):
            continue
        j = i + 1
        while j < len(ans) and ans[j] in _BRIDGE:
            j += 1
        if j < len(ans) and ans[j] not in STOPWORDS and stem(ans[j]) in said - denied:
            out.append(f"{w} {ans[j]}")
    return out


def overrule(ev: E, score: float, verdict: str, thresholds: Thresholds) -> tuple[float, E, str]:
    """(score, evidence, verdict), with a contradicted claim (`ev.negated`) never correct; partial
    and wrong stand as they are. Its score is held under the partial cut-off so that the figure
    shown agrees with the verdict."""
    if ev.negated and verdict == "correct":
        return min(score, max(0.0, thresholds.partial - 0.01)), ev, "wrong"
    return score, ev, verdict
