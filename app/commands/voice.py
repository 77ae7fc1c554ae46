"""`recall transcribe`, `recall say` and `recall call`: the voice tutor without a window.

Registration imports nothing heavy; Whisper, torch, pyttsx3 and sounddevice load in the handlers.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from app.commands.common import UsageError, UserError, json_output, open_store_for, print_json
from app.stdio import out

MODEL_HELP = "Whisper model: tiny.en (default), base, or a path to a model file/folder"


def register(sub) -> None:
    t = sub.add_parser("transcribe", help="transcribe a WAV file offline with Whisper")
    t.add_argument("file", metavar="FILE.wav")
    _engine_args(t)
    t.add_argument("--language", help="language code (default: en; English-only models always use en)")
    t.add_argument("--prompt", help="text to prime Whisper with (subject words)")
    json_output(t, _transcribe, help="print JSON: text, seconds, device, model, ...")

    s = sub.add_parser("say", help="speak text into a WAV file with the tutor's voice")
    s.add_argument("text")
    s.add_argument("-o", "--output", required=True, metavar="FILE.wav")
    s.add_argument("--language", help="voice language (default: the system voice)")
    s.add_argument("--voice", help="an espeak-ng/SAPI/NSSpeech voice id, e.g. en-us or en+f3")
    s.add_argument("--rate", type=int, default=None, metavar="WPM", help="speaking rate, words per minute")
    json_output(s, _say, help="print JSON: file, seconds, sample_rate, engine")

    c = sub.add_parser("call", help="a call with the voice tutor over a deck")
    c.add_argument("deck", metavar="DECK", help="deck name")
    c.add_argument("--answers", metavar="DIR",
                   help="recorded answers, one WAV per turn in sorted order (no microphone); "
                        "without it the call is live: microphone, speakers, and typed lines on stdin")  # fmt: skip
    _engine_args(c)
    c.add_argument("--order", choices=("deck", "due"), default=None,
                   help="deck order (default with --answers) or today's due cards first (default live)")  # fmt: skip
    c.add_argument("--limit", type=int, default=None, help="at most N cards")
    c.add_argument("--grader", choices=("auto", "lstm", "lexical"), default="auto")
    json_output(c, _call, help="print a JSON list, one object per turn")


def _engine_args(p) -> None:
    p.add_argument("--model", default=None, help=MODEL_HELP)
    p.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default=None, help="default: auto (CUDA if present)"
    )
    p.add_argument(
        "--threads", type=int, default=None, help="CPU threads for Whisper (default: cores - 1, 1..4)"
    )


def _settings_choice(args) -> tuple[str, str]:
    from app.config import load_settings

    settings = load_settings()
    model = args.model or settings.get("whisper_model") or "tiny.en"
    device = args.device or settings.get("whisper_device") or "auto"
    return model, device


def _load_asr(args, quiet: bool):
    from app.voice.asr import shared_asr
    from app.voice.models import ModelError

    model, device = _settings_choice(args)

    def progress(message: str, fraction: float | None) -> None:
        if not quiet and (fraction is None or fraction >= 1.0):
            print(message, file=sys.stderr)

    asr = shared_asr(model, device)
    if not asr.loaded:
        from app.config import load_settings

        asr.threads = args.threads or load_settings().get("whisper_threads")
    try:
        asr.load(progress)
    except ModelError as exc:
        raise UserError(str(exc)) from exc
    for note in asr.notices:
        print(f"recall: {note}", file=sys.stderr)
    return asr


def _transcribe(args) -> int:
    from app.voice.asr import whisper_language
    from app.voice.audio import AudioFileError, read_wav

    try:
        audio = read_wav(args.file)
    except AudioFileError as exc:
        raise UserError(str(exc)) from exc
    started = time.perf_counter()
    asr = _load_asr(args, quiet=args.json)
    load_seconds = time.perf_counter() - started
    language = whisper_language(args.language) if args.language else "en"
    if args.language and language is None:
        raise UsageError(f"unknown language {args.language!r}")
    result = asr.transcribe(audio, prompt=args.prompt, language=language)
    if args.json:
        print_json({**result.as_json(), "file": str(args.file), "load_seconds": round(load_seconds, 3)})
    else:
        print(result.text)
        print(f"({result.model} on {result.device}, {result.seconds:.2f} s)", file=sys.stderr)
    return 0


def _say(args) -> int:
    from app.voice.audio import AudioFileError, load_wav
    from app.voice.tts import Pyttsx3TTS, TTSUnavailable, shared_tts

    target = Path(args.output)
    if not args.text.strip():
        raise UsageError("nothing to say")
    if not target.parent.is_dir():
        raise UserError(f"no folder {target.parent}")
    started = time.perf_counter()
    try:
        if args.voice or args.rate:
            tts = Pyttsx3TTS(args.language, rate_wpm=args.rate or 175, voice=args.voice)
        else:
            tts = shared_tts(args.language)
        tts.save(args.text, target)
        audio, rate = load_wav(target)
    except (TTSUnavailable, AudioFileError) as exc:
        raise UserError(f"cannot speak: {exc}") from exc
    if args.json:
        print_json({
            "file": str(target), "seconds": round(len(audio) / rate, 3), "sample_rate": rate,
            "words": len(args.text.split()), "engine": tts.name,
            "synthesis_seconds": round(time.perf_counter() - started, 3),
        })  # fmt: skip
    return 0


def _answer_sources(folder: str):
    """Every WAV in the folder, read and checked before the call starts."""
    from app.voice.audio import AudioFileError, read_wav
    from app.voice.capture import FileSource

    root = Path(folder)
    if not root.is_dir():
        raise UserError(f"no folder {root}")
    files = sorted(p for p in root.iterdir() if p.suffix.lower() == ".wav" and p.is_file())
    if not files:
        raise UserError(f"no .wav files in {root}")
    audios = []
    for f in files:
        try:
            audios.append(read_wav(f))
        except AudioFileError as exc:
            raise UserError(str(exc)) from exc
    return iter(FileSource(a) for a in audios), len(files)


class _PrintEvents:
    """Progress on stderr; in text mode, the conversation on stdout as it happens."""

    def __init__(self, text_mode: bool) -> None:
        self.text_mode = text_mode

    def phase(self, phase, detail: str = "") -> None: ...

    def progress(self, message: str, fraction: float | None) -> None: ...

    def level(self, value: float) -> None: ...

    def question(self, index: int, total: int, text: str) -> None:
        if self.text_mode:
            print(f"[{index}/{total}] Q: {text}", file=out(), flush=True)

    def transcript(self, text: str) -> None:
        if self.text_mode:
            print(f"  you: {text}", file=out(), flush=True)

    def reply(self, text: str, turn) -> None:
        if self.text_mode and text:
            verdict = f" ({turn.verdict}, {turn.score:.2f})" if turn and turn.score is not None else ""
            print(f"  tutor{verdict}: {text}", file=out(), flush=True)

    def notice(self, text: str) -> None:
        print(f"recall: {text}", file=sys.stderr, flush=True)

    def finished(self, summary) -> None:
        if self.text_mode:
            print(summary.text, file=out(), flush=True)


def _call(args) -> int:
    from app.grader import load_grader
    from app.store.repo import DeckNotFound, get_deck
    from app.voice.asr import whisper_language
    from app.voice.call import (
        CallDialogue,
        CallEngines,
        CallRunner,
        call_cards,
        deck_vocabulary_of,
        store_recorder,
    )
    from app.voice.tts import TTSUnavailable, shared_tts

    answers, n_files = _answer_sources(args.answers) if args.answers else (None, 0)
    store = open_store_for(args)
    with store.session() as session:
        try:
            deck = get_deck(session, args.deck)
        except DeckNotFound as exc:
            raise UserError(str(exc)) from exc
        deck_id, deck_language = deck.id, deck.language
    order = args.order or ("deck" if answers is not None else "due")
    cards = call_cards(store, deck_id, order=order, limit=args.limit)
    if not cards:
        raise UserError(f"deck {args.deck!r} has no cards to ask")
    try:
        grader = load_grader(args.grader)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from exc
    asr = _load_asr(args, quiet=args.json)
    events = _PrintEvents(text_mode=not args.json)
    try:
        tts = shared_tts(deck_language)
    except TTSUnavailable as exc:
        events.notice(f"no speaking voice ({exc}); replies are text only")
        tts = None
    engines = CallEngines(asr=asr, tts=tts, answers=answers, language=whisper_language(deck_language) or "en")
    if answers is None:
        from app.voice.capture import MicrophoneSource
        from app.voice.tts import PlaybackUnavailable, SoundDevicePlayer

        engines.microphone = MicrophoneSource
        try:
            engines.player = SoundDevicePlayer()
        except PlaybackUnavailable as exc:
            events.notice(str(exc))
    dialogue = CallDialogue(cards, grader, store_recorder(store), deck_vocabulary_of(store, deck_id))
    runner = CallRunner(dialogue, engines, events)
    if answers is None:
        threading.Thread(target=_read_stdin, args=(runner,), daemon=True).start()
    try:
        runner.run()
    except KeyboardInterrupt:
        runner.stop()
        raise
    if args.json:
        print_json([t.as_json() for t in runner.log])
    if answers is not None and n_files > len(runner.log):
        events.notice(f"the call ended with {n_files - len(runner.log)} answer file(s) unused")
    return 0


def _read_stdin(runner) -> None:
    for line in sys.stdin:
        runner.submit_text(line.strip())
    if sys.stdin.isatty():  # Ctrl-D ends the call; a closed pipe just means no typing
        runner.stop()
