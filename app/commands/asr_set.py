"""Build the spoken part of the flashcard answer set: espeak-ng says each answer, Whisper hears it.

    python -m app.commands.asr_set [--model tiny.en] [--split test]

Writes data/grader/asr_answers.jsonl: {question, reference, answer, transcript, label, asr}. The
transcripts keep the clean answer's label, so the evaluation shows how the graders cope with what
the speech recogniser really writes. Uses the app's own recogniser (app.voice.asr); it lives in
commands/ because it sits above both the grader and the voice engines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from app.grader.flashcards import ASR_FILE, DATA_DIR, load_pairs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.commands.asr_set")
    p.add_argument("--model", default="tiny.en")
    p.add_argument("--split", default="test")
    p.add_argument("--out", default=str(DATA_DIR / ASR_FILE))
    args = p.parse_args(argv)

    from app.voice.asr import WhisperASR
    from app.voice.audio import read_wav

    asr = WhisperASR(model=args.model, device="cpu")
    asr.load()
    pairs = [x for x in load_pairs(with_asr=False) if x.split == args.split and x.source == "written"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "answer.wav"
        for i, pair in enumerate(pairs, 1):
            subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "-w", str(wav), pair.answer], check=True)
            text = asr.transcribe(read_wav(wav)).text.strip()
            rows.append({"question": pair.question, "reference": pair.reference, "answer": pair.answer,
                         "transcript": text, "label": pair.label, "asr": f"espeak-ng + whisper {args.model}"})
            print(f"{i}/{len(pairs)} {pair.answer!r} -> {text!r}", file=sys.stderr, flush=True)
    out = Path(args.out)
    tmp_out = out.with_name(out.name + ".tmp")
    tmp_out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    tmp_out.replace(out)
    print(f"wrote {len(rows)} transcripts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
