"""Grader figures: import and load time, per-pair latency, weights size, near misses. Prints;
never fails on a time.

    .venv/bin/python tests/bench/bench_grader.py [--pairs 300]

Per pair, on the evaluation set's test pairs in their order (a card's answers one after the
other, as a session or an evaluation grades them):
- lstm: the full grade (LSTM, evidence, head), one call per pair; the card's reference is encoded
  once and cached, as in use. lstm cold: every cache emptied before each call (a new card with
  words never seen). lstm batched: grade_many over all the pairs (cold caches at the start).
- the minimal references, timed in the same run on the same pairs: the bare LSTM forward pass
  (SiameseLSTM.forward_all through nn.LSTM, what grading ran before lstm_infer; alone per pair and
  in batches of 256), and one rapidfuzz ratio. The ratios to them are printed.

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

    bare = bare_forward(lstm)

    siblings = {(p.reference, p.answer, p.question): p.siblings for p in pairs}

    def grade(r, a, q):  # the shipped grade, given the deck's other references as the Call gives them
        return lstm.grade(r, a, q, siblings[(r, a, q)])

    calls = {
        "lstm": grade,
        "lstm cold": grade,  # with lstm.inference.clear() before each call, outside the timing
        "lstm-sim": lambda r, a, q: lstm.similarity([r], [a]),
        "lexical": lexical.grade,
        "bare LSTM forward": lambda r, a, q: bare([r], [a]),  # minimal reference
        "rapidfuzz": lambda r, a, q: fuzz.token_set_ratio(r, a),  # minimal reference
    }
    medians = {}
    for name, call in calls.items():
        call(pairs[0].reference, pairs[0].answer, pairs[0].question)  # warm-up
        times, cpu = [], []
        for p in pairs:
            if name == "lstm cold":
                lstm.inference.clear()
            t, c = time.perf_counter(), time.thread_time()
            call(p.reference, p.answer, p.question)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
        times.sort()
        medians[name] = statistics.median(times)
        # CPU time too: on a busy machine the wall time of a call longer than a time slice is mostly waiting.
        print(f"{name:17} per pair   median {medians[name]:7.3f} ms, "
              f"p95 {times[int(len(times) * 0.95)]:7.3f} ms over {len(times)} pairs; CPU median "
              f"{statistics.median(cpu):7.3f} ms")
    refs, answers, questions = ([p.reference for p in pairs], [p.answer for p in pairs],
                                [p.question for p in pairs])
    lstm.inference.clear()
    t, c = time.perf_counter(), time.thread_time()
    lstm.grade_many(refs, answers, questions, [p.siblings for p in pairs])
    medians["lstm batched"] = (time.perf_counter() - t) * 1000 / len(pairs)
    cpu_lstm = (time.thread_time() - c) * 1000 / len(pairs)
    t, c = time.perf_counter(), time.thread_time()
    for i in range(0, len(pairs), 256):
        bare(refs[i: i + 256], answers[i: i + 256])
    medians["bare batched"] = (time.perf_counter() - t) * 1000 / len(pairs)
    cpu_bare = (time.thread_time() - c) * 1000 / len(pairs)
    print(f"{'lstm batched':17} per pair   {medians['lstm batched']:7.3f} ms, CPU {cpu_lstm:7.3f} ms "
          "(grade_many, cold caches)")
    print(f"{'bare batched':17} per pair   {medians['bare batched']:7.3f} ms, CPU {cpu_bare:7.3f} ms "
          "(forward_all, batches of 256)")
    for name, ref in (("lstm", "bare LSTM forward"), ("lstm cold", "bare LSTM forward"),
                      ("lstm batched", "bare batched"), ("lstm", "rapidfuzz"), ("lexical", "rapidfuzz")):
        print(f"{name:13} / {ref:17} {medians[name] / max(medians[ref], 1e-6):8.2f} x")
    near_misses(lstm, lexical)
    return 0


def bare_forward(grader):
    """The LSTM alone as grading ran it before app.grader.lstm_infer: both texts featurised and
    through SiameseLSTM.forward_all (nn.LSTM, packed), on one thread, no evidence, no head."""
    import torch

    from app.grader.lstm import lexical_tensor

    def run(refs: list[str], answers: list[str]):
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            with torch.inference_mode():
                ref, _ = grader._tensors(refs)
                ans, _ = grader._tensors(answers)
                return grader.model.forward_all(ref, ans, lexical_tensor(refs, answers))[0].tolist()
        finally:
            torch.set_num_threads(threads)

    return run


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
