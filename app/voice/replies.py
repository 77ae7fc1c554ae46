"""What the tutor says back: the verdict, the right answer when it was not right, and a hint.

Replies are spoken, so they must read as sentences: card text is folded into them with its own
final punctuation kept (an answer ending "...", "?" or "e.g." gets no second full stop) and a
trailing list separator dropped.
"""

from __future__ import annotations

import re

PRAISE = ("Correct!", "That's right.", "Exactly right, well done.", "Yes, correct.")
_END = (".", "!", "?", "\u2026")


def sentence(text: str) -> str:
    """`text` as one sentence: stripped, ending in exactly one terminal mark."""
    text = " ".join((text or "").split())
    text = text.rstrip(",;:-\u2013\u2014 ")
    if not text:
        return ""
    return text if text.endswith(_END) else text + "."


def join(*parts: str) -> str:
    """Sentences side by side, empty parts left out."""
    return " ".join(p for p in (sentence(x) for x in parts) if p)


def hint_for(answer: str, said: str = "") -> str:
    """A short memory cue: the answer's key words the student did not say, longest first."""
    from app.grader.text import content_words, stem, tokens

    said_stems = {stem(w) for w in tokens(said)}
    keys: list[str] = []
    for w in content_words(tokens(answer)):
        if stem(w) not in said_stems and w not in keys and len(w) > 2 and not w.isdigit():
            keys.append(w)
    keys = sorted(keys, key=len, reverse=True)[:3]
    if not keys:
        return ""
    return "Remember the key word" + ("s: " if len(keys) > 1 else ": ") + ", ".join(keys) + "."


def _terms(grade, name: str) -> list[str]:
    return [str(t) for t in (getattr(grade, name, None) or []) if str(t).strip()]


def graded_reply(grade, answer: str, said: str, turn_number: int) -> str:
    """The reply to a graded answer, using the grade's matched/missing/wrong terms when it has them."""
    missing, wrong = _terms(grade, "missing"), _terms(grade, "wrong")
    if grade.verdict == "correct":
        praise = PRAISE[turn_number % len(PRAISE)]
        return join(praise, f"The full answer is: {answer}") if missing else praise
    if grade.verdict == "partial":
        gap = f"You left out: {', '.join(missing[:4])}" if missing else ""
        return join("Partly right", gap, f"The full answer is: {answer}")
    if len(wrong) == 1 and missing:
        # Name the swap when it is one sibling term ("ribosome" for "mitochondria"); an answer that
        # is wrong throughout is not a swap, and naming its words would read oddly.
        said_part = f"You said {wrong[0]}, but the answer is: {answer}"
        return join("Not quite", said_part, hint_for(answer, said))
    return join("Not quite", f"The answer is: {answer}", hint_for(answer, said))


def skipped_reply(answer: str) -> str:
    return join(f"Skipped. The answer was: {answer}")


def dont_know_reply(answer: str) -> str:
    return join("No problem", f"The answer is: {answer}", hint_for(answer))


def summary_text(answered: int, correct: int, partial: int, wrong: int, skipped: int, any_turns: bool) -> str:
    if not any_turns:
        return "That's the end of the call. We didn't get through any cards this time."
    parts = [f"{correct} right"]
    if partial:
        parts.append(f"{partial} partly right")
    parts.append(f"{wrong} to review")
    text = f"That's the end of the call. Out of {answered} answered, {', '.join(parts)}."
    if skipped:
        text += f" You skipped {skipped}."
    return text + (" Good work!" if correct >= max(1, answered / 2) else " Keep at it!")


def no_doubled_marks(text: str) -> bool:
    """True when no sentence ends in two marks (".." or "?.") outside a real ellipsis."""
    return re.search(r"(?<!\.)\.\.(?!\.)|[?!]\.|\.[?!]", text) is None
