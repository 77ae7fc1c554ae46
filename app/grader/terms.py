"""Key terms for the evidence signals: the words of an answer that carry its content.

What a teacher checks is whether the answer names the reference's key terms (content words,
numbers, names, multi-word terms), or replaces one by a different term of the same kind. This
module turns text into such terms: filler and hedges ("um, I think it's ...") removed, numbers
said in words read as numbers ("nineteen forty five" -> 1945, "three point one four" -> 3.14),
and names marked by their capital letter. It also matches a reference term against what a
speech recogniser wrote: stem, fuzzy spelling (rapidfuzz) and sound (jellyfish's metaphone),
over runs of up to four answer words ("might o condria" ~ "mitochondria").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

from app.grader.text import NEGATIONS, STOPWORDS, normalise, stem

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_WORD = re.compile(r"\d+(?:\.\d+)?|[a-z]+(?:'[a-z]+)?")

FILLER_WORDS = frozenset(["um", "umm", "uh", "uhh", "er", "erm", "hmm", "hm", "mm", "ah", "ahh", "eh", "okay", "ok", "basically", "actually", "literally"])
# Hedges: phrases that qualify the answer without adding to it. Matched as token runs.
HEDGES = tuple(tuple(h.split()) for h in (
    "i think it is", "i think it's", "i think", "i believe", "i guess", "i suppose", "i am pretty sure",
    "i am sure", "i would say", "pretty sure", "let me think", "you know", "i mean", "kind of", "sort of",
    "the answer is", "it is", "it's", "that is", "that's", "maybe", "probably", "perhaps", "i reckon",
))
_LEADING = frozenset({"so", "well", "like", "and", "right"})  # filler only at the start (or end: right)
# Words that say the student does not know.
_DONT_KNOW = tuple(tuple(p.split()) for p in (
    "do not know", "dont know", "don't know", "idk", "no idea", "not sure", "no clue", "can not remember",
    "cannot remember", "forget", "forgot", "pass", "skip", "dunno", "give up", "not a clue",
))

_UNITS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"])}
_TENS = {w: 10 * i for i, w in enumerate(["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]) if i >= 2}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6", "seventh": "7",
             "eighth": "8", "ninth": "9", "tenth": "10", "twelfth": "12", "fourteenth": "14", "fifteenth": "15",
             "sixteenth": "16", "seventeenth": "17", "twentieth": "20"}


@dataclass(frozen=True)
class Term:
    text: str  # normalised word, or a number as digits
    kind: str  # "number", "name" or "word"
    index: int  # position in the word list it came from


def _number_words(words: list[str]) -> list[str]:
    """Runs of number words as digits: "forty six" -> 46, "nineteen forty five" -> 1945,
    "a hundred and eighty" -> 180, "three point one four" -> 3.14, "minus 273" -> -273."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w not in _UNITS and w not in _TENS and not (w in _SCALES and out and out[-1] in ("a", "one")):
            if w == "point" and out and out[-1].replace(".", "").isdigit() and i + 1 < len(words):
                digits = []
                j = i + 1
                while j < len(words) and (words[j] in _UNITS and _UNITS[words[j]] < 10 or words[j].isdigit()):
                    digits.append(str(_UNITS.get(words[j], words[j])))
                    j += 1
                if digits:
                    out[-1] = f"{out[-1]}.{''.join(digits)}"
                    i = j
                    continue
            if w == "minus" and i + 1 < len(words) and (words[i + 1][:1].isdigit() or words[i + 1] in _UNITS):
                out.append("-")
                i += 1
                continue
            out.append(_ORDINALS.get(w, w))
            i += 1
            continue
        if w in _SCALES:  # "a hundred": drop the article, the scale starts the number
            out.pop()
            words = words[:i] + ["one"] + words[i:]
        # Collect the run of number words (with "and" inside it).
        j = i
        run: list[str] = []
        while j < len(words) and (words[j] in _UNITS or words[j] in _TENS or words[j] in _SCALES
                                  or (words[j] == "and" and run and run[-1] in _SCALES and j + 1 < len(words)
                                      and (words[j + 1] in _UNITS or words[j + 1] in _TENS))):
            if words[j] != "and":
                run.append(words[j])
            j += 1
        out.extend(_run_value(run).split())
        i = j
    # "-" then a number: one negative number.
    merged: list[str] = []
    for w in out:
        if merged and merged[-1] == "-" and w[:1].isdigit():
            merged[-1] = "-" + w
        else:
            merged.append(w)
    return merged


def _run_value(run: list[str]) -> str:
    has_scale = any(w in _SCALES for w in run)
    first = _UNITS.get(run[0], _TENS.get(run[0], 0)) if run else 0
    if not has_scale and len(run) >= 2 and first >= 10:
        # Said as pairs ("nineteen forty five", "twenty twenty"): join the two-digit groups.
        groups: list[int] = []
        for w in run:
            v = _UNITS.get(w, _TENS.get(w, 0))
            if groups and w in _UNITS and _UNITS[w] < 10 and groups[-1] % 10 == 0 and groups[-1] >= 20:
                groups[-1] += v
            else:
                groups.append(v)
        if len(groups) == 1:
            return str(groups[0])
        return "".join(f"{g:02d}" if k else str(g) for k, g in enumerate(groups))
    if not has_scale and len(run) >= 2:  # "zero one", "two three": separate small numbers
        return " ".join(str(_UNITS.get(w, 0)) for w in run)
    total = current = 0
    for w in run:
        if w in _SCALES:
            current = max(current, 1) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total, current = total + current, 0
        else:
            current += _UNITS.get(w, _TENS.get(w, 0))
    return str(total + current)


def words_of(text: str) -> list[str]:
    """Lower-case words with numbers read as digits; single spelt-out letters joined ("l s t m")."""
    return list(_words_of(text))  # a fresh list: callers may change it


@lru_cache(maxsize=16384)  # a grade reads the answer three times, and a card's reference for every answer
def _words_of(text: str) -> tuple[str, ...]:
    low = normalise(text).replace("-", " ")
    low = re.sub(r"(?<=\d),(?=\d{3}\b)", "", low)
    raw = _WORD.findall(low)
    joined: list[str] = []
    run: list[str] = []
    for tok in raw + [""]:
        if len(tok) == 1 and tok.isalpha() and tok not in {"a", "i"}:
            run.append(tok)
            continue
        if run:
            joined.append("".join(run) if len(run) > 1 else run[0])
            run = []
        if tok:
            joined.append(tok)
    return tuple(_number_words(joined))


def names_in(text: str) -> set[str]:
    """Words written with a capital letter other than at a sentence's start: names, roughly."""
    out: set[str] = set()
    start = True
    for m in re.finditer(r"[A-Za-zÀ-ÿ]+|[.!?;:]", text):
        tok = m.group()
        if tok in ".!?;:":
            start = True
            continue
        if not start and tok[0].isupper() and tok.lower() not in STOPWORDS:
            out.add(normalise(tok))
        start = False
    return out


def strip_filler(words: list[str]) -> list[str]:
    """The words without fillers ("um", "uh") and hedges ("I think", "pretty sure")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] in FILLER_WORDS:
            i += 1
            continue
        hedge = next((h for h in HEDGES if tuple(words[i: i + len(h)]) == h), None)
        if hedge:
            i += len(hedge)
            continue
        if words[i] in _LEADING and not out:
            i += 1
            continue
        out.append(words[i])
        i += 1
    while out and out[-1] in ("right", "yeah", "so"):
        out.pop()
    return out


def says_dont_know(words: list[str]) -> bool:
    """"I don't know", "no idea", "pass": the answer admits not knowing and says little else."""
    hit = any(tuple(words[i: i + len(p)]) == p for p in _DONT_KNOW for i in range(len(words)))
    rest = [w for w in words if w not in STOPWORDS and w not in FILLER_WORDS
            and not any(w in p for p in _DONT_KNOW)]
    return hit and len(rest) <= 1


@lru_cache(maxsize=65536)
def is_number(word: str) -> bool:
    return bool(_NUMBER.fullmatch(word))


def key_terms(words: list[str], names: set[str], skip: set[str] | None = None) -> list[Term]:
    """Content words of `words` (in order) with their kind; `skip` (the question's words) left out."""
    skip = skip or set()
    out: list[Term] = []
    for i, w in enumerate(words):
        if is_number(w):
            out.append(Term(w, "number", i))
        elif w in STOPWORDS or w in NEGATIONS or w in skip or w in FILLER_WORDS or len(w) < 2:
            continue
        else:
            out.append(Term(w, "name" if w in names else "word", i))
    return out


@lru_cache(maxsize=65536)
def _sound(word: str) -> str:
    return jellyfish.metaphone(word) if word.isalpha() else word


def match_term(term: Term, answer: list[str], used: set[int]) -> tuple[str, list[int]]:
    """How the answer says `term`: ("exact" | "stem" | "fuzzy" | "sound" | "", answer indices)."""
    t = term.text
    if term.kind == "number":
        hits = [i for i, w in enumerate(answer) if w == t or (is_number(w) and float(w) == float(t))]
        return ("exact", hits[:1]) if hits else ("", [])
    for i, w in enumerate(answer):
        if w == t:
            return "exact", [i]
    st = stem(t)
    for i, w in enumerate(answer):
        if not is_number(w) and stem(w) == st:
            return "stem", [i]
    if len(t) < 4:
        return "", []
    best: tuple[float, str, list[int]] = (0.0, "", [])
    sound_t = _sound(t)
    for n in (1, 2, 3, 4):
        for i in range(len(answer) - n + 1):
            span = list(range(i, i + n))
            if any(is_number(answer[k]) for k in span) or (n > 1 and any(k in used for k in span)):
                continue
            glued = "".join(answer[i: i + n])
            if n > 1 and len(glued) < len(t) * 0.6:
                continue
            spelling = fuzz.ratio(t, glued)
            if spelling >= (85 if len(t) >= 6 else 88) and spelling > best[0]:
                best = (spelling, "fuzzy", span)
            sound_g = _sound(glued)
            # Same first sound: "myoglobin" is not "haemoglobin", however alike the rest.
            sounds = fuzz.ratio(sound_t, sound_g) if len(sound_t) >= 3 and sound_g[:1] == sound_t[:1] else 0.0
            if sounds >= 80 and spelling >= 60 and sounds - 5 > best[0]:
                best = (sounds - 5, "sound", span)
    return best[1], best[2]
