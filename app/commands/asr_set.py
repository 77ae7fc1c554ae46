"""Build the spoken answers of the grader's answer sets: espeak-ng says each answer, Whisper hears it.

    python -m app.commands.asr_set [--model tiny.en] [--split test]          # data/grader/asr_answers.jsonl
    python -m app.commands.asr_set --evalset [--split test,dev]             # resources/grader/eval/

The transcripts keep the clean answer's label, so the evaluation shows how the graders cope with
what the speech recogniser really writes. Uses the app's own recogniser (app.voice.asr); it lives
in commands/ because it sits above both the grader and the voice engines.

With --evalset every written answer of the kinds in app.grader.evalset.SPOKEN_KINDS is spoken at
two espeak-ng voices; rows are appended to asr_transcripts.jsonl as they are made and rows already
there are skipped, so an interrupted run resumes where it stopped. CPU heavy: about 1 s a clip on
a loaded two-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from app.grader.flashcards import ASR_FILE, DATA_DIR, load_pairs

VOICES = (("en-us", "165"), ("en-gb+f3", "150"))  # (espeak-ng voice, words per minute)


def _speak(text: str, wav: Path, voice: str = "en-us", speed: str = "165") -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", speed, "-w", str(wav), text], check=True)


def _asr(model: str):
    from app.voice.asr import WhisperASR

    asr = WhisperASR(model=model, device="cpu", threads=1)
    asr.load()
    return asr


def flashcard_set(args) -> int:
    from app.voice.audio import read_wav

    asr = _asr(args.model)
    pairs = [x for x in load_pairs(with_asr=False) if x.split == args.split and x.source == "written"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "answer.wav"
        for i, pair in enumerate(pairs, 1):
            _speak(pair.answer, wav)
            text = asr.transcribe(read_wav(wav)).text.strip()
            rows.append({"question": pair.question, "reference": pair.reference, "answer": pair.answer,
                         "transcript": text, "label": pair.label, "asr": f"espeak-ng + whisper {args.model}"})
            print(f"{i}/{len(pairs)} {pair.answer!r} -> {text!r}", file=sys.stderr, flush=True)
    out = Path(args.out or DATA_DIR / ASR_FILE)
    tmp_out = out.with_name(out.name + ".tmp")
    tmp_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp_out.replace(out)
    print(f"wrote {len(rows)} transcripts to {out}")
    return 0


def eval_set(args) -> int:
    from app.grader.evalset import TRANSCRIPTS, eval_dir, load_cards, spoken_items
    from app.voice.audio import read_wav

    out = Path(args.out or eval_dir() / TRANSCRIPTS)
    done = set()
    if out.is_file():
        for line in out.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                done.add((row["question"], row["kind"], row["answer"], row["voice"]))
    # Split by split and voice by voice, so a run cut short still leaves whole voices of the first split.
    items = spoken_items(load_cards())
    todo = [(item, voice, speed) for split in args.split.split(",") for voice, speed in VOICES for item in items
            if item.split == split and (item.question, item.kind, item.answer, voice) not in done]
    print(f"{len(todo)} clips to speak and transcribe ({len(done)} already in {out})", file=sys.stderr)
    if not todo:
        return 0
    asr = _asr(args.model)
    with tempfile.TemporaryDirectory() as tmp, open(out, "a", encoding="utf-8") as fh:
        wav = Path(tmp) / "answer.wav"
        for i, (item, voice, speed) in enumerate(todo, 1):
            _speak(item.answer, wav, voice, speed)
            text = asr.transcribe(read_wav(wav)).text.strip()
            fh.write(json.dumps({"question": item.question, "kind": item.kind, "answer": item.answer,
                                 "voice": voice, "transcript": text,
                                 "asr": f"espeak-ng {voice} {speed} wpm + whisper {args.model}"},
                                ensure_ascii=False) + "\n")
            fh.flush()
            print(f"{i}/{len(todo)} {item.answer!r} -> {text!r}", file=sys.stderr, flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.commands.asr_set")
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--split", default="test", help="split(s) to speak, comma-separated")
    p.add_argument("--evalset", action="store_true", help="the evaluation set in resources/grader/eval")
    p.add_argument("--out", help="output jsonl (default: beside the set)")
    args = p.parse_args(argv)
    return eval_set(args) if args.evalset else flashcard_set(args)


if __name__ == "__main__":
    sys.exit(main())
