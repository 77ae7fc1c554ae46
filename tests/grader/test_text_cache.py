"""The cached text functions (text.normalise, tokens, stem; terms.words_of) give what the uncached
ones give, so the evidence features are bit-identical with and without the caches."""

from __future__ import annotations

import pytest

from app.grader import evidence, terms, text
from app.grader.evalset import load_eval


@pytest.fixture(scope="module")
def items():
    return load_eval()[::11][:300]  # a few hundred rows: every kind, written and transcribed


def test_cached_functions_equal_the_uncached(items):
    texts = [t for i in items for t in (i.reference, i.answer, i.question or "")]
    for t in texts:
        assert text.normalise(t) == text.normalise.__wrapped__(t)
        assert text.tokens(t) == list(text._tokens.__wrapped__(t))
        assert terms.words_of(t) == list(terms._words_of.__wrapped__(t))
        for w in text.tokens(t):
            assert text.stem(w) == text.stem.__wrapped__(w)


def test_callers_get_a_fresh_list():
    words = terms.words_of("The mitochondria")
    words.append("changed")
    assert terms.words_of("The mitochondria") == ["the", "mitochondria"]
    toks = text.tokens("the forget gate")
    toks.clear()
    assert text.tokens("the forget gate") == ["the", "forget", "gate"]


def test_evidence_features_are_bit_identical_without_the_word_cache(items, monkeypatch):
    def features() -> list[list[float]]:
        return [evidence.gather(i.reference, i.answer, i.question, None, None, i.siblings).features() for i in items]

    terms._words_of.cache_clear()
    cached = features()
    again = features()  # every text now from the cache
    uncached = terms._words_of.__wrapped__
    monkeypatch.setattr(terms, "_words_of", uncached)
    plain = features()
    assert cached == plain and again == plain
