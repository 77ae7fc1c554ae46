"""The tutor's dialogue as a state machine: given what the student said (or typed) it grades, picks
the reply and decides what happens next. Pure logic: no audio, no threads, no Qt, so it is tested
with plain strings. "I was right" re-records the last graded turn as correct."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.voice import replies
from app.voice.spoken import Command, parse_command, plain

if TYPE_CHECKING:
    from app.grader.base import Grader


@dataclass(frozen=True)
class CallCard:
    card_id: int
    front: str
    back: str

    @property
    def question(self) -> str:
        return plain(self.front)

    @property
    def answer(self) -> str:
        return plain(self.back)


@dataclass
class Turn:
    """One answered (or skipped) card, as logged and as `recall call --json` prints it."""

    index: int  # the n-th input of the call
    card_id: int
    question: str
    transcript: str
    reply: str
    verdict: str | None = None  # correct / partial / wrong; None when skipped
    score: float | None = None
    missing: list[str] = field(default_factory=list)  # the reference's key terms not said
    matched: list[str] = field(default_factory=list)  # the reference's key terms said
    wrong: list[str] = field(default_factory=list)  # terms said instead of the reference's
    command: str | None = None  # skip / dont_know when the turn was one
    typed: bool = False
    overridden: bool = False  # "I was right"
    overridden_from: str | None = None  # the verdict before "I was right"
    grader: str = ""
    answer_ms: int | None = None  # question asked -> student stopped speaking
    timings: dict[str, float] = field(default_factory=dict)
    end_of_turn_s: float | None = None  # speaker stopped -> VAD ended the turn
    log_id: int | None = None  # the review-log row, when recorded

    def as_json(self) -> dict:
        return {
            "question": self.question,
            "transcript": self.transcript,
            "verdict": self.verdict,
            "score": None if self.score is None else round(self.score, 4),
            "reply": self.reply,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "card_id": self.card_id,
            "command": self.command,
            "missing": self.missing,
            "matched": self.matched,
            "wrong": self.wrong,
            "typed": self.typed,
            "overridden": self.overridden,
            "grader": self.grader,
            "end_of_turn_s": None if self.end_of_turn_s is None else round(self.end_of_turn_s, 3),
        }


@dataclass(frozen=True)
class Summary:
    asked: int
    correct: int
    partial: int
    wrong: int
    skipped: int
    overridden: int
    text: str

    def as_json(self) -> dict:
        return {
            k: getattr(self, k)
            for k in ("asked", "correct", "partial", "wrong", "skipped", "overridden", "text")
        }


# What happens after a reply.
NEXT = "next"  # ask the next card (or finish when none is left)
REPEAT = "repeat"  # ask the same question again
LISTEN = "listen"  # listen again without asking
FINISH = "finish"


@dataclass(frozen=True)
class Reply:
    text: str
    then: str  # NEXT / REPEAT / LISTEN / FINISH
    turn: Turn  # this input, as logged (commands too)
    changed: Turn | None = None  # an earlier turn this input changed ("I was right")


Recorder = Callable[[Turn, str], int | None]  # (turn, action "record"/"override") -> log id


class CallDialogue:
    """The call's logic, one input at a time. No audio, no threads, no Qt."""

    def __init__(
        self,
        cards: Sequence[CallCard],
        grader: Grader,
        recorder: Recorder | None = None,
        vocabulary: Sequence[str] | None = None,
        siblings: Sequence[str] | None = None,
    ) -> None:
        from app.voice.prompting import deck_vocabulary

        self.cards = list(cards)
        self.grader = grader
        self.recorder = recorder
        # Subject words for Whisper: the whole deck's (see `deck_vocabulary_of`), else these cards'.
        self.vocabulary = (
            list(vocabulary) if vocabulary is not None else deck_vocabulary(c.answer for c in self.cards)
        )
        # The deck's answers: another card's answer given for this one is a near miss to the grader.
        self.siblings = tuple(dict.fromkeys(siblings if siblings is not None else (c.answer for c in self.cards)))
        self._sibling_cache: dict[str, tuple[str, ...]] = {}
        self.index = 0
        self.turns: list[Turn] = []
        self.finished = not self.cards
        self._last_graded: Turn | None = None
        self._inputs = 0

    @property
    def current(self) -> CallCard | None:
        return None if self.finished or self.index >= len(self.cards) else self.cards[self.index]

    @property
    def position(self) -> tuple[int, int]:
        return min(self.index + 1, len(self.cards)), len(self.cards)

    def prompt_for_asr(self) -> str | None:
        """The deck's subject words and the question, so Whisper spells them the way the cards do.

        Never the card's answer: primed with it, Whisper heard "Gated linear unit" as "Gated
        recurrent unit" (tests/bench/bench_asr_prompt.py), and a wrong answer was graded right."""
        from app.voice.prompting import vocabulary_prompt

        card = self.current
        return vocabulary_prompt(card.question, self.vocabulary) if card else None

    def _record(self, turn: Turn, action: str) -> None:
        if self.recorder is not None:
            log_id = self.recorder(turn, action)
            if log_id is not None:
                turn.log_id = log_id

    def _advance(self) -> str:
        self.index += 1
        if self.index >= len(self.cards):
            self.finished = True
            return FINISH
        return NEXT

    def handle(self, text: str, *, typed: bool = False, answer_ms: int | None = None) -> Reply:
        """What the student said or typed -> the tutor's reply and what comes next."""
        text = " ".join((text or "").split())
        command = parse_command(text)
        card = self.current or (self.cards[-1] if self.cards else CallCard(0, "", ""))
        base = {"index": self._inputs, "card_id": card.card_id, "question": card.question,
                "transcript": text, "typed": typed, "answer_ms": answer_ms}  # fmt: skip
        self._inputs += 1
        if command is Command.I_WAS_RIGHT:
            return self._override(base)
        if self.finished:
            return Reply(self.summary().text, FINISH, Turn(**base, reply=self.summary().text))
        if command is Command.REPEAT:
            return Reply("Here's the question again.", REPEAT, Turn(**base, reply="", command="repeat"))
        if command is Command.STOP:
            self.finished = True
            return Reply("", FINISH, Turn(**base, reply="", command="stop"))
        if command is Command.SKIP:
            turn = Turn(**base, reply=replies.skipped_reply(card.answer), command="skip")
            self.turns.append(turn)
            return Reply(turn.reply, self._advance(), turn)
        if command is Command.DONT_KNOW:
            reply = replies.dont_know_reply(card.answer)
            return self._graded(Turn(**base, reply=reply, verdict="wrong", score=0.0, command="dont_know"))
        if not text:
            reply = "I didn't catch an answer. Try again, or say skip."
            return Reply(reply, LISTEN, Turn(**base, reply=reply))
        grade = self.grader.grade(card.answer, text, card.question, siblings=self._siblings_of(card.answer))
        turn = Turn(
            **base, reply=replies.graded_reply(grade, card.answer, text, len(self.turns)), verdict=grade.verdict, score=float(grade.score),
            missing=list(grade.missing), matched=list(getattr(grade, "matched", None) or []),
            wrong=list(getattr(grade, "wrong", None) or []), grader=grade.grader,
        )  # fmt: skip
        return self._graded(turn)

    def _siblings_of(self, answer: str) -> tuple[str, ...]:
        """The deck's other answers (one tuple per card, so the grader's index of them is reused)."""
        if answer not in self._sibling_cache:
            own = answer.strip().lower()
            self._sibling_cache[answer] = tuple(s for s in self.siblings if s.strip().lower() != own)
        return self._sibling_cache[answer]

    def _graded(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        self._record(turn, "record")
        self._last_graded = turn
        return Reply(turn.reply, self._advance(), turn)

    def _override(self, base: dict) -> Reply:
        """ "I was right": the last graded answer counts as correct after all."""
        turn = self._last_graded
        then = FINISH if self.finished else REPEAT
        if turn is None or turn.verdict == "correct":
            text = "There's nothing to change: your last answer already counts as right."
            return Reply(text, then, Turn(**base, reply=text, command="i_was_right"))
        turn.overridden_from, turn.verdict, turn.overridden = turn.verdict, "correct", True
        self._record(turn, "override")
        text = "Okay, I've marked that one as right."
        if self.finished:
            text += " " + self.summary().text
        return Reply(text, then, Turn(**base, reply=text, command="i_was_right"), changed=turn)

    def summary(self) -> Summary:
        graded = [t for t in self.turns if t.verdict is not None]
        counts = {v: sum(1 for t in graded if t.verdict == v) for v in ("correct", "partial", "wrong")}
        skipped = sum(1 for t in self.turns if t.command == "skip")
        overridden = sum(1 for t in self.turns if t.overridden)
        text = replies.summary_text(len(graded), counts["correct"], counts["partial"], counts["wrong"], skipped,
                                    bool(self.turns))
        return Summary(len(self.turns), counts["correct"], counts["partial"], counts["wrong"], skipped,
                       overridden, text)  # fmt: skip
