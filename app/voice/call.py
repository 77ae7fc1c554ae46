"""The tutor's call, from one import: the dialogue, its link to the store, and the runner.

- `app.voice.spoken`: spoken commands ("repeat", "skip", "I was right") and card text as spoken;
- `app.voice.replies`: the wording of every reply;
- `app.voice.dialogue`: `CallDialogue`, the state machine (pure logic, tested with strings);
- `app.voice.call_store`: which cards to ask, Whisper's vocabulary, recording each turn;
- `app.voice.runner`: `CallRunner`, the engines' wiring and the turn's timing.
"""

from __future__ import annotations

from app.voice.call_store import call_cards, deck_vocabulary_of, store_recorder
from app.voice.dialogue import (
    FINISH,
    LISTEN,
    NEXT,
    REPEAT,
    CallCard,
    CallDialogue,
    Recorder,
    Reply,
    Summary,
    Turn,
)
from app.voice.replies import hint_for
from app.voice.runner import CallEngines, CallEvents, CallRunner, Phase
from app.voice.spoken import Command, parse_command, plain

__all__ = [
    "FINISH", "LISTEN", "NEXT", "REPEAT", "CallCard", "CallDialogue", "CallEngines", "CallEvents",
    "CallRunner", "Command", "Phase", "Recorder", "Reply", "Summary", "Turn", "call_cards",
    "deck_vocabulary_of", "hint_for", "parse_command", "plain", "store_recorder",
]  # fmt: skip
