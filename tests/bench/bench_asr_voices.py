"""Word error rate per voice condition: the app's recogniser against plain whisper.transcribe.

    nice -n 10 .venv/bin/python tests/bench/bench_asr_voices.py [--models tiny.en base] [--limit N]
        [--only NAME ...] [--json]

Speech: the right answers of tests/bench/data/asr_near_misses.jsonl (cards of the sample decks),
spoken by espeak-ng in each condition: en-us and en-gb, female (+f3) and male (+m3) variants,
130-220 words a minute, 10 dB SNR of white or babble noise (mixed in numpy, against the speech's
active level), and several seconds of silence before and after. Rows marked "vad" are first cut
by the app's VAD (app.voice.vad.listen on a file source), as a call does; the others go to the
recogniser whole.

Each clip is decoded three ways with the same loaded model:
- app, no prompt: WhisperASR.transcribe(audio) (the call's decoding options);
- app, prompted: the same with the call's prompt (app.voice.prompting: deck vocabulary + question);
- reference: whisper.transcribe(model, audio) with its default options (temperature fallback,
  conditioning on previous text), the minimal way to use the library.
Prints WER per condition and the median time per clip of the prompted app path against the
reference, and their ratio. Never fails on a time or a figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.bench.bench_asr_prompt import load_items  # noqa: E402
from tests.bench.harness import percentile  # noqa: E402

RATE = 16_000
HISS = 1e-4  # the faint background FileSource uses: no real room is digitally silent


@dataclass(frozen=True)
class Condition:
    name: str
    voice: str
    rate: int = 160
    noise: str | None = None  # "white" or "babble"
    snr_db: float = 10.0
    lead_s: float = 0.3
    trail_s: float = 0.5
    vad: bool = False  # cut by the app's VAD first


CONDITIONS = (
    Condition("en-us+f3 160", "en-us+f3"),
    Condition("en-us+m3 160", "en-us+m3"),
    Condition("en-gb+f3 160", "en-gb+f3"),
    Condition("en-gb+m3 160", "en-gb+m3"),
    Condition("en-us+f3 130", "en-us+f3", 130),
    Condition("en-gb+m3 130", "en-gb+m3", 130),
    Condition("en-us+m3 220", "en-us+m3", 220),
    Condition("en-gb+f3 220", "en-gb+f3", 220),
    Condition("white 10dB en-us+m3", "en-us+m3", noise="white"),
    Condition("babble 10dB en-gb+f3", "en-gb+f3", noise="babble"),
    Condition("white 10dB +vad", "en-us+m3", noise="white", trail_s=1.5, vad=True),
    Condition("babble 10dB +vad", "en-gb+f3", noise="babble", trail_s=1.5, vad=True),
    Condition("silence 4s+4s en-us+f3", "en-us+f3", lead_s=4.0, trail_s=4.0),
    Condition("silence 4s+4s +vad", "en-us+f3", lead_s=4.0, trail_s=4.0, vad=True),
)

BABBLE_TEXTS = (
    ("en-us+m1", "The meeting moved to Thursday afternoon, so bring the printed agenda with you."),
    ("en-gb+f2", "I think the train was late again because of the weather near the river."),
    ("en-us+f4", "Could you pass the salt and tell me what happened at the market yesterday?"),
    ("en-gb+m4", "Nobody knew where the keys were until somebody looked under the old newspaper."),
)


def espeak(text: str, voice: str, rate: int, folder: Path) -> np.ndarray:
    from app.voice.audio import read_wav

    path = folder / "clip.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), "--", text],
                   check=True, capture_output=True)  # fmt: skip
    return read_wav(path)


def active_power(speech: np.ndarray, frame: int = 320) -> float:
    """Mean power over the frames within 30 dB of the loudest: the speech, not its pauses."""
    n = len(speech) // frame
    powers = np.mean(np.square(speech[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    return float(np.mean(powers[powers >= powers.max() * 1e-3]))


def babble(folder: Path, length: int) -> np.ndarray:
    """Four other talkers at once, looped to `length`, each starting somewhere else."""
    mix = np.zeros(length, np.float64)
    for k, (voice, text) in enumerate(BABBLE_TEXTS):
        talker = espeak(text, voice, 170, folder).astype(np.float64)
        talker /= np.sqrt(active_power(talker)) or 1.0
        mix += np.roll(np.resize(talker, length), k * length // len(BABBLE_TEXTS))
    return mix.astype(np.float32)


def render(cond: Condition, text: str, folder: Path, rng: np.random.Generator) -> np.ndarray:
    """The clip as the recogniser (or the VAD) would get it."""
    speech = espeak(text, cond.voice, cond.rate, folder)
    lead, trail = int(cond.lead_s * RATE), int(cond.trail_s * RATE)
    clip = np.concatenate([np.zeros(lead, np.float32), speech, np.zeros(trail, np.float32)])
    clip += rng.normal(0, HISS, len(clip)).astype(np.float32)
    if cond.noise:
        noise = rng.normal(0, 1, len(clip)).astype(np.float32) if cond.noise == "white" else babble(folder, len(clip))
        gain = np.sqrt(active_power(speech) / (np.mean(np.square(noise, dtype=np.float64)) * 10 ** (cond.snr_db / 10)))
        clip = clip + (gain * noise).astype(np.float32)
        peak = float(np.max(np.abs(clip)))
        if peak > 0.99:
            clip *= 0.99 / peak
    return clip.astype(np.float32)


def vad_cut(clip: np.ndarray) -> np.ndarray:
    """What the call would hand the recogniser: the VAD's utterance from this clip."""
    from app.voice.capture import FileSource
    from app.voice.vad import VadConfig, listen

    source = FileSource(clip, lead_silence_s=0.0, trail_silence_s=1.0)
    source.open()
    return listen(source, VadConfig()).audio


def reference(model, audio: np.ndarray) -> tuple[str, float]:
    """The floor: the library's own transcribe with its defaults (fp16 off: CPU)."""
    import whisper

    t0 = time.perf_counter()
    result = whisper.transcribe(model, audio, fp16=False)
    return str(result.get("text", "")).strip(), time.perf_counter() - t0


def run_model(name: str, conditions, items, folder: Path, show: bool) -> list[dict]:
    from app.voice.asr import WhisperASR
    from app.voice.prompting import deck_vocabulary, vocabulary_prompt
    from app.voice.wer import word_errors

    asr = WhisperASR(model=name, device="cpu")
    asr.load()
    print(f"{name}: {asr.describe()}", file=sys.stderr)
    vocab = {i["deck"]: deck_vocabulary(i["deck_answers"]) for i in items}
    rows = []
    for cond in conditions:
        rng = np.random.default_rng(12)
        errs = {"none": 0, "app": 0, "ref": 0}
        words, secs_app, secs_ref, empty = 0, [], [], 0
        for item in items:
            clip = render(cond, item["answer"], folder, rng)
            audio = vad_cut(clip) if cond.vad else clip
            empty += len(audio) == 0
            prompt = vocabulary_prompt(item["question"], vocab[item["deck"]])
            plain = asr.transcribe(audio, language="en").text if len(audio) else ""
            primed = asr.transcribe(audio, prompt=prompt, language="en") if len(audio) else None
            ref_text, ref_s = reference(asr._model, audio) if len(audio) else ("", 0.0)
            for key, text in (("none", plain), ("app", primed.text if primed else ""), ("ref", ref_text)):
                e, n = word_errors(item["answer"], text)
                errs[key] += e
            words += n
            if primed is not None:
                secs_app.append(primed.seconds)
                secs_ref.append(ref_s)
            if show:
                print(f"  [{cond.name}] said {item['answer']!r}\n    app {primed.text if primed else ''!r}"
                      f"\n    ref {ref_text!r}", file=sys.stderr)  # fmt: skip
        med_app = statistics.median(secs_app) if secs_app else float("nan")
        med_ref = statistics.median(secs_ref) if secs_ref else float("nan")
        row = {
            "model": name, "condition": cond.name, "clips": len(items), "vad_missed": empty,
            "wer_no_prompt": errs["none"] / words, "wer_app": errs["app"] / words,
            "wer_reference": errs["ref"] / words, "app_median_s": med_app, "reference_median_s": med_ref,
            "app_p90_s": percentile(secs_app, 0.9) if secs_app else float("nan"),
            "ratio": med_app / med_ref if med_ref else float("nan"),
        }  # fmt: skip
        print(f"  {cond.name}: WER none {row['wer_no_prompt']:.3f} app {row['wer_app']:.3f} ref {row['wer_reference']:.3f}; "
              f"median s app {med_app:.2f} ref {med_ref:.2f}", file=sys.stderr)  # fmt: skip
        rows.append(row)
    return rows


def print_table(rows: list[dict]) -> None:
    head = (f"{'model':8} {'condition':24} {'clips':>5} {'WER none':>8} {'WER app':>8} {'WER ref':>8} "
            f"{'app med s':>9} {'ref med s':>9} {'ratio':>6}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for r in rows:
        missed = f" ({r['vad_missed']} not heard by the VAD)" if r["vad_missed"] else ""
        print(f"{r['model']:8} {r['condition']:24} {r['clips']:>5} {r['wer_no_prompt']:8.3f} {r['wer_app']:8.3f} "
              f"{r['wer_reference']:8.3f} {r['app_median_s']:9.2f} {r['reference_median_s']:9.2f} "
              f"{r['ratio']:6.2f}{missed}")  # fmt: skip
    for model in dict.fromkeys(r["model"] for r in rows):
        mine = [r for r in rows if r["model"] == model]
        print(f"{model}: mean over conditions: WER none {statistics.mean(r['wer_no_prompt'] for r in mine):.3f}, "
              f"app {statistics.mean(r['wer_app'] for r in mine):.3f}, "
              f"reference {statistics.mean(r['wer_reference'] for r in mine):.3f}; "
              f"time ratio app/reference median {statistics.median(r['ratio'] for r in mine):.2f}")  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="+", default=["tiny.en"], help="tiny.en, base (if installed)")
    ap.add_argument("--limit", type=int, default=8, help="answers per condition")
    ap.add_argument("--only", nargs="+", default=None, help="condition names containing these words")
    ap.add_argument("--show", action="store_true", help="print every transcript (stderr)")
    ap.add_argument("--json", action="store_true", help="one JSON document on stdout instead of the table")
    args = ap.parse_args()

    from app.voice.models import ModelError, resolve

    items = load_items(args.limit)
    conditions = [c for c in CONDITIONS if not args.only or any(w in c.name for w in args.only)]
    rows: list[dict] = []
    skipped = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models:
            try:
                resolve(name)
            except ModelError as exc:
                skipped.append(f"{name}: {exc}")
                continue
            rows.extend(run_model(name, conditions, items, Path(tmp), args.show))
    if args.json:
        print(json.dumps({"rows": rows, "skipped": skipped, "seconds": time.perf_counter() - t0}))
        return 0
    print(f"{len(items)} answers x {len(conditions)} conditions; espeak-ng speech; "
          f"CPU; took {time.perf_counter() - t0:.0f} s")  # fmt: skip
    print_table(rows)
    for s in skipped:
        print(f"skipped {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
