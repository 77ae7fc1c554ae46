"""Fit the evidence head (app.grader.head) on top of the shipped LSTM: `recall grader fit-head`.

Rows: the evaluation set's train cards (written answers, and their speech transcripts where
made) plus the dev cards of the team's older flashcard set (data/grader; the LSTM itself was
trained on that set's train cards, so its scores there are too good to learn from). The two
verdict cut-offs are then fitted on the evaluation set's dev cards. Test cards are never read.
The fit is deterministic (full-batch gradient descent from zeros), so the same data gives the
same head.json. Takes under a minute: the LSTM scores each row once.
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

from app.grader.evalset import EvalItem, load_eval, team_siblings
from app.grader.flashcards import load_pairs
from app.grader.head import FEATURES, Head, feature_vector, fit_head, fit_offsets
from app.grader.metrics import macro_f1
from app.grader.thresholds import fit_thresholds

HIDDEN = 8  # tanh units beside the linear part (0: plain logistic regression)
# The class shifts are fitted on the dev cards and on out-of-fold predictions for the train cards
# (a head fitted without each fifth of them): five times the held-out rows of dev alone, whose
# 58 cards made the two shifts swing from one refit to the next.
SHIFT_FOLDS = 5


def head_rows(grader, refs: list[str], answers: list[str], questions: list[str | None],
              siblings: list[tuple[str, ...]] | None = None) -> list[list[float]]:
    """Feature vectors for the head: the LSTM's outputs and the evidence of each pair (with the
    other references of its deck, where given)."""
    from app.grader.evidence import clean_answer, gather
    from app.grader.text import strip_question_echo

    model_answers = [strip_question_echo(clean_answer(a), q, r) or "<empty>"
                     for r, a, q in zip(refs, answers, questions, strict=True)]
    outs = grader.model_outputs(refs, model_answers)
    siblings = siblings or [()] * len(refs)
    return [feature_vector(feats, gather(r, a, q, aligned, grader.featurizer.index, s).features())
            for r, a, q, s, (feats, aligned) in zip(refs, answers, questions, siblings, outs, strict=True)]


Row = tuple[str, str, str | None, str, float, tuple[str, ...], bool]


def training_items(items: list[EvalItem]) -> list[Row]:
    """(reference, answer, question, label, weight, siblings, from the evaluation set) rows the head learns from."""
    rows = [(i.reference, i.answer, i.question, i.label, 1.0, i.siblings, True) for i in items if i.split == "train"]
    team = team_siblings()
    rows += [(p.reference, p.answer, p.question, p.label, 1.0, team.get(p.question, ()), False)
             for p in load_pairs() if p.split == "dev"]
    # Balanced classes: macro-F1 weighs the rare partial answers as much as the many wrong ones.
    counts = {lab: sum(r[3] == lab for r in rows) for lab in {r[3] for r in rows}}
    return [(a, b, q, lab, w * len(rows) / (len(counts) * counts[lab]), s, e) for a, b, q, lab, w, s, e in rows]


def card_fold(question: str | None, folds: int = SHIFT_FOLDS) -> int:
    return zlib.crc32(("fold:" + (question or "")).encode()) % folds


def out_of_fold(rows: list[Row], x: list[list[float]], l2: float, steps: int, seed: int, hidden: int
                ) -> tuple[list[list[float]], list[str]]:
    """P(class) for each train row of the evaluation set from a head fitted without its card's fold
    (the team set's rows stay in every fit; they are not predicted)."""
    probs: list[list[float]] = []
    labels: list[str] = []
    is_eval = [r[6] for r in rows]
    for f in range(SHIFT_FOLDS):
        keep = [k for k, r in enumerate(rows) if not (is_eval[k] and card_fold(r[2]) == f)]
        held = [k for k, r in enumerate(rows) if is_eval[k] and card_fold(r[2]) == f]
        head = fit_head([x[k] for k in keep], [rows[k][3] for k in keep], [rows[k][4] for k in keep], l2=l2,
                        steps=steps, seed=seed, hidden=hidden)
        probs += [head.probabilities(x[k]) for k in held]
        labels += [rows[k][3] for k in held]
    return probs, labels


def fit(grader, out: Path, seed: int = 13, progress=print, items: list[EvalItem] | None = None,
        l2: float = 1e-2, steps: int = 3000, hidden: int = HIDDEN) -> dict:
    """Fit the head for `grader` (an LstmGrader), fit its thresholds on dev, write `out`."""
    t0 = time.perf_counter()
    items = items if items is not None else load_eval()
    rows = training_items(items)
    progress(f"head: {len(rows)} training rows, {len(FEATURES)} features")
    x = head_rows(grader, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[5] for r in rows])
    head = fit_head(x, [r[3] for r in rows], [r[4] for r in rows], l2=l2, steps=steps, seed=seed, hidden=hidden)
    dev = [i for i in items if i.split == "dev"]
    if dev:
        xd = head_rows(grader, [i.reference for i in dev], [i.answer for i in dev], [i.question for i in dev],
                       [i.siblings for i in dev])
        probs, labels = [head.probabilities(v) for v in xd], [i.label for i in dev]
        oof_p, oof_l = out_of_fold(rows, x, l2, steps, seed, hidden) if SHIFT_FOLDS else ([], [])
        head.offsets, _ = fit_offsets(probs + oof_p, labels + oof_l)
        off_f1 = macro_f1(labels, [head.verdict(v) for v in xd])
        progress(f"head: class shifts {head.offsets} (dev + {len(oof_l)} out-of-fold train rows): "
                 f"dev macro-F1 {off_f1:.3f} (argmax verdict)")
        best = None
        for mix in (1.0, 0.85, 0.7, 0.55):  # the larger share wins a tie
            head.mix = mix
            th, f1 = fit_thresholds([head.score(v) for v in xd], [i.label for i in dev])
            if best is None or f1 > best[2] + 0.005:
                best = (mix, th, f1)
            progress(f"head: mix {mix}: dev macro-F1 {f1:.3f}")
        head.mix, head.thresholds, _ = best
        dev_f1 = off_f1
    else:
        dev_f1 = float("nan")
    head.meta.update({"mix": head.mix, "train_rows": len(rows), "dev_rows": len(dev), "dev_macro_f1": round(dev_f1, 4),
                      "seconds": round(time.perf_counter() - t0, 1)})
    out.parent.mkdir(parents=True, exist_ok=True)
    Head.save(head, out)
    progress(f"head: wrote {out}; thresholds correct>={head.thresholds.correct} partial>={head.thresholds.partial}, "
             f"dev macro-F1 {dev_f1:.3f}")
    return head.meta
