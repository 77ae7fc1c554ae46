"""The lexical grader: rapidfuzz token ratios plus coverage of the reference's content words.

No model, no torch: it is the fallback when the LSTM weights or torch are missing, and the
lexical baseline in `recall grader eval`. It cannot tell "the output gate" from "the forget
gate" beyond the one differing word; that is what the LSTM is for.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from app.grader.base import Grade, Thresholds
from app.grader.text import NEGATIONS, content_words, stem, strip_question_echo, tokens

# Calibrated by hand on the team's flashcard set; `recall grader eval` reports how it fares.
DEFAULT_THRESHOLDS = Thresholds(correct=0.62, partial=0.38)


def _covered(word: str, answer_words: list[str], answer_stems: set[str], joined: str) -> bool:
    if stem(word) in answer_stems:
        return True
    if len(word) >= 5 and word in joined:  # "for get gate" -> "forgetgate" still covers "forget"
        return True
    return any(len(word) >= 5 and fuzz.ratio(word, a) >= 85 for a in answer_words)


def missing_words(reference: str, answer: str) -> list[str]:
    """Reference content words the answer does not cover, in reference order, without repeats."""
    ans = tokens(answer)
    ans_stems = {stem(w) for w in ans}
    joined = "".join(ans)
    out: list[str] = []
    for word in content_words(tokens(reference)):
        if word in NEGATIONS or word in out:
            continue
        if not _covered(word, ans, ans_stems, joined):
            out.append(word)
    return out


def lexical_features(reference: str, answer: str) -> tuple[float, float, float, float, float]:
    """(score, content-word coverage, token-set ratio, token-sort ratio, one-sided negation).

    The LSTM grader's head takes these too: spelling-level evidence the recurrent encoder
    would otherwise have to relearn.
    """
    ref_t, ans_t = tokens(reference), tokens(answer)
    if not ans_t or not ref_t:
        return 0.0, 0.0, 0.0, 0.0, 0.0
    ref_c = [w for w in content_words(ref_t) if w not in NEGATIONS] or ref_t
    missing = missing_words(reference, answer)
    coverage = max(0.0, 1.0 - len(missing) / max(1, len(set(ref_c))))
    a, r = " ".join(ans_t), " ".join(ref_t)
    set_ratio = fuzz.token_set_ratio(r, a) / 100.0
    sort_ratio = fuzz.token_sort_ratio(r, a) / 100.0
    score = 0.6 * coverage + 0.4 * max(set_ratio, sort_ratio)
    # A negation on one side only flips the meaning.
    negation = float(bool(NEGATIONS & set(ref_t)) != bool(NEGATIONS & set(ans_t)))
    if negation:
        score *= 0.5
    return max(0.0, min(1.0, score)), coverage, set_ratio, sort_ratio, negation


def lexical_score(reference: str, answer: str) -> float:
    return lexical_features(reference, answer)[0]


class LexicalGrader:
    name = "lexical"

    def __init__(self, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.thresholds = thresholds

    def score(self, reference: str, answer: str, question: str | None = None) -> float:
        return lexical_score(reference, answer)

    def grade(self, reference: str, answer: str, question: str | None = None,
              siblings: list[str] | tuple[str, ...] | None = None) -> Grade:
        answer = strip_question_echo(answer, question, reference)
        from app.grader.evidence import gather

        ev = gather(reference, answer, question, siblings=siblings)  # the score is lexical; the terms say why
        score = lexical_score(reference, answer)
        verdict = self.thresholds.verdict(score)
        return Grade(score=score, verdict=verdict, missing=missing_words(reference, answer), grader=self.name,
                     matched=ev.matched, wrong=ev.wrong_terms)
