"""Does priming Whisper with the card make wrong answers sound right? Prompt strategies compared.

    nice -n 5 .venv/bin/python tests/bench/bench_asr_prompt.py [--voices en:160 en-us:140] [--limit N]
    nice -n 5 .venv/bin/python tests/bench/bench_asr_prompt.py --conditions [--models base] [--limit N]  # WER per voice condition

Cards come from the sample decks in data/*.json; tests/bench/data/asr_near_misses.jsonl holds, per
card, a hand-written near miss: the card's answer with one key term swapped ("reset gate" ->
"forget gate"). espeak-ng speaks both the right answer and the near miss in each voice, and the real
tiny.en model transcribes every clip once per prompt:

- none; question; question+answer (what the call used to send);
- question+vocab: the deck's subject words from every answer (app.voice.prompting, what the call
  sends now), space-separated, then the question; question+vocab-commas: the same as a comma list;
- deck-questions: the deck's other questions, then this one.

Strategies built from those decodes (no more decoding):

- guard(P): decode without a prompt and with prompt P, keep the unprompted words and take the
  prompted spelling of a word only where both decodes heard the same word (accents, case,
  hyphens, spacing: "Brasilia" -> "Brasília"); guard~N(P) also accepts a prompted word that
  is a deck vocabulary word within rapidfuzz ratio N of the heard one ("mashing" -> "vanishing");
- snap~N(P): one decode with prompt P, then each word within ratio N of a deck vocabulary word
  (and not one itself) is replaced by it.

Per strategy: word error rate on the right answers, the flip rate (near misses transcribed with
the reference's key term instead of the spoken one), the grader's verdict accuracy (right answer
-> correct, near miss -> not correct), how often the verdict is the one the grader gives the
exact words spoken ("as text": what the recogniser can control) and the transcription time per clip. Prints figures only;
never fails on a time.

WER per voice condition (en-us/en-gb, female/male variants, 130-220 wpm, 10 dB white/babble noise,
long silences), prompted and not, against plain whisper.transcribe: tests/bench/bench_asr_voices.py.
"""

from __future__ import annotations

import argparse
import difflib
import json
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.harness import percentile  # noqa: E402

NEAR_MISSES = ROOT / "tests" / "bench" / "data" / "asr_near_misses.jsonl"
PROMPTS = ("none", "question", "question+answer", "question+vocab", "question+vocab-commas", "deck-questions")


def load_items(limit: int | None) -> list[dict]:
    from app.voice.call import plain

    decks = {p.stem: json.loads(p.read_text()) for p in sorted((ROOT / "data").glob("*.json"))}
    items = []
    for line in NEAR_MISSES.read_text().splitlines()[:limit]:
        row = json.loads(line)
        deck = decks[row["deck"]]
        card = deck["cards"][row["card"]]
        answers = [plain(c["back"]) for c in deck["cards"]]
        questions = [plain(c["front"]) for c in deck["cards"]]
        item = {
            **row,
            "question": plain(card["front"]),
            "answer": plain(card["back"]),
            "deck_answers": answers,
            "deck_questions": questions,
        }
        if row["key"] not in item["answer"].lower() or row["key"] in row["near_miss"].lower():
            raise SystemExit(f"bad near miss for {row['deck']} card {row['card']}: key {row['key']!r}")
        items.append(item)
    return items


def has_word(text: str, word: str) -> bool:
    from app.voice.wer import normalise

    return any(w.startswith(word) for w in normalise(text))


def speak(text: str, voice: str, rate: int, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), "--", text],
                   check=True, capture_output=True)  # fmt: skip
    return path


def other_questions(question: str, questions: list[str], chars: int = 700) -> str:
    """The deck's other questions (about 180 tokens of them), then this one, last."""
    picked: list[str] = []
    for q in questions:
        if q != question and sum(map(len, picked)) + len(q) < chars:
            picked.append(q)
    return " ".join([*picked, question])


def _fold(word: str) -> str:
    """No accents, case, hyphens or punctuation: what is left is which word it is."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def guarded_transcript(
    heard: str, primed: str, vocabulary: Iterable[str] = (), *, fuzzy: float | None = None
) -> str:
    """`heard` (decoded without a prompt) with the spelling of `primed` (decoded with one) where
    both decoded the same words: same letters ignoring accents, case, hyphens and spacing ("self
    attention" -> "self-attention", "Brasilia" -> "Brasília"). With `fuzzy`, a primed word that
    is a vocabulary word within that rapidfuzz ratio of the heard one is also taken. Words only
    the primed decode has are dropped: the prompt may have put them there."""
    heard_words, primed_words = heard.split(), primed.split()
    if not heard_words or not primed_words:
        return heard.strip()
    vocab = {_fold(w) for w in vocabulary}
    a = [_fold(w) for w in heard_words]
    b = [_fold(w) for w in primed_words]
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(primed_words[j1:j2])
        elif op == "replace" and "".join(a[i1:i2]) == "".join(b[j1:j2]):
            out.extend(primed_words[j1:j2])  # same letters, different split: "L S T M" -> "LSTM"
        elif op == "replace" and fuzzy is not None and i2 - i1 == j2 - j1:
            out.extend(
                _closer(heard_words[i1 + k], primed_words[j1 + k], vocab, fuzzy) for k in range(i2 - i1)
            )
        elif op in ("replace", "delete"):
            out.extend(heard_words[i1:i2])
    return " ".join(out)


def _closer(heard: str, primed: str, vocab: set[str], fuzzy: float) -> str:
    from rapidfuzz import fuzz

    h, p = _fold(heard), _fold(primed)
    return primed if p in vocab and fuzz.ratio(h, p) >= fuzzy else heard


def snap(text: str, vocab: list[str], fuzzy: float) -> str:
    """One decode, then each word close to (not equal to) a deck vocabulary word becomes that word."""
    from rapidfuzz import fuzz, process

    folded = {_fold(v): v for v in vocab}
    out = []
    for word in text.split():
        w = _fold(word)
        hit = (
            process.extractOne(w, list(folded), scorer=fuzz.ratio)
            if len(w) >= 4 and w not in folded
            else None
        )
        out.append(folded[hit[0]] if hit and hit[1] >= fuzzy else word)
    return " ".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--voices", nargs="+", default=["en:160", "en-us:140"], help="espeak-ng voice:rate")
    ap.add_argument("--limit", type=int, default=None, help="first N cards only")
    ap.add_argument("--cache", type=Path, default=None, help="JSON file of decodes, reused when present")
    ap.add_argument("--show", action="store_true", help="print every near-miss transcript that flipped")
    ap.add_argument(
        "--conditions",
        nargs=argparse.REMAINDER,
        default=None,
        help="instead: WER per voice condition (voices, variants, rates, 10 dB noise, long silences); "
        "the rest of the line goes to bench_asr_voices.py",
    )
    args = ap.parse_args()
    if args.conditions is not None:
        import bench_asr_voices  # beside this file

        sys.argv = [str(Path(__file__).with_name("bench_asr_voices.py")), *args.conditions]
        return bench_asr_voices.main()

    from app.grader import load_grader
    from app.voice.asr import WhisperASR
    from app.voice.audio import read_wav
    from app.voice.prompting import deck_vocabulary, vocabulary_prompt
    from app.voice.wer import word_errors

    items = load_items(args.limit)
    cache: dict[str, dict] = json.loads(args.cache.read_text()) if args.cache and args.cache.exists() else {}
    asr = WhisperASR(model="tiny.en", device="cpu")
    grader = load_grader()
    vocab_by_deck: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        clips = []
        for item in items:
            if item["deck"] not in vocab_by_deck:
                vocab_by_deck[item["deck"]] = deck_vocabulary(item["deck_answers"])
            vocab = vocab_by_deck[item["deck"]]
            prompts = {
                "none": None,
                "question": item["question"],
                "question+answer": f"{item['question']} {item['answer']}",
                "question+vocab-commas": ", ".join(vocab) + ". " + item["question"],
                "question+vocab": vocabulary_prompt(item["question"], vocab),  # what the call uses
                "deck-questions": other_questions(item["question"], item["deck_questions"]),
            }
            for voice in args.voices:
                name, rate = voice.split(":")
                for kind, said in (("right", item["answer"]), ("near", item["near_miss"])):
                    key = f"{item['deck']}/{item['card']}/{voice}/{kind}"
                    done = cache.setdefault(key, {})
                    if any(p not in done for p in PROMPTS):
                        audio = read_wav(speak(said, name, int(rate), Path(tmp) / "clip.wav"))
                        for p in PROMPTS:
                            if p not in done:
                                r = asr.transcribe(audio, prompt=prompts[p], language="en")
                                done[p] = [r.text, r.seconds]
                    clips.append((item, kind, said, cache[key], vocab))
    decode_s = time.perf_counter() - t0
    if args.cache:
        args.cache.write_text(json.dumps(cache, indent=1))

    def strategies(decodes: dict, vocab: list[str]) -> dict[str, tuple[str, float]]:
        out = {p: (decodes[p][0], decodes[p][1]) for p in PROMPTS}
        base_text, base_s = decodes["none"]
        for p in ("question+answer", "question+vocab"):
            text, s = decodes[p]
            out[f"guard({p})"] = (guarded_transcript(base_text, text, vocab, fuzzy=None), base_s + s)
            out[f"guard~75({p})"] = (guarded_transcript(base_text, text, vocab, fuzzy=75), base_s + s)
        for p in ("none", "question"):
            out[f"snap~80({p})"] = (snap(decodes[p][0], vocab, 80), decodes[p][1])
        return out

    rows: dict[str, dict] = {}
    flips_shown = []
    for item, kind, said, decodes, vocab in clips:
        for name, (text, secs) in strategies(decodes, vocab).items():
            row = rows.setdefault(name, {"err": 0, "words": 0, "flip": 0, "near": 0, "ok_right": 0,
                                         "right": 0, "ok_near": 0, "nerr": 0, "nwords": 0, "same": 0, "secs": []})  # fmt: skip
            verdict = grader.grade(item["answer"], text, item["question"]).verdict
            row["same"] += verdict == grader.grade(item["answer"], said, item["question"]).verdict
            row["secs"].append(secs)
            if kind == "right":
                e, n = word_errors(said, text)
                row["err"] += e
                row["words"] += n
                row["right"] += 1
                row["ok_right"] += verdict == "correct"
            else:
                e, n = word_errors(said, text)
                row["nerr"] += e
                row["nwords"] += n
                flipped = has_word(text, item["key"]) and not has_word(text, item["swap"])
                row["near"] += 1
                row["flip"] += flipped
                row["ok_near"] += verdict != "correct"
                if flipped and args.show:
                    flips_shown.append(f"  {name:28} said {said!r} heard {text!r}")
    # The grader alone, on the exact words spoken: the ceiling any transcript can reach.
    ceiling_right = sum(
        grader.grade(i["answer"], i["answer"], i["question"]).verdict == "correct" for i in items
    )
    ceiling_near = sum(
        grader.grade(i["answer"], i["near_miss"], i["question"]).verdict != "correct" for i in items
    )

    print(
        f"tiny.en on CPU ({asr.describe()}), grader {grader.name}; {len(items)} cards x {len(args.voices)} "
        f"voices ({' '.join(args.voices)}) x right/near miss = {len(clips)} clips; decoding took {decode_s:.0f} s"
    )
    print(
        f"grader on the spoken text itself: right->correct {ceiling_right}/{len(items)}, "
        f"near miss->not correct {ceiling_near}/{len(items)}"
    )
    head = (f"{'strategy':28} {'WER right':>9} {'WER near':>8} {'flips':>9} {'right ok':>9} {'near ok':>9} {'verdict acc':>11} {'as text':>7} "
            f"{'med s':>6} {'p90 s':>6}")  # fmt: skip
    print(head)
    print("-" * len(head))
    for name, r in rows.items():
        acc = (r["ok_right"] + r["ok_near"]) / (r["right"] + r["near"])
        print(
            f"{name:28} {r['err'] / max(1, r['words']):9.3f} {r['nerr'] / max(1, r['nwords']):8.3f} {r['flip']:>4}/{r['near']:<4} "
            f"{r['ok_right']:>4}/{r['right']:<4} {r['ok_near']:>4}/{r['near']:<4} {acc:11.3f} {r['same'] / (r['right'] + r['near']):7.3f} "
            f"{statistics.median(r['secs']):6.2f} {percentile(r['secs'], 0.9):6.2f}"
        )
    for line in flips_shown:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
