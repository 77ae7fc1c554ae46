"""The tutor's call: a dialogue state machine, and a runner that feeds it from the engines.

`CallDialogue` is pure logic: given what the student said (or typed) it grades, picks the reply
and decides what happens next; it never touches audio or threads, so it is tested with plain
strings. `CallRunner` does the I/O for one call — speak the question, listen (VAD, push-to-talk,
or typed text), transcribe, grade, reply — on whatever thread runs it, and reports through
`CallEvents`; the Qt view turns those into signals, the command line into JSON.

Every graded turn is recorded at once (its own transaction) through `record_review`;
"I was right" takes that review back and records it again as correct.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from app.voice.vad import Utterance, VadConfig, listen

if TYPE_CHECKING:
    from app.grader.base import Grader
    from app.store.db import Store
    from app.voice.asr import ASR
    from app.voice.capture import AudioSource
    from app.voice.tts import TTS, Player, Speech


class Phase(str, Enum):
    LOADING = "loading"
    SPEAKING = "speaking"
    LISTENING = "listening"
    TRANSCRIBING = "transcribing"
    GRADING = "grading"
    REPLYING = "replying"
    FINISHED = "finished"


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
    missing: list[str] = field(default_factory=list)
    command: str | None = None  # skip / dont_know when the turn was one
    typed: bool = False
    overridden: bool = False  # "I was right"
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


_PRAISE = ("Correct!", "That's right.", "Exactly right, well done.", "Yes, correct.")


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


class CallDialogue:
    """The call's logic, one input at a time. No audio, no threads, no Qt."""

    def __init__(
        self,
        cards: Sequence[CallCard],
        grader: Grader,
        recorder: Recorder | None = None,
        vocabulary: Sequence[str] | None = None,
    ) -> None:
        from app.voice.prompting import deck_vocabulary

        self.cards = list(cards)
        self.grader = grader
        self.recorder = recorder
        # Subject words for Whisper: the whole deck's (see `deck_vocabulary_of`), else these cards'.
        self.vocabulary = (
            list(vocabulary) if vocabulary is not None else deck_vocabulary(c.answer for c in self.cards)
        )
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
            turn = Turn(**base, reply=f"Skipped. The answer was: {card.answer}.", command="skip")
            self.turns.append(turn)
            return Reply(turn.reply, self._advance(), turn)
        if command is Command.DONT_KNOW:
            hint = hint_for(card.answer)
            reply = f"No problem. The answer is: {card.answer}." + (f" {hint}" if hint else "")
            return self._graded(Turn(**base, reply=reply, verdict="wrong", score=0.0, command="dont_know"))
        if not text:
            reply = "I didn't catch an answer. Try again, or say skip."
            return Reply(reply, LISTEN, Turn(**base, reply=reply))
        grade = self.grader.grade(card.answer, text, card.question)
        turn = Turn(
            **base, reply=self._reply_for(grade, card, text), verdict=grade.verdict, score=float(grade.score),
            missing=list(grade.missing), grader=grade.grader,
        )  # fmt: skip
        return self._graded(turn)

    def _graded(self, turn: Turn) -> Reply:
        self.turns.append(turn)
        self._record(turn, "record")
        self._last_graded = turn
        return Reply(turn.reply, self._advance(), turn)

    def _reply_for(self, grade, card: CallCard, said: str) -> str:
        if grade.verdict == "correct":
            praise = _PRAISE[len(self.turns) % len(_PRAISE)]
            return f"{praise} The full answer is: {card.answer}." if grade.missing else praise
        if grade.verdict == "partial":
            missing = ", ".join(grade.missing[:4])
            gap = f" You left out: {missing}." if missing else ""
            return f"Partly right.{gap} The full answer is: {card.answer}."
        hint = hint_for(card.answer, said)
        return f"Not quite. The answer is: {card.answer}." + (f" {hint}" if hint else "")

    def _override(self, base: dict) -> Reply:
        """ "I was right": the last graded answer counts as correct after all."""
        turn = self._last_graded
        then = FINISH if self.finished else REPEAT
        if turn is None or turn.verdict == "correct":
            text = "There's nothing to change: your last answer already counts as right."
            return Reply(text, then, Turn(**base, reply=text, command="i_was_right"))
        turn.verdict, turn.overridden = "correct", True
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
        if not self.turns:
            text = "That's the end of the call. We didn't get through any cards this time."
        else:
            parts = [f"{counts['correct']} right"]
            if counts["partial"]:
                parts.append(f"{counts['partial']} partly right")
            parts.append(f"{counts['wrong']} to review")
            text = f"That's the end of the call. Out of {len(graded)} answered, {', '.join(parts)}."
            if skipped:
                text += f" You skipped {skipped}."
            text += " Good work!" if counts["correct"] >= max(1, len(graded) / 2) else " Keep at it!"
        return Summary(len(self.turns), counts["correct"], counts["partial"], counts["wrong"], skipped,
                       overridden, text)  # fmt: skip


# --- recording into the store -------------------------------------------------------------------------


def store_recorder(store: Store) -> Recorder:
    """Record each turn through `record_review` in its own transaction; overrides redo the review."""
    from app.scheduling.grades import rating_for_verdict
    from app.scheduling.review import record_review
    from app.scheduling.undo import NothingToUndo, UndoConflict, undo_review
    from app.store.models import Card

    def record(turn: Turn, action: str) -> int | None:
        if turn.verdict is None:
            return None
        with store.transaction() as session:
            if action == "override" and turn.log_id is not None:
                # Already changed elsewhere: then the correction is simply recorded on top.
                with contextlib.suppress(NothingToUndo, UndoConflict):
                    undo_review(session, log_id=turn.log_id)
            card = session.get(Card, turn.card_id)
            if card is None:
                return None  # deleted during the call
            score = min(1.0, max(0.0, turn.score or 0.0))
            result = record_review(
                session, card, mode="call", rating=rating_for_verdict(turn.verdict, score),
                correct=turn.verdict == "correct", transcript=None if turn.typed else turn.transcript,
                answer_text=turn.transcript if turn.typed else None, grader_score=turn.score,
                verdict=turn.verdict, duration_ms=turn.answer_ms,
            )  # fmt: skip
            return result.log_id

    return record


def call_cards(store: Store, deck_id: int, order: str = "due", limit: int | None = None) -> list[CallCard]:
    """The cards for a call: "due" = today's queue (due, then new), else the whole deck; "deck" = deck order."""
    from app.store.models import Card, Deck
    from app.store.repo import deck_cards

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError(f"no deck with id {deck_id}")
        cards = {c.id: c for c in deck_cards(session, deck)}
        ids: list[int] = list(cards)
        if order == "due":
            from app.scheduling.queue import build_queue
            from app.store.models import utcnow

            queue_ = build_queue(session, deck_id, utcnow())
            due = [it.card_id for it in queue_.ready + queue_.new if it.card_id in cards]
            ids = due or ids
        chosen = [cards[i] for i in ids if isinstance(cards.get(i), Card)]
        out = [CallCard(c.id, c.front, c.back) for c in chosen if plain(c.front) and plain(c.back)]
    return out[:limit] if limit else out


def deck_vocabulary_of(store: Store, deck_id: int) -> list[str]:
    """Whisper's vocabulary for a call on this deck: from every card's answer, not only those asked."""
    from app.store.models import Card, Deck
    from app.store.repo import deck_cards
    from app.voice.prompting import deck_vocabulary

    with store.session() as session:
        deck = session.get(Deck, deck_id)
        backs = [plain(c.back) for c in deck_cards(session, deck) if isinstance(c, Card)] if deck else []
    return deck_vocabulary(backs)


# --- the runner ---------------------------------------------------------------------------------------


class CallEvents:
    """What a call reports; every method is called on the runner's thread. Override what you need."""

    def phase(self, phase: Phase, detail: str = "") -> None: ...

    def progress(self, message: str, fraction: float | None) -> None: ...

    def level(self, value: float) -> None: ...

    def question(self, index: int, total: int, text: str) -> None: ...

    def transcript(self, text: str) -> None: ...

    def reply(self, text: str, turn: Turn | None) -> None: ...

    def notice(self, text: str) -> None: ...

    def finished(self, summary: Summary) -> None: ...


@dataclass
class CallEngines:
    """The engines a call runs on; any may be missing, and the call continues the best way left."""

    asr: ASR | None = None
    tts: TTS | None = None
    player: Player | None = None
    microphone: Callable[[], AudioSource] | None = None  # opens the live source
    answers: Iterator[AudioSource] | None = None  # recorded answers, one per turn (no microphone)
    language: str | None = "en"
    vad: VadConfig = field(default_factory=VadConfig)


class CallRunner:
    """Runs one call to the end on the calling thread; `submit_text`/`push_to_talk`/`stop` are thread-safe."""

    def __init__(
        self, dialogue: CallDialogue, engines: CallEngines, events: CallEvents | None = None
    ) -> None:
        self.dialogue = dialogue
        self.engines = engines
        self.events = events or CallEvents()
        self._inbox: queue.Queue[str] = queue.Queue()
        self._wake = threading.Event()  # interrupts speaking/listening: text typed, button, stop
        self._stop = threading.Event()
        self._ptt = threading.Event()
        self._ptt_requested = False
        self._mic: AudioSource | None = None
        self.log: list[Turn] = []  # every input of the call, commands included, in order
        self.voice_in = False
        self.voice_out = False

    # controls, from any thread
    def submit_text(self, text: str) -> None:
        self._inbox.put(text)
        self._wake.set()

    def push_to_talk(self, pressed: bool) -> None:
        if pressed:
            self._ptt.set()
            self._ptt_requested = True
            self._wake.set()
        else:
            self._ptt.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    # the call
    def run(self) -> Summary:
        try:
            self._prepare()
            self._loop()
        finally:
            if self._mic is not None:
                self._mic.close()
        summary = self.dialogue.summary()
        if not self._stop.is_set() or self.dialogue.turns:
            self._say(summary.text, Phase.FINISHED, interruptible=False)
        self.events.phase(Phase.FINISHED)
        self.events.finished(summary)
        return summary

    def _notice(self, text: str) -> None:
        self.events.notice(text)

    def _prepare(self) -> None:
        from app.voice.capture import CaptureUnavailable
        from app.voice.models import ModelError

        e = self.engines
        self.events.phase(Phase.LOADING, "Loading speech recognition")
        if e.asr is not None:
            try:
                e.asr.load(self.events.progress)
                self.events.progress(f"Using {e.asr.describe()}", 1.0)
                for note in getattr(e.asr, "notices", []):
                    self._notice(note)
            except (ModelError, OSError, RuntimeError, ImportError) as exc:
                self._notice(f"Speech recognition is unavailable ({exc}). Type your answers instead.")
                e.asr = None
        if e.asr is not None and e.answers is None and e.microphone is not None:
            try:
                self._mic = e.microphone()
                self._mic.open()
            except CaptureUnavailable as exc:
                self._notice(f"{str(exc)[:1].upper()}{str(exc)[1:]}. Type your answers instead.")
                self._mic = None
        self.voice_in = e.asr is not None and (self._mic is not None or e.answers is not None)
        self.voice_out = e.tts is not None
        if not self.voice_out:
            self._notice("No speaking voice is available; the tutor's replies are shown as text.")

    def _synth(self, text: str) -> Speech | None:
        from app.voice.tts import TTSUnavailable

        if not self.voice_out or not text:
            return None
        try:
            return self.engines.tts.synthesize(text)
        except TTSUnavailable as exc:
            self.voice_out = False
            self._notice(f"The speaking voice stopped working ({exc}); replies are shown as text.")
            return None

    def _play(self, speech: Speech | None, interruptible: bool = True) -> None:
        from app.voice.tts import PlaybackUnavailable

        if speech is None or self.engines.player is None:
            return
        stop = self._wake if interruptible else self._stop
        try:
            self.engines.player.play(speech, stop)
        except PlaybackUnavailable as exc:
            self.engines.player = None
            self._notice(f"No sound output ({exc}); replies are shown as text.")

    def _say(self, text: str, phase: Phase, interruptible: bool = True) -> None:
        self.events.phase(phase, text)
        self._play(self._synth(text), interruptible)

    def _ask(self) -> None:
        card = self.dialogue.current
        index, total = self.dialogue.position
        self.events.question(index, total, card.question)
        self._say(card.question, Phase.SPEAKING)

    def _next_typed(self) -> str | None:
        try:
            return self._inbox.get_nowait()
        except queue.Empty:
            return None

    def _hear(self) -> tuple[str, bool, float, Utterance | None] | None:
        """The next answer: (text, typed, moment the student finished, utterance) or None to end the call."""
        waiting_for_typing = False
        while not self._stop.is_set():
            self._wake.clear()
            typed = self._next_typed()
            if typed is not None:
                return typed, True, time.monotonic(), None
            if not self.voice_in:
                if not waiting_for_typing:  # once per answer, not on every poll
                    self.events.phase(Phase.LISTENING, "Type your answer")
                    waiting_for_typing = True
                self._wake.wait(0.5)
                continue
            if self._mic is not None and self._mic.finished:  # the device went away mid-call
                self._mic.close()
                self._mic = None
                self.voice_in = False
                self._notice("The microphone stopped working. Type your answers instead.")
                continue
            source = self._source()
            if source is None:
                return None  # recorded answers ran out
            self.events.phase(Phase.LISTENING, "Listening")
            ptt = self._ptt if self._ptt_requested else None
            self._ptt_requested = False
            heard = listen(source, self.engines.vad, on_level=self.events.level,
                           cancel=self._wake if ptt is None else self._stop, push_to_talk=ptt)  # fmt: skip
            self.events.level(0.0)
            if heard.reason == "cancelled":
                continue  # typed text, push-to-talk pressed, or stop: see the top of the loop
            if not heard.heard:
                return "", False, heard.speech_ended_at, heard
            self.events.phase(Phase.TRANSCRIBING, "Transcribing")
            text = self._transcribe(heard)
            if text is None:
                continue
            return text, False, heard.speech_ended_at, heard
        return None

    def _source(self) -> AudioSource | None:
        if self.engines.answers is not None:
            try:
                source = next(self.engines.answers)
            except StopIteration:
                return None
            source.open()
            return source
        drain = getattr(self._mic, "drain", None)
        if drain:
            drain()  # whatever the microphone caught while the tutor spoke
        return self._mic

    def _transcribe(self, heard: Utterance) -> str | None:
        try:
            result = self.engines.asr.transcribe(
                heard.audio, prompt=self.dialogue.prompt_for_asr(), language=self.engines.language
            )
        except Exception as exc:  # a failing model must not end the call: fall back to typing
            self._notice(f"Speech recognition failed ({exc}). Type your answer instead.")
            self.voice_in = False
            return None
        for note in getattr(self.engines.asr, "notices", [])[-1:]:
            if "memory" in note:
                self._notice(note)
        self.events.transcript(result.text)
        return result.text

    def _loop(self) -> None:
        then = NEXT
        asked_at = time.monotonic()
        while not self._stop.is_set() and not self.dialogue.finished:
            if then in (NEXT, REPEAT):
                self._ask()
                asked_at = time.monotonic()
            got = self._hear()
            if got is None:
                break
            text, typed, ended_at, heard = got
            if not typed and heard is not None and heard.heard:
                t_transcript = time.monotonic() - ended_at
            else:
                t_transcript = 0.0
            self.events.phase(Phase.GRADING, "Grading")
            reply = self.dialogue.handle(
                text, typed=typed, answer_ms=int(max(0.0, ended_at - asked_at) * 1000)
            )
            t_verdict = time.monotonic() - ended_at
            speech = self._synth(reply.text)
            t_reply = time.monotonic() - ended_at
            reply.turn.timings = {"to_transcript_s": t_transcript, "to_verdict_s": t_verdict,
                                  "to_reply_s": t_reply}  # fmt: skip
            reply.turn.end_of_turn_s = heard.end_of_turn_s if heard is not None and heard.heard else None
            self.log.append(reply.turn)
            self.events.phase(Phase.REPLYING, reply.text)
            self.events.reply(reply.text, reply.turn)
            self._play(speech)
            then = reply.then
            if then == FINISH:
                break
