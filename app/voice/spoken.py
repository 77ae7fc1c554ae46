"""What the student says to the tutor rather than as an answer: spoken commands, and card text as spoken."""

from __future__ import annotations

import re
from enum import Enum


class Command(str, Enum):
    REPEAT = "repeat"
    SKIP = "skip"
    DONT_KNOW = "dont_know"
    STOP = "stop"
    I_WAS_RIGHT = "i_was_right"


# Whole-utterance phrases only: an answer that merely contains "stop" is still an answer.
_PHRASES: dict[Command, tuple[str, ...]] = {
    Command.REPEAT: ("repeat", "repeat that", "repeat the question", "say that again", "say it again",
                     "again", "pardon", "come again", "what was the question"),
    Command.SKIP: ("skip", "skip it", "skip this", "skip this one", "skip that", "next", "next one",
                   "next question", "pass"),
    Command.DONT_KNOW: ("i don't know", "i dont know", "i do not know", "don't know", "dont know",
                        "no idea", "i have no idea", "i'm not sure", "im not sure", "no clue",
                        "i give up", "tell me"),
    Command.STOP: ("stop", "stop the call", "end the call", "end call", "hang up", "quit", "goodbye",
                   "bye", "that's enough", "finish", "stop please"),
    Command.I_WAS_RIGHT: ("i was right", "i was correct", "that was right", "that was correct",
                          "i got it right", "my answer was right", "my answer was correct", "mark it right",
                          "mark that right", "i'm right", "im right"),
}  # fmt: skip
_FILLERS = {"please", "um", "uh", "erm", "okay", "ok", "so", "well", "oh", "just", "can", "you", "could"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("\u2019", "'"))


def parse_command(text: str) -> Command | None:
    """The spoken or typed command `text` is, if it is nothing but one (fillers aside)."""
    words = _words(text)
    if not words or len(words) > 8:
        return None
    core = " ".join(w for w in words if w not in _FILLERS) or " ".join(words)
    whole = " ".join(words)
    for command, phrases in _PHRASES.items():
        if core in phrases or whole in phrases:
            return command
    return None


def plain(text: str) -> str:
    """Card text as it should be spoken: no HTML tags or entities, single spaces."""
    text = re.sub(r"<br\s*/?>|</p>|</div>|</li>", ". ", text, flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"(\.\s*){2,}", ". ", text)


