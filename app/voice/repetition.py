"""Whisper's greedy decoder can lock into a loop ("it is a point of view, and it is a point of view,
and …") on noisy audio. openai-whisper's own guard is a temperature fallback on a high gzip
compression ratio, which the call turns off for latency. These helpers spot a looping transcript
(the same test Whisper uses) and cut a loop down to one copy, so a runaway decode never reaches
the grader or the screen as hundreds of words."""

from __future__ import annotations

import re
import zlib

# openai-whisper's default: above this, a decode is treated as a repetition failure.
COMPRESSION_LIMIT = 2.4
_MAX_PHRASE = 12  # longest repeated phrase (in words) that is collapsed


def compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def looks_looped(text: str) -> bool:
    return compression_ratio(text) > COMPRESSION_LIMIT


def _norm(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def collapse_repeats(text: str, loop_at: int = 3) -> str:
    """Cut any phrase of 1–12 words repeated `loop_at` or more times in a row down to one copy.

    Phrases are compared without case or punctuation, so "a point of view, and" repeated with
    varying commas is still one loop. Two copies are language ("New York, New York"), kept."""
    words = text.split()
    if len(words) < 3:
        return text
    keys = [_norm(w) for w in words]
    out: list[int] = []  # indices of kept words
    i = 0
    n = len(words)
    while i < n:
        collapsed = False
        for size in range(1, min(_MAX_PHRASE, (n - i) // 2) + 1):
            phrase = keys[i : i + size]
            if not any(phrase):
                continue
            copies = 1
            while keys[i + copies * size : i + (copies + 1) * size] == phrase:
                copies += 1
            if copies >= loop_at:
                out.extend(range(i, i + size))
                i += copies * size
                collapsed = True
                break
        if not collapsed:
            out.append(i)
            i += 1
    return " ".join(words[k] for k in out)
