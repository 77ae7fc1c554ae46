"""The calibrated head: a small multinomial logistic regression over the LSTM's scores and the
evidence signals (app.grader.evidence), trained on the evaluation set's train cards.

It outputs P(correct), P(partial), P(wrong); the grade is P(correct) + P(partial) / 2, and its
two verdict cut-offs are fitted on the dev cards (app.grader.thresholds), never on test. Every
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

    def probabilities(self, x: list[float]) -> list[float]:
        z = [(v - m) / s for v, m, s in zip(x, self.mean, self.std, strict=True)]
        logits = [b + sum(w * v for w, v in zip(row, z, strict=True)) for row, b in zip(self.weights, self.bias,
                                                                                         strict=True)]
        top = max(logits)
        e = [math.exp(v - top) for v in logits]
        total = sum(e)
        return [v / total for v in e]

    def score(self, x: list[float]) -> float:
        p = self.probabilities(x)
        return self.mix * (p[0] + 0.5 * p[1]) + (1.0 - self.mix) * x[0]

    def save(self, path: Path) -> None:
        doc = {"format": FORMAT, "features": list(FEATURES), "classes": list(CLASSES), "mean": self.mean,
               "std": self.std, "weights": self.weights, "bias": self.bias,
               "thresholds": {"correct": self.thresholds.correct, "partial": self.thresholds.partial},
               "mix": self.mix, "meta": self.meta}
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
                   doc.get("meta", {}), doc.get("mix", 1.0))


def fit_head(x: list[list[float]], labels: list[str], weights: list[float] | None = None, l2: float = 1e-2,
             steps: int = 3000, lr: float = 0.1, seed: int = 13) -> Head:
    """Multinomial logistic regression by full-batch gradient descent (deterministic: no sampling;
    `seed` only names the run). Thresholds start at 0.75 / 0.4 until fitted on dev."""
    import numpy as np

    X = np.asarray(x, dtype=np.float64)
    y = np.array([CLASSES.index(lab) for lab in labels])
    w_s = np.asarray(weights if weights is not None else np.ones(len(y)), dtype=np.float64)
    w_s = w_s / w_s.mean()
    mean, std = X.mean(0), X.std(0)
    std[std < 1e-6] = 1.0
    Z = (X - mean) / std
    Y = np.eye(len(CLASSES))[y]
    W = np.zeros((len(CLASSES), X.shape[1]))
    b = np.zeros(len(CLASSES))
    m_w, v_w, m_b, v_b = (np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b))
    for t in range(1, steps + 1):  # Adam
        logits = Z @ W.T + b
        logits -= logits.max(1, keepdims=True)
        P = np.exp(logits)
        P /= P.sum(1, keepdims=True)
        G = (P - Y) * w_s[:, None] / len(y)
        g_w = G.T @ Z + l2 * W
        g_b = G.sum(0)
        m_w, v_w = 0.9 * m_w + 0.1 * g_w, 0.999 * v_w + 0.001 * g_w**2
        m_b, v_b = 0.9 * m_b + 0.1 * g_b, 0.999 * v_b + 0.001 * g_b**2
        W -= lr * (m_w / (1 - 0.9**t)) / (np.sqrt(v_w / (1 - 0.999**t)) + 1e-8)
        b -= lr * (m_b / (1 - 0.9**t)) / (np.sqrt(v_b / (1 - 0.999**t)) + 1e-8)
    return Head(mean.tolist(), std.tolist(), W.round(6).tolist(), b.round(6).tolist(), Thresholds(0.75, 0.4),
                {"seed": seed, "l2": l2, "steps": steps, "rows": len(y)})
