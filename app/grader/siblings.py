"""Sibling-term evidence: the answer says what another card of the deck answers.

Near misses in real decks are mostly another card's answer given for this one ("ribosome" for
"mitochondria" in a biology deck). Given the other references of the deck (the siblings), the
grader can tell such a term from an honest paraphrase: a word that belongs to a sibling's
reference and not to this one, the more so when few siblings use it, when it stands where a
missing key term of the reference was, or when the answer covers a sibling's key terms better
than its own reference's.

The index of a deck's siblings is built once per tuple of references (LRU-cached), so a session
that grades many answers against one deck pays for it once; an answer only scores the siblings
it shares a stem with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from app.grader.terms import is_number, key_terms, words_of
from app.grader.text import stem

FEATURES = ("sibling_share", "sibling_distinct", "sibling_replaced", "sibling_coverage", "sibling_over_own")


def term_stems(text: str) -> frozenset[str]:
    """The key terms of `text` (content words and numbers), stemmed."""
    return frozenset(t.text if t.kind == "number" else stem(t.text) for t in key_terms(words_of(text), set()))


@dataclass(frozen=True)
class SiblingIndex:
    stems: tuple[frozenset[str], ...]  # per sibling, its key-term stems
    df: dict[str, int]  # stem -> how many siblings have it
    postings: dict[str, tuple[int, ...]]  # stem -> the siblings that have it


@lru_cache(maxsize=64)
def sibling_index(siblings: tuple[str, ...]) -> SiblingIndex:
    stems = tuple(term_stems(s) for s in siblings)
    postings: dict[str, list[int]] = {}
    for k, ss in enumerate(stems):
        for s in ss:
            postings.setdefault(s, []).append(k)
    return SiblingIndex(stems, {s: len(p) for s, p in postings.items()}, {s: tuple(p) for s, p in postings.items()})


@dataclass
class SiblingEvidence:
    words: list[str] = field(default_factory=list)  # answer words found in a sibling's reference, not this one's
    share: float = 0.0  # their share of the answer's content words
    distinct: float = 0.0  # the same, each weighted by 1 / (siblings that have it)
    replaced: float = 0.0  # share of the reference's stand-ins ("ribosome" where "mitochondria" was) that are sibling terms
    coverage: float = 0.0  # the best-covered sibling: share of its key terms the answer says

    def features(self, own_coverage: float) -> list[float]:
        return [self.share, self.distinct, self.replaced, self.coverage, max(0.0, self.coverage - own_coverage)]


def sibling_evidence(siblings: Sequence[str] | None, reference_words: list[str], question_words: set[str],
                     answer_content: list[str], replaced_by: list[str]) -> SiblingEvidence:
    """`answer_content`: the answer's content words (question words left out); `replaced_by`: the
    answer words the evidence took as stand-ins for missing reference terms."""
    if not siblings or not answer_content:
        return SiblingEvidence()
    index = sibling_index(tuple(siblings))
    own = {w if is_number(w) else stem(w) for w in reference_words}
    asked = {stem(w) for w in question_words}
    ans = [w if is_number(w) else stem(w) for w in answer_content]
    foreign = [(w, s) for w, s in zip(answer_content, ans, strict=True)
               if s in index.df and s not in own and s not in asked]
    ev = SiblingEvidence(words=list(dict.fromkeys(w for w, _ in foreign)))
    ev.share = len(foreign) / len(ans)
    ev.distinct = sum(1.0 / index.df[s] for _, s in foreign) / len(ans)
    if replaced_by:
        ev.replaced = sum((w if is_number(w) else stem(w)) in index.df for w in replaced_by) / len(replaced_by)
    said = set(ans) - asked
    hits: dict[int, int] = {}
    for s in said:
        for k in index.postings.get(s, ()):
            hits[k] = hits.get(k, 0) + 1
    ev.coverage = max((n / len(index.stems[k]) for k, n in hits.items()), default=0.0)
    return ev
