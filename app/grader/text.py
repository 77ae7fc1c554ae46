"""Text normalisation shared by every grader: tokens, content words, and ASR-style spellings.

Speech recognition writes "L S T M" for "LSTM" and "for get" for "forget"; graders see the
same normalised tokens so those spellings still match the reference.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# Function words: they carry no content of their own, so coverage ignores them.
# Negations are deliberately NOT here: "does not remove" must differ from "removes".
_STOPWORD_TEXT = """
    a an the and or of to in on at by for with from as into onto over under about than then
    is are was were be been being am do does did doing done has have had having
    it its it's this that these those there here they them their theirs he she his her him
    we us our you your i me my mine which who whom whose what when where why how
    can could would should will shall may might must so such very just also too
    some any each every all both either neither one ones other others another
    if because while though although but yet up down out off again further once
    s t d ll m o re ve y
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

NEGATIONS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "cannot", "without"})

_CONTRACTIONS = {
    "n't": " not",
    "'re": " are",
    "'ve": " have",
    "'ll": " will",
    "'m": " am",
    "'d": " would",
}


# The graders tokenise the same reference, question and answer several times per grade (lexical
# features, echo stripping, the evidence), and a session grades many answers against one card:
# these pure functions are cached. tokens() hands out a fresh list, so callers may change it.
@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("can't", "can not").replace("won't", "will not")
    for short, full in _CONTRACTIONS.items():
        text = text.replace(short, full)
    return text


def tokens(text: str) -> list[str]:
    """Lower-case word tokens, with runs of single letters ("l s t m") joined into one word."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def _tokens(text: str) -> tuple[str, ...]:
    raw = _TOKEN.findall(normalise(text))
    out: list[str] = []
    run: list[str] = []
    for tok in raw:
        if len(tok) == 1 and tok.isalpha() and tok not in {"a", "i"}:
            run.append(tok)
            continue
        if run:
            out.append("".join(run) if len(run) > 1 else run[0])
            run = []
        out.append(tok)
    if run:
        out.append("".join(run) if len(run) > 1 else run[0])
    return tuple(out)


def content_words(words: list[str]) -> list[str]:
    return [w for w in words if w not in STOPWORDS or w in NEGATIONS]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix stripper: enough to let "removes", "removing" and "removal" meet."""
    for suffix in ("ational", "ization", "ations", "ation", "ments", "ment", "ness", "ings", "ing",
                   "ies", "ied", "ers", "er", "ed", "es", "al", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
    return word


def reference_chunks(reference: str) -> list[str]:
    """Short phrases of the reference (split at punctuation and conjunctions) for the 'missing' hint."""
    parts = re.split(r"[,;:()\n]|\band\b|\bor\b|\bbut\b|\.\s", reference)
    return [p.strip(" .-") for p in parts if content_words(tokens(p))]


def strip_question_echo(answer: str, question: str | None, reference: str) -> str:
    """The answer without content words it merely repeats from the question.

    "The forget gate is a gate" restates "What does the forget gate do?" and says nothing about
    the reference; words the reference itself uses are kept, so "Canberra is the capital" still
    matches "Canberra, the capital".
    """
    if not question:
        return answer
    echo = set(content_words(tokens(question))) - set(tokens(reference)) - NEGATIONS
    if not echo:
        return answer
    kept = [w for w in tokens(answer) if w not in echo]
    return " ".join(kept)
