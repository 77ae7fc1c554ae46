"""One process of the call-memory row: load Whisper tiny.en, transcribe one espeak-ng WAV and
print one JSON line with the process's peak memory (VmHWM).

    python -m tests.bench.rows.ui_call_mem app WAV        # the app's voice engine + the grader
    python -m tests.bench.rows.ui_call_mem ref WAV CKPT   # torch + whisper alone, same checkpoint
"""

from __future__ import annotations

import json
import sys

REFERENCE = "It decides what to remove from the cell state"
QUESTION = "What does the forget gate do?"


def vm_hwm_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def app_call(wav: str) -> dict:
    from app.grader import load_grader
    from app.voice.asr import WhisperASR
    from app.voice.audio import read_wav
    from app.voice.models import prepare, resolve

    asr = WhisperASR(model="tiny.en", device="cpu")
    asr.load()
    grader = load_grader()
    heard = asr.transcribe(read_wav(wav), language="en")
    grade = grader.grade(REFERENCE, heard.text, QUESTION)
    ckpt = str(prepare(resolve("tiny.en")).checkpoint)
    return {"text": heard.text, "verdict": str(grade.verdict), "grader": grader.name, "checkpoint": ckpt}


def ref_call(wav: str, ckpt: str) -> dict:
    import torch  # noqa: F401
    import whisper

    from app.voice.audio import read_wav  # numpy only: the same 16 kHz samples, no ffmpeg

    model = whisper.load_model(ckpt, device="cpu")
    audio = read_wav(wav)
    out = whisper.transcribe(model, audio, language="en", fp16=False, temperature=0.0,
                             condition_on_previous_text=False, without_timestamps=True, verbose=None)  # fmt: skip
    return {"text": str(out.get("text", "")).strip()}


def main(argv: list[str]) -> int:
    mode, wav = argv[0], argv[1]
    got = app_call(wav) if mode == "app" else ref_call(wav, argv[2])
    got["vmhwm_mb"] = round(vm_hwm_mb(), 1)
    sys.stdout.write(json.dumps(got) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
