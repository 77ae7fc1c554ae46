"""Speech-recognition-style noise for training answers: what Whisper does to a spoken answer.

Homophones ("cell" -> "sell"), words split ("forget" -> "for get") and merged, dropped short
words, spelled-out acronyms ("LSTM" -> "L S T M") and numbers said as words. A noisy answer keeps
the clean answer's label: the student said the same thing.
"""

from __future__ import annotations

import random

_HOMOPHONE_GROUPS = """
to two too|there their they're|right write rite|cell sell|gate gait|weight wait|whole hole|new knew
know no|some sum|one won|for four fore|ate eight|see sea|by buy bye|here hear|where wear|which witch
its it's|sun son|plane plain|peace piece|break brake|allowed aloud|made maid|flour flower|higher hire
principal principle|scene seen|sent cent scent|weak week|meat meet|road rode|red read|tail tale
whether weather|wait weight|fair fare|hour our|knight night|not knot|rain reign rein|sight site cite
steal steel|waste waist|way weigh|would wood|your you're|bare bear|base bass|board bored|ceiling sealing
course coarse|dual duel|find fined|flew flu|guessed guest|heal heel|idle idol|lead led|mail male
mode mowed|pair pear|pause paws|poll pole|pray prey|rays raise|real reel|role roll|sale sail|so sew
sole soul|stair stare|threw through|tide tied|toe tow|vain vein|wail whale|ware wear|yolk yoke
""".replace("\n", "|")

HOMOPHONES: dict[str, list[str]] = {}
for _group in _HOMOPHONE_GROUPS.split("|"):
    _words = _group.split()
    for _w in _words:
        HOMOPHONES.setdefault(_w, []).extend(x for x in _words if x != _w)

_NUMBERS = {
    "0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
    "8": "eight", "9": "nine", "10": "ten", "100": "one hundred", "90": "ninety", "1945": "nineteen forty five",
}
_PROTECTED = {"not", "no", "never", "without", "nothing", "none"}


def _split_word(word: str, rng: random.Random, vocab: set[str] | None) -> list[str]:
    """Split where both halves are words if possible ("forget" -> "for get"), else near the middle."""
    cuts = [i for i in range(2, len(word) - 1) if vocab and word[:i] in vocab and word[i:] in vocab]
    i = rng.choice(cuts) if cuts else len(word) // 2
    return [word[:i], word[i:]]


def asr_noise(text: str, rng: random.Random, vocab: set[str] | None = None, strength: float = 1.0) -> str:
    """One noisy rendering of `text`; `strength` scales how many edits (about 1-3 for a short answer)."""
    words = text.split()
    if not words:
        return text
    out: list[str] = []
    p = 0.15 * strength
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        low = w.lower().strip(".,;:!?")
        r = rng.random()
        if low in _PROTECTED:
            out.append(w)
        elif w.isupper() and 2 <= len(w) <= 5 and w.isalpha() and r < 0.8:
            out.append(" ".join(w))  # acronym spelled out
        elif low in _NUMBERS and r < 0.7:
            out.append(_NUMBERS[low])
        elif low in HOMOPHONES and r < 2 * p:
            out.append(rng.choice(HOMOPHONES[low]))
        elif len(low) >= 6 and r < p:
            out.extend(_split_word(low, rng, vocab))
        elif len(low) <= 3 and r < p * 0.7 and len(words) > 3:
            continue  # dropped short word
        elif i + 1 < len(words) and len(low) <= 5 and r < p * 0.4:
            out.append(low + words[i + 1].lower())  # merged with the next word
            skip = True
        else:
            out.append(w)
    if not any(o.strip() for o in out):
        return text
    # Whisper often drops the sentence's first article and the final punctuation.
    return " ".join(out).rstrip(".")
