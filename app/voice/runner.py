"""The call's I/O: speak the question, listen (VAD, push-to-talk or typed text), transcribe, grade,
reply, on whatever thread runs it, reporting through `CallEvents` (the Qt view turns those into
signals, the command line into JSON). Engines that fail are dropped for the best way left."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from app.voice.dialogue import FINISH, NEXT, REPEAT, CallDialogue, Summary, Turn
from app.voice.vad import Utterance, VadConfig, listen

if TYPE_CHECKING:
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


class CallEvents:
    """What a call reports; every method is called on the runner's thread. Override what you need."""

    def phase(self, phase: Phase, detail: str = "") -> None: ...

    def progress(self, message: str, fraction: float | None) -> None: ...

    def level(self, value: float) -> None: ...

    def question(self, index: int, total: int, text: str) -> None: ...

    def partial(self, text: str) -> None:
        """What was heard so far, while the student is still speaking (live sources only)."""

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
    partials: bool = True  # transcribe the answer so far about once a second (live sources)


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
        self._voice_failing = False
        self._warmed = threading.Event()
        self._warmed.set()  # until a call starts its warm-up
        self._asr_error: str | None = None
        self.muted = False  # no speech out: replies are shown as text only
        self.hands_free = True  # False: listen only while push-to-talk is held
        self.spoken: list[str] = []  # every text the voice said (synthesised), in order
        self.voice_failures = 0  # syntheses that failed
        self._halt: tuple[threading.Event, bool] | None = None  # the playback now, interruptible?
        self._halt_lock = threading.Lock()
        self._partials = None

    # controls, from any thread
    def submit_text(self, text: str) -> None:
        self._inbox.put(text)
        self._wake.set()
        self._halt_playback()

    def push_to_talk(self, pressed: bool) -> None:
        if pressed:
            self._ptt.set()
            self._ptt_requested = True
            self._wake.set()
            self._halt_playback()
        else:
            self._ptt.clear()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._halt_playback(everything=True)

    def set_muted(self, muted: bool) -> None:
        """Mute stops the voice now and keeps it off (replies are still shown); unmute brings it back."""
        self.muted = muted
        if muted:
            self._halt_playback(everything=True)

    def set_hands_free(self, on: bool) -> None:
        """Hands-free: the VAD hears each answer; off: the microphone listens only during push-to-talk."""
        self.hands_free = on
        self._wake.set()  # a listen in progress restarts under the new mode

    def _halt_playback(self, everything: bool = False) -> None:
        with self._halt_lock:
            halt = self._halt
        if halt is not None and (everything or halt[1]):
            halt[0].set()

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
            if self._partials is not None:
                self._partials.close()
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

        e = self.engines
        self.events.phase(Phase.LOADING, "Loading speech recognition")
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
        # Whisper and the grader load and run once while the first question is spoken, so the
        # first answer is not graded by a cold model (the first turn used to take 3-4x longer).
        self._warmed.clear()
        self._warm = threading.Thread(target=self._warm_up, name="call-warm-up", daemon=True)
        self._warm.start()

    def _warm_up(self) -> None:
        from app.voice.models import ModelError

        e = self.engines
        try:
            if e.asr is not None:
                try:
                    e.asr.load(self.events.progress)
                    self.events.progress(f"Using {e.asr.describe()}", 1.0)
                    for note in getattr(e.asr, "notices", []):
                        self._notice(note)
                except (ModelError, OSError, RuntimeError, ImportError) as exc:
                    self._asr_error = f"Speech recognition is unavailable ({exc}). Type your answers instead."
            grader = self.dialogue.grader
            card = self.dialogue.current
            if grader is not None and card is not None:
                # The grader's weights load lazily on the first grade: pay for it now.
                with contextlib.suppress(Exception):
                    grader.grade(card.answer, card.question, card.question)
        finally:
            self._warmed.set()

    def _ready_to_hear(self) -> bool:
        """Waits for the warm-up; False (after saying why, once) when speech recognition failed."""
        while not self._warmed.wait(0.1):
            if self._stop.is_set():
                return False
        if self._asr_error is not None:
            self._notice(self._asr_error)
            self._asr_error = None
            self.engines.asr = None
            self.voice_in = False
        return self.voice_in

    def _synth(self, text: str) -> Speech | None:
        from app.voice.tts import TTSUnavailable

        if not self.voice_out or not text or self.muted:
            return None
        try:
            speech = self.engines.tts.synthesize(text)
        except TTSUnavailable as exc:
            self.voice_failures += 1
            if not self._voice_failing:  # say why once; every later reply still tries the voice
                self._notice(f"The speaking voice stopped working ({exc}); replies are shown as text.")
            self._voice_failing = True
            return None
        if self._voice_failing:
            self._voice_failing = False
            self._notice("The speaking voice is working again.")
        self.spoken.append(text)
        return speech

    def _play(self, speech: Speech | None, interruptible: bool = True) -> None:
        from app.voice.tts import PlaybackUnavailable

        if speech is None or self.engines.player is None or self.muted:
            return
        halt = threading.Event()  # set by stop, mute, and (when interruptible) typing or talking
        with self._halt_lock:
            self._halt = (halt, interruptible)
        if self._stop.is_set() or (interruptible and self._wake.is_set()):
            halt.set()
        try:
            self.engines.player.play(speech, halt)
        except PlaybackUnavailable as exc:
            self.engines.player = None
            self._notice(f"No sound output ({exc}); replies are shown as text.")
        finally:
            with self._halt_lock:
                self._halt = None

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
            if self.engines.answers is not None and not self._ready_to_hear():
                continue
            if self._mic is not None and not self.hands_free and not self._ptt_requested:
                if not waiting_for_typing:
                    self.events.phase(Phase.LISTENING, "Hold Space to talk")
                    waiting_for_typing = True
                self._wake.wait(0.5)
                continue
            source = self._source()
            if source is None:
                return None  # recorded answers ran out
            self.events.phase(Phase.LISTENING, "Listening")
            waiting_for_typing = False
            ptt = self._ptt if self._ptt_requested else None
            self._ptt_requested = False
            partials = self._partials_for(source)
            heard = listen(source, self.engines.vad, on_level=self.events.level,
                           cancel=self._wake if ptt is None else self._stop, push_to_talk=ptt,
                           on_speech=partials.feed if partials is not None else None)  # fmt: skip
            if partials is not None:
                partials.end()
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

    def _partials_for(self, source: AudioSource):
        """The partial transcriber for a live source once the model is ready, else None."""
        e = self.engines
        if not e.partials or e.asr is None or not getattr(source, "realtime", False):
            return None
        if self._partials is None:
            from app.voice.partial import PartialTranscriber

            self._partials = PartialTranscriber(e.asr, self.events.partial, prompt=self.dialogue.prompt_for_asr,
                                                language=e.language, ready=self._warmed.is_set)  # fmt: skip
        self._partials.begin(source.rate)
        return self._partials

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
        if not self._ready_to_hear():
            return None
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
