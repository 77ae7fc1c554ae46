"""Call-mode latency and word error rate on espeak-ng answers, per Whisper model.

    .venv/bin/python tests/bench/bench_call.py [--models tiny.en base] [--device cpu] [--rounds 1]

For each model a whole call runs over a 12-card deck with recorded answers (right, partial and
wrong ones, spoken by espeak-ng), through the real engines: VAD, Whisper, the grader, pyttsx3.
Per turn it measures the time from the end of the student's speech to the reply audio being
ready (the VAD's end-of-turn wait included), and the word error rate of the transcript against
what was said. Prints median and p90; never fails on a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import percentile as _pct  # noqa: E402

# (question, card answer, what the student says)
DECK = [
    ("What does the forget gate do?", "It decides what to remove from the cell state",
     "It decides what to remove from the cell state"),
    ("What problem do LSTMs address?", "The vanishing gradient problem", "The vanishing gradient problem"),
    ("What does GRU stand for?", "Gated recurrent unit", "Gated recurrent unit"),
    ("How many gates does a GRU have?", "Two: the update gate and the reset gate", "Just the update gate"),
    ("What is backpropagation through time?", "Backpropagation applied to an unrolled recurrent network",
     "Backpropagation applied to the unrolled network"),
    ("What is the capital of Australia?", "Canberra", "Sydney"),
    ("What does the output gate control?", "How much of the cell state is exposed as the hidden state",
     "How much of the cell state becomes the hidden state"),
    ("What is an embedding?", "A dense vector that represents a token",
     "A dense vector representing a word or token"),
    ("What does dropout do?", "It randomly zeroes activations during training to reduce overfitting",
     "It randomly drops units while training so the network does not overfit"),
    ("What is teacher forcing?", "Feeding the true previous token to the decoder during training",
     "I don't know"),
    ("What is the role of the softmax layer?", "It turns scores into probabilities",
     "It turns the scores into a probability distribution"),
    ("What is gradient clipping?", "Capping the gradient norm to stop exploding gradients",
     "Limiting the size of the gradients so they do not explode"),
]  # fmt: skip


def run_model(model: str, device: str, answers: list[Path], rounds: int) -> dict:
    import time

    from app.grader import load_grader
    from app.store.db import Store
    from app.store.repo import CardRecord, add_cards, get_or_create_deck
    from app.voice.asr import WhisperASR
    from app.voice.call import CallDialogue, CallEngines, CallRunner, call_cards, store_recorder
    from app.voice.capture import FileSource
    from app.voice.tts import Pyttsx3TTS
    from app.voice.wer import word_errors

    asr = WhisperASR(model=model, device=device)
    t0 = time.perf_counter()
    asr.load()
    load_s = time.perf_counter() - t0
    tts = Pyttsx3TTS()
    grader = load_grader()
    latencies, transcribe_s, eot, errors, words, verdicts = [], [], [], 0, 0, []
    work_s: list[float] = []  # the call's time after the VAD ended the turn
    replies: list[str] = []
    for r in range(rounds):
        db = Path(tempfile.mkdtemp()) / f"bench-{r}.sqlite3"
        store = Store(f"sqlite:///{db}")
        with store.transaction() as s:
            deck, _ = get_or_create_deck(s, "Bench")
            add_cards(s, deck, [CardRecord(q, a) for q, a, _ in DECK])
            deck_id = deck.id
        cards = call_cards(store, deck_id, order="deck")
        sources = iter(FileSource(p) for p in answers)
        engines = CallEngines(asr=asr, tts=tts, answers=sources)
        runner = CallRunner(CallDialogue(cards, grader, store_recorder(store)), engines)
        runner.run()
        for turn, (_, _, said) in zip(runner.log, DECK, strict=True):
            latencies.append(turn.timings["to_reply_s"])
            work_s.append(turn.timings["to_reply_s"] - (turn.end_of_turn_s or 0.0))
            replies.append(turn.reply)
            transcribe_s.append(turn.timings["to_transcript_s"] - (turn.end_of_turn_s or 0.0))
            eot.append(turn.end_of_turn_s or 0.0)
            e, n = word_errors(said, turn.transcript)
            errors, words = errors + e, words + n
            verdicts.append(turn.verdict or turn.command)
        store.close()
    # The floor: the same model's transcribe on the same audio, then one synthesis of the same reply.
    from app.voice.audio import read_wav

    reference = []
    for path, reply in zip(answers * rounds, replies, strict=False):
        audio = read_wav(path)
        t0 = time.perf_counter()
        asr.transcribe(audio, language="en")
        tts.synthesize(reply)
        reference.append(time.perf_counter() - t0)
    return {
        "call_work_median_s": statistics.median(work_s),
        "call_work_p90_s": _pct(work_s, 0.9),
        "first_turn_s": work_s[0],
        "ref_median_s": statistics.median(reference),
        "ref_p90_s": _pct(reference, 0.9),
        "model": model,
        "device": asr.active_device,
        "engine": asr.describe(),
        "grader": grader.name,
        "load_s": load_s,
        "turns": len(latencies),
        "median_s": statistics.median(latencies),
        "p90_s": _pct(latencies, 0.9),
        "asr_median_s": statistics.median(transcribe_s),
        "vad_wait_s": statistics.median(eot),
        "wer": errors / max(1, words),
        "verdicts": verdicts,
        "transcripts": [t.transcript for t in runner.log],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="+", default=["tiny.en", "base"])
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda", "auto"))
    ap.add_argument("--rounds", type=int, default=1, help="calls per model (each is 12 turns)")
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="recall-bench-")
    os.environ["RECALL_HOME"] = home  # converted models are cached here, not in the user's folder
    folder = Path(home) / "answers"
    folder.mkdir()
    answers = []
    for i, (_, _, said) in enumerate(DECK):
        path = folder / f"{i:02d}.wav"
        subprocess.run(["espeak-ng", "-s", "160", "-w", str(path), "--", said], check=True)
        answers.append(path)
    print(f"cores: {os.cpu_count()}")
    print(f"{'model':8} {'device':6} {'turns':>5} {'median':>7} {'p90':>7} {'asr med':>8} {'vad':>6} "
          f"{'WER':>6} {'load':>6}")  # fmt: skip
    results = []
    for model in args.models:
        res = run_model(model, args.device, answers, args.rounds)
        results.append(res)
        print(f"{res['model']:8} {res['device']:6} {res['turns']:5d} {res['median_s']:6.2f}s {res['p90_s']:6.2f}s "
              f"{res['asr_median_s']:7.2f}s {res['vad_wait_s']:5.2f}s {res['wer']:6.1%} {res['load_s']:5.1f}s",
              flush=True)  # fmt: skip
    print("\nlatency = end of the student's speech -> reply audio ready (VAD wait + Whisper + grader + TTS)")
    print("\nagainst the floor (after the VAD's end of turn; reference = transcribe + one synthesis):")
    print(f"{'model':8} {'call med':>9} {'call p90':>9} {'ref med':>8} {'ref p90':>8} {'ratio':>6} "
          f"{'1st turn':>9} {'1st/med':>8}")  # fmt: skip
    for r in results:
        print(f"{r['model']:8} {r['call_work_median_s']:8.2f}s {r['call_work_p90_s']:8.2f}s {r['ref_median_s']:7.2f}s "
              f"{r['ref_p90_s']:7.2f}s {r['call_work_median_s'] / r['ref_median_s']:6.2f} {r['first_turn_s']:8.2f}s "
              f"{r['first_turn_s'] / r['call_work_median_s']:8.2f}")  # fmt: skip
    for res in results:
        print(f"\n{res['engine']}, grader: {res['grader']}:")
        for (_q, _, said), heard, v in zip(DECK, res["transcripts"], res["verdicts"], strict=False):
            print(f"  {v:9} said {said!r:60} heard {heard!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
