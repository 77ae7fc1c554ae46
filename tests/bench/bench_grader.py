"""Grader figures: import and load time, per-pair latency (the full grade with its evidence head,
the LSTM's similarity alone, the lexical grader, and a minimal reference: one rapidfuzz ratio),
weights size, and near misses. Prints; never fails on a time.

    .venv/bin/python tests/bench/bench_grader.py [--pairs 300]

Near misses: tests/bench/data/asr_near_misses.jsonl holds, for 29 cards of the sample decks (none
of them in the grader's training data), the answer with one key term swapped ("reset gate" ->
"forget gate"); a good grader calls the exact answer correct and the near miss not correct.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=300)
    args = ap.parse_args()

    from app.grader import default_weights_path, load_grader
    from app.grader.evalset import load_eval

    pairs = [i for i in load_eval() if i.split == "test"][: args.pairs]
    t = time.perf_counter()
    import torch

    print(f"torch import        {time.perf_counter() - t:8.3f} s  (torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)")
    weights = default_weights_path()
    t = time.perf_counter()
    lstm = load_grader("lstm")
    print(f"LSTM load           {time.perf_counter() - t:8.3f} s")
    print(f"weights size        {weights.stat().st_size / 1e6:8.2f} MB  ({weights})")
    head = weights.with_name("head.json")
    if head.is_file():
        print(f"evidence head       {head.stat().st_size / 1e3:8.2f} kB  ({head})")
    params = sum(p.numel() for p in lstm.model.parameters())
    print(f"parameters          {params / 1e6:8.2f} M")
    lexical = load_grader("lexical")
    from rapidfuzz import fuzz

    calls = {
        "lstm": lstm.grade,
        "lstm-sim": lambda r, a, q: lstm.similarity([r], [a]),
        "lexical": lexical.grade,
        "reference": lambda r, a, q: fuzz.token_set_ratio(r, a),  # the minimal reference
    }
    medians = {}
    for name, call in calls.items():
        call(pairs[0].reference, pairs[0].answer, pairs[0].question)  # warm-up
        times = []
        for p in pairs:
            t = time.perf_counter()
            call(p.reference, p.answer, p.question)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        medians[name] = statistics.median(times)
        print(f"{name:9} per pair   median {medians[name]:7.3f} ms, "
              f"p95 {times[int(len(times) * 0.95)]:7.3f} ms over {len(times)} pairs")
    for name in ("lstm", "lstm-sim", "lexical"):
        print(f"{name:9} / reference  {medians[name] / max(medians['reference'], 1e-6):8.0f} x")
    t = time.perf_counter()
    lstm.scores([p.reference for p in pairs], [p.answer for p in pairs], questions=[p.question for p in pairs])
    print(f"LSTM + evidence batched {(time.perf_counter() - t) * 1000 / len(pairs):6.2f} ms per pair")
    near_misses(lstm, lexical)
    return 0


def near_misses(*graders) -> None:
    from bench_asr_prompt import load_items  # the same 29 cards and near misses the ASR bench speaks

    items = load_items(None)
    for grader in graders:
        accepted = sum(grader.grade(i["answer"], i["answer"], i["question"]).verdict == "correct" for i in items)
        rejected = sum(grader.grade(i["answer"], i["near_miss"], i["question"]).verdict != "correct" for i in items)
        print(f"{grader.name:8} near misses not passed {rejected}/{len(items)}, exact answers passed "
              f"{accepted}/{len(items)}")


if __name__ == "__main__":
    sys.exit(main())
