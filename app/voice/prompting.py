"""What Whisper is primed with during a call: the deck's words, not the card's answer.

Priming Whisper with the card's answer makes it spell subject words right, but it also makes it
hear the answer: espeak-ng saying "Gated linear unit" came back "Gated recurrent unit" when the
prompt held the card's back. A tutor that hears a wrong answer as right grades wrongly, so the
prompt must not single out the right answer. The prompt is the deck's subject words (from every
answer, not only this card's) and then the question: on 116 espeak-ng clips it flipped no near
miss (question + answer flipped 8 of 58) and cut the word error rate on right answers from 0.32
(no prompt) to 0.24; the answer prompt's 0.02 came from copying the prompt, which is the problem.
tests/bench/bench_asr_prompt.py has the figures and the other strategies tried.

Pure text: no torch, no whisper.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_MAX_VOCAB = 60  # ~150 tokens: Whisper keeps only the last 223 prompt tokens, the question included


def _fold(word: str) -> str:
    """A word as spelling-blind as possible: no accents, case, hyphens, apostrophes or punctuation."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def deck_vocabulary(answers: Iterable[str], limit: int = _MAX_VOCAB) -> list[str]:
    """The deck's subject words in the cards' spelling: content words of 4+ letters that most
    answers use (ties: longer first), at most `limit`, listed alphabetically so no card's own
    words stand out."""
    from app.grader.text import STOPWORDS

    counts: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    for answer in answers:
        seen = set()
        for word in _WORD.findall(answer):
            key = _fold(word)
            if len(key) < 4 or word.lower() in STOPWORDS or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            if key not in spelling or (spelling[key][:1].isupper() and word.islower()):
                spelling[key] = word  # "gradients" over a sentence's "Gradients"; "Pacific" stays
    ranked = sorted(counts, key=lambda k: (-counts[k], -len(k), k))[:limit]
    return sorted((spelling[k] for k in ranked), key=str.lower)


def vocabulary_prompt(question: str | None, vocabulary: Sequence[str]) -> str | None:
    """The subject words, then the question (nearest the audio, as the last thing 'said').

    Space-separated: a comma list made Whisper put commas between the words it heard."""
    return " ".join([*vocabulary, question or ""]).strip() or None
