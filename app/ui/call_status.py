"""What the Call screen's status line says: the call's real state, not only the runner's phase.

The runner reports phases (speaking, listening, replying...); what the student needs is what is
happening now: is the tutor audible (a muted tutor, or one without a voice or sound output, is
not speaking), is a verdict on screen, is the call waiting for them (push-to-talk, the first-use
check). Qt-free, so every case is tested as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.voice.call import Phase

# The states the status line can be in (`CallView.status`), one word each.
LOADING, SPEAKING, QUESTION, LISTENING, TRANSCRIBING, GRADING, VERDICT, REPLY, PAUSED, ENDED = (
    "loading", "speaking", "question", "listening", "transcribing", "grading", "verdict", "reply", "paused", "ended",
)  # fmt: skip
STATES = (LOADING, SPEAKING, QUESTION, LISTENING, TRANSCRIBING, GRADING, VERDICT, REPLY, PAUSED, ENDED)

# The runner's `detail` strings this reads (app.voice.runner).
TYPE_ONLY = "Type your answer"
HOLD_TO_TALK = "Hold Space to talk"
CHECK_WAIT = "Waiting for the microphone and voice check"
VERDICT_WORDS = {"correct": "correct", "partial": "partly right", "wrong": "not quite", "override": "marked as right"}


@dataclass(frozen=True)
class CallState:
    """What the screen knows about the call at one moment."""

    phase: Phase
    detail: str = ""
    audible: bool = False  # the tutor's voice is heard: a voice, a sound output, not muted
    verdict: str | None = None  # this turn's verdict on screen ("correct", "partial", "wrong", "override")
    repeated: bool = False  # the question being asked is the same card again


def call_status(s: CallState) -> tuple[str, str]:
    """(state, text) for the status line."""
    p = s.phase
    if p is Phase.LOADING:
        if s.detail == CHECK_WAIT:
            return PAUSED, "Paused for the microphone and voice check…"
        return LOADING, (s.detail + "…") if s.detail else "Getting ready…"
    if p is Phase.SPEAKING:
        if s.audible:
            return SPEAKING, "Tutor is repeating the question…" if s.repeated else "Tutor is reading the question…"
        return QUESTION, "New question: answer when ready" if not s.repeated else "The question again"
    if p is Phase.LISTENING:
        if s.detail == TYPE_ONLY:
            return LISTENING, "Type your answer below"
        if s.detail == HOLD_TO_TALK:
            return PAUSED, "Paused: hold Space (or Hold to talk) while you answer, or type"
        return LISTENING, "Listening — answer now (or type)"
    if p is Phase.TRANSCRIBING:
        return TRANSCRIBING, "Transcribing your answer…"
    if p is Phase.GRADING:
        return GRADING, "Grading…"
    if p is Phase.REPLYING:
        if s.verdict:
            word = VERDICT_WORDS.get(s.verdict, s.verdict)
            return VERDICT, f"Verdict shown: {word}" + (" — the tutor is replying…" if s.audible else "")
        return REPLY, "Tutor is replying…" if s.audible else "Tutor replied"
    return ENDED, "Call ended"
