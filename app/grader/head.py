"""The calibrated head: a small multinomial logistic regression (with an optional handful of tanh
units beside it) over the LSTM's scores and the evidence signals (app.grader.evidence), trained
on the evaluation set's train cards.

It outputs P(correct), P(partial), P(wrong). The verdict is the most likely class after a shift
of each class's log-odds (`offsets`, fitted on the dev cards for macro-F1); the grade is
P(correct) + P(partial) / 2 of the shifted probabilities. Two score cut-offs are fitted on dev
too (app.grader.thresholds): they are the starting point of per-user calibration, which may only
make verdicts more lenient. Nothing is fitted on test. Every
weight is a named number in resources/grader/head.json, so a verdict can be explained. Scoring
is pure Python (a few dozen multiplications); fitting needs numpy.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from app.grader.base import Thresholds
from app.grader.evidence import FEATURES as EVIDENCE_FEATURES

FORMAT = "recall-grader-head/1"
MODEL_FEATURES = ("lstm", "lstm_head", "copied", "lexical", "token_set")
# Products that let one signal gate another: similarity counts only when the key terms are there.
INTERACTIONS = (("lstm", "coverage"), ("lstm", "replaced"), ("copied", "coverage"), ("lstm_head", "any_wrong"),
                ("lstm", "head_covered"), ("coverage", "few_terms"))
FEATURES = MODEL_FEATURES + EVIDENCE_FEATURES + tuple(f"{a}*{b}" for a, b in INTERACTIONS)
CLASSES = ("correct", "partial", "wrong")


def feature_vector(model: list[float], evidence: list[float]) -> list[float]:
    named = dict(zip(MODEL_FEATURES + EVIDENCE_FEATURES, model + evidence, strict=True))
    return model + evidence + [named[a] * named[b] for a, b in INTERACTIONS]


@dataclass
class Head:
    mean: list[float]
    std: list[float]
    weights: list[list[float]]  # [class][feature]
    bias: list[float]
    thresholds: Thresholds
    meta: dict = field(default_factory=dict)
    # Share of the head's own score in the grade; the rest is the LSTM's similarity (feature 0),
    # which keeps the grade a graded similarity on text unlike the cards. Chosen on dev.
    mix: float = 1.0
    # An optional small tanh layer beside the linear part, for interactions the linear part cannot
    # weigh ("similar overall, but a rare key term replaced"): hidden_w [unit][feature], out_w [class][unit].
    hidden_w: list[list[float]] = field(default_factory=list)
    hidden_b: list[float] = field(default_factory=list)
    out_w: list[list[float]] = field(default_factory=list)
    # Log-odds shift per class (correct, partial, wrong), fitted on dev; None: a head from before
    # the argmax verdict, which decides by the two score cut-offs.
    offsets: list[float] | None = None

    def probabilities(self, x: list[float]) -> list[float]:
        z = [(v - m) / s for v, m, s in zip(x, self.mean, self.std, strict=True)]
        logits = [b + sum(w * v for w, v in zip(row, z, strict=True)) for row, b in zip(self.weights, self.bias,
                                                                                         strict=True)]
        if self.hidden_w:
            h = [math.tanh(b + sum(w * v for w, v in zip(row, z, strict=True)))
                 for row, b in zip(self.hidden_w, self.hidden_b, strict=True)]
            logits = [lg + sum(w * v for w, v in zip(row, h, strict=True)) for lg, row in zip(logits, self.out_w,
                                                                                               strict=True)]
        top = max(logits)
        e = [math.exp(v - top) for v in logits]
        total = sum(e)
        return [v / total for v in e]

    def shifted(self, x: list[float]) -> list[float]:
        """The probabilities after the dev-fitted class shifts (the plain ones without shifts)."""
        p = self.probabilities(x)
        if not self.offsets:
            return p
        z = [math.log(v + 1e-12) + o for v, o in zip(p, self.offsets, strict=True)]
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def score(self, x: list[float]) -> float:
        p = self.shifted(x)
        return self.mix * (p[0] + 0.5 * p[1]) + (1.0 - self.mix) * x[0]

    def verdict(self, x: list[float]) -> str:
        """The most likely class after the shifts; the cut-offs on the score without them."""
        if not self.offsets:
            return self.thresholds.verdict(self.score(x))
        p = self.shifted(x)
        return CLASSES[max(range(len(CLASSES)), key=p.__getitem__)]

    def save(self, path: Path) -> None:
        doc = {"format": FORMAT, "features": list(FEATURES), "classes": list(CLASSES), "mean": self.mean,
               "std": self.std, "weights": self.weights, "bias": self.bias,
               "thresholds": {"correct": self.thresholds.correct, "partial": self.thresholds.partial},
               "mix": self.mix, "hidden_w": self.hidden_w, "hidden_b": self.hidden_b, "out_w": self.out_w,
               "offsets": self.offsets, "meta": self.meta}
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Head:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT or doc.get("features") != list(FEATURES):
            raise ValueError(f"{path} is not a head for this version of the grader")
        th = doc["thresholds"]
        return cls(doc["mean"], doc["std"], doc["weights"], doc["bias"], Thresholds(th["correct"], th["partial"]),
                   doc.get("meta", {}), doc.get("mix", 1.0), doc.get("hidden_w", []), doc.get("hidden_b", []),
                   doc.get("out_w", []), doc.get("offsets"))


def fit_head(x: list[list[float]], labels: list[str], weights: list[float] | None = None, l2: float = 1e-2,
             steps: int = 3000, lr: float = 0.1, seed: int = 13, hidden: int = 0) -> Head:
    """Multinomial logistic regression (plus `hidden` tanh units) by full-batch Adam. Deterministic:
    no sampling, and the hidden units start from `seed`. Thresholds start at 0.75 / 0.4 until fitted on dev."""
    import numpy as np

    X = np.asarray(x, dtype=np.float64)
    y = np.array([CLASSES.index(lab) for lab in labels])
    w_s = np.asarray(weights if weights is not None else np.ones(len(y)), dtype=np.float64)
    w_s = w_s / w_s.mean()
    mean, std = X.mean(0), X.std(0)
    std[std < 1e-6] = 1.0
    Z = (X - mean) / std
    Y = np.eye(len(CLASSES))[y]
    rng = np.random.RandomState(seed)
    params = {"W": np.zeros((len(CLASSES), X.shape[1])), "b": np.zeros(len(CLASSES)),
              "H": rng.normal(0, 0.3, (hidden, X.shape[1])), "c": np.zeros(hidden),
              "V": rng.normal(0, 0.3, (len(CLASSES), hidden))}
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    for t in range(1, steps + 1):
        A = np.tanh(Z @ params["H"].T + params["c"])
        logits = Z @ params["W"].T + params["b"] + A @ params["V"].T
        logits -= logits.max(1, keepdims=True)
        P = np.exp(logits)
        P /= P.sum(1, keepdims=True)
        G = (P - Y) * w_s[:, None] / len(y)
        GA = (G @ params["V"]) * (1 - A**2)
        grads = {"W": G.T @ Z + l2 * params["W"], "b": G.sum(0), "V": G.T @ A + l2 * params["V"],
                 "H": GA.T @ Z + l2 * params["H"], "c": GA.sum(0)}
        for k, g in grads.items():
            m, v = moments[k]
            m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g**2
            moments[k] = (m, v)
            params[k] = params[k] - lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    r = {k: v.round(6).tolist() for k, v in params.items()}
    return Head(mean.tolist(), std.tolist(), r["W"], r["b"], Thresholds(0.75, 0.4),
                {"seed": seed, "l2": l2, "steps": steps, "rows": len(y), "hidden": hidden},
                1.0, r["H"] if hidden else [], r["c"] if hidden else [], r["V"] if hidden else [])


def fit_offsets(probs: list[list[float]], labels: list[str], span: float = 2.0, step: float = 0.1
                ) -> tuple[list[float], float]:
    """Grid-search the correct and partial log-odds shifts (wrong stays 0) for the best macro-F1
    of the argmax verdict on held-out (dev) rows. Ties keep the smaller shift."""
    import numpy as np

    from app.grader.metrics import macro_f1

    logp = np.log(np.asarray(probs, dtype=np.float64) + 1e-12)
    n = int(round(span / step))
    grid = sorted((k * step for k in range(-n, n + 1)), key=abs)
    best: tuple[list[float], float] = ([0.0, 0.0, 0.0], -1.0)
    for a in grid:
        for b in grid:
            pred = (logp + np.array([a, b, 0.0])).argmax(1)
            f1 = macro_f1(labels, [CLASSES[i] for i in pred])
            if f1 > best[1] + 1e-9:
                best = ([round(a, 3), round(b, 3), 0.0], f1)
    return best
