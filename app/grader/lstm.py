"""The LSTM grader: a Siamese BiLSTM over word vectors and hashed character n-grams.

Both texts go through the same encoder (Mueller & Thyagarajan's MaLSTM idea, made bidirectional
with max+mean pooling). Each word is its GloVe vector (the rows Recall needs are baked into the
weights file) plus a bag of hashed character 3-5-grams, so misspelt, split or unseen words
("for get", "lstms", "haemoglobin") still land near their intended word. A small head scores
the pair from the pooled vectors and from soft word alignment in both directions: how much of
the reference the answer covers, and how much of the answer is about the reference (and so which words it missed).

A second output projects each pooled text vector into the teacher's (MiniLM's) embedding space;
training makes it copy the teacher's embedding of that text, so the cosine of two projections is
a small, fast stand-in for the teacher's similarity. The grade is the geometric mean of the
head's score and the mean of that cosine and the lexical score (ModelConfig.blend, blend_scores).

This module imports torch; `app.grader.load_grader()` imports it only when grading.
"""

from __future__ import annotations

import time
import zlib
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from app.grader.base import LENIENCY, Grade, Thresholds, teacher_scale
from app.grader.contradiction import overrule
from app.grader.evidence import Evidence, clean_answer, gather
from app.grader.head import Head, feature_vector
from app.grader.lexical import lexical_features, missing_words
from app.grader.text import STOPWORDS, strip_question_echo, tokens

FORMAT = "recall-lstm-grader/2"
N_LEXICAL = 5  # len(lexical_features(...))


@dataclass
class ModelConfig:
    word_dim: int = 50
    ngram_buckets: int = 16384
    ngram_dim: int = 48
    hidden: int = 128
    head: int = 128
    max_ngrams: int = 12
    max_tokens: int = 48
    residual: bool = False  # start from the lexical score's logit and learn a correction to it
    # Width of the teacher's sentence embedding the encoder learns to reproduce (0: no such head).
    # Copying a 384-number embedding per sentence teaches far more than one score per pair does,
    # and the cosine of the copies is one more feature for the head.
    distill_dim: int = 0
    # The head sees only scalar features (alignment coverage, the copied-embedding cosine, lexical
    # scores), not the 1,024 pooled-vector products: it cannot memorise the training sentences'
    # style, so it carries over to answers unlike the training pairs.
    compact_head: bool = False
    # The grade blends three judges: the head, the copied-embedding similarity and the lexical
    # score (blend_scores). Training fits the head alone; the blend is what grades and what the
    # thresholds are calibrated on. Each judge errs differently, so on answers unlike the training
    # pairs the blend holds up where the head alone drifts (see resources/grader/README.md).
    blend: bool = False


def word_ngrams(word: str, buckets: int, limit: int) -> list[int]:
    """Hashed character 3-, 4- and 5-grams of "<word>" (plus the whole word), ids 1..buckets."""
    w = f"<{word}>"
    grams = [w] + [w[i: i + n] for n in (3, 4, 5) for i in range(len(w) - n + 1)]
    return [1 + zlib.crc32(g.encode()) % buckets for g in grams[:limit]]


class Featurizer:
    """Text -> (word ids, n-gram ids); no torch, so training data can be prepared anywhere."""

    def __init__(self, vocab: list[str], config: ModelConfig) -> None:
        self.vocab = vocab  # index 0 = padding, 1 = unknown
        self.index = {w: i for i, w in enumerate(vocab)}
        self.config = config
        self._cache: dict[str, list[int]] = {}

    def words(self, text: str) -> list[str]:
        return tokens(text)[: self.config.max_tokens] or ["<empty>"]

    def ngrams(self, word: str) -> list[int]:
        grams = self._cache.get(word)
        if grams is None:
            grams = word_ngrams(word, self.config.ngram_buckets, self.config.max_ngrams)
            if len(self._cache) < 200_000:
                self._cache[word] = grams
        return grams

    def encode(self, text: str) -> tuple[list[int], list[list[int]], list[str]]:
        words = self.words(text)
        return [self.index.get(w, 1) for w in words], [self.ngrams(w) for w in words], words


def batch_tensors(items: list[tuple[list[int], list[list[int]]]], max_ngrams: int):
    """Pad a list of (ids, ngrams) to tensors: ids [B,T], ngrams [B,T,K], mask [B,T]."""
    t = max(len(ids) for ids, _ in items)
    ids = torch.zeros(len(items), t, dtype=torch.long)
    grams = torch.zeros(len(items), t, max_ngrams, dtype=torch.long)
    for b, (wid, ng) in enumerate(items):
        ids[b, : len(wid)] = torch.tensor(wid)
        for j, g in enumerate(ng):
            grams[b, j, : len(g)] = torch.tensor(g)
    return ids, grams, ids != 0


def lexical_tensor(references: list[str], answers: list[str]) -> torch.Tensor:
    return torch.tensor([lexical_features(r, a) for r, a in zip(references, answers, strict=True)],
                        dtype=torch.float32)


def blend_scores(head: torch.Tensor, copied: torch.Tensor, lexical: torch.Tensor) -> torch.Tensor:
    """Geometric mean of two judges: the head, trained on the grading task, and the general
    similarity of the texts (mean of the copied-teacher cosine and the lexical score). Both must
    agree: overlapping words cannot outvote a head that saw the one word that makes the answer
    wrong ("output" for "remove"), and a head drifting on text unlike its training pairs is held
    to what the texts plainly share. An arithmetic mean of the three passed such near misses; a
    three-way geometric mean made the dev-fitted thresholds swing with the calibration sample."""
    eps = 1e-3
    return ((head + eps) * ((copied + lexical) / 2 + eps)).sqrt().clamp(0.0, 1.0)


class SiameseLSTM(nn.Module):
    def __init__(self, vocab_size: int, config: ModelConfig) -> None:
        super().__init__()
        c = config
        self.config = c
        self.words = nn.Embedding(vocab_size, c.word_dim, padding_idx=0)
        self.words.weight.requires_grad_(False)  # GloVe rows stay fixed: they carry meaning for unseen pairs
        self.ngrams = nn.Embedding(c.ngram_buckets + 1, c.ngram_dim, padding_idx=0)
        in_dim = c.word_dim + c.ngram_dim
        self.lstm = nn.LSTM(in_dim, c.hidden, batch_first=True, bidirectional=True)
        self.align = nn.Linear(in_dim + 2 * c.hidden, c.hidden)
        self.distill = nn.Linear(4 * c.hidden, c.distill_dim) if c.distill_dim else None
        self.head = nn.Sequential(
            nn.Linear((0 if c.compact_head else 8 * c.hidden) + 4 + N_LEXICAL + (1 if c.distill_dim else 0), c.head),
            nn.ReLU(),
            nn.Dropout(0.1), nn.Linear(c.head, 1)
        )
        if c.residual:
            self.lex_weight = nn.Parameter(torch.tensor(1.0))
            nn.init.zeros_(self.head[-1].weight)
            nn.init.zeros_(self.head[-1].bias)

    def word_features(self, ids, grams):
        n = self.ngrams(grams)  # [B,T,K,D]
        count = (grams != 0).sum(-1, keepdim=True).clamp(min=1)
        return torch.cat([self.words(ids), n.sum(2) / count], -1)

    def encode(self, ids, grams, mask):
        x = self.word_features(ids, grams)
        lengths = mask.sum(1).clamp(min=1)
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        m = mask.unsqueeze(-1)
        pooled_max = h.masked_fill(~m, -1e4).max(1).values
        pooled_mean = (h * m).sum(1) / lengths.unsqueeze(-1)
        a = nn.functional.normalize(self.align(torch.cat([x, h], -1)), dim=-1)
        return torch.cat([pooled_max, pooled_mean], -1), a

    def encode_both(self, ref, ans):
        """Both sides in one LSTM call (padded to the longer), split back: half the calls of
        encoding each side alone, the same numbers (padding is masked everywhere)."""
        if ref[0].shape[0] != ans[0].shape[0]:
            return self.encode(*ref), self.encode(*ans)
        t = max(ref[0].shape[1], ans[0].shape[1])

        def pad(x):
            extra = t - x.shape[1]
            if not extra:
                return x
            shape = list(x.shape)
            shape[1] = extra
            return torch.cat([x, x.new_zeros(shape)], 1)

        ids, grams, mask = (torch.cat([pad(a), pad(b)], 0) for a, b in zip(ref, ans, strict=True))
        pooled, aligned = self.encode(ids, grams, mask)
        n, tr, ta = ref[0].shape[0], ref[0].shape[1], ans[0].shape[1]
        return (pooled[:n], aligned[:n, :tr]), (pooled[n:], aligned[n:, :ta])

    def project(self, pooled):
        """Pooled text vectors -> unit vectors in the teacher's (MiniLM's) embedding space."""
        return nn.functional.normalize(self.distill(pooled), dim=-1)

    @staticmethod
    def alignment(a_ref, m_ref, a_ans, m_ans):
        """Cosine of every reference word with its best-matching answer word: [B, T_ref]."""
        sim = torch.einsum("bid,bjd->bij", a_ref, a_ans).masked_fill(~m_ans.unsqueeze(1), -1.0)
        return sim.max(2).values.masked_fill(~m_ref, 0.0), sim

    def forward(self, ref, ans, lexical):
        """ref/ans: (ids, ngrams, mask) batches; lexical: [B, N_LEXICAL] from lexical_features()."""
        score, best_r, p_u, p_v = self.forward_all(ref, ans, lexical)
        if self.config.blend and p_u is not None:
            copied = teacher_scale((p_u * p_v).sum(-1)).clamp(0.0, 1.0)
            score = blend_scores(score, copied, lexical[:, 0])
        return score, best_r

    def forward_all(self, ref, ans, lexical):
        """The head's score, the alignment, and both texts' teacher-space embeddings (None without a
        distillation head). Training uses this; grading uses forward()."""
        (u, a_r), (v, a_a) = self.encode_both(ref, ans)
        return self.pair_head(u, a_r, ref[2], v, a_a, ans[2], lexical)

    def pair_head(self, u, a_r, m_r, v, a_a, m_a, lexical, p_u=None, p_v=None, exact: bool = False):
        """forward_all from both texts' encodings; p_u/p_v: their teacher-space projections if known.
        exact: padded reference rows never count as an answer word's best match, so a pair scores
        the same in any batch as alone (training, which fitted these weights, lets them count)."""
        best_r, sim = self.alignment(a_r, m_r, a_a, m_a)
        best_a = (sim.masked_fill(~m_r.unsqueeze(2), -1.0) if exact else sim).max(1).values.masked_fill(~m_a, 0.0)
        cov_r = best_r.sum(1) / m_r.sum(1).clamp(min=1)
        cov_a = best_a.sum(1) / m_a.sum(1).clamp(min=1)
        min_r = best_r.masked_fill(~m_r, 1.0).min(1).values
        ratio = (m_a.sum(1).float() / m_r.sum(1).clamp(min=1)).clamp(max=3.0)
        parts = [] if self.config.compact_head else [(u - v).abs(), u * v]
        parts += [torch.stack([cov_r, cov_a, min_r, ratio], 1), lexical]
        if self.distill is not None:
            p_u = self.project(u) if p_u is None else p_u
            p_v = self.project(v) if p_v is None else p_v
            parts.append((p_u * p_v).sum(-1, keepdim=True))
        logit = self.head(torch.cat(parts, -1)).squeeze(-1)
        if self.config.residual:
            lex = lexical[:, 0].clamp(0.02, 0.98)
            logit = logit + self.lex_weight * torch.log(lex / (1 - lex))
        return torch.sigmoid(logit), best_r, p_u, p_v


def save_weights(path: Path, model: SiameseLSTM, vocab: list[str], thresholds: Thresholds, meta: dict) -> None:
    """Write to a temporary file beside `path`, then rename: an interrupted save never leaves half a file."""
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    doc = {"format": FORMAT, "config": asdict(model.config), "vocab": vocab, "state": state,
           "thresholds": {"correct": thresholds.correct, "partial": thresholds.partial},
           "meta": meta}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        torch.save(doc, tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _one_thread():
    """Run a tiny forward pass on one thread. The model is too small to gain from more, and on a
    busy two-core machine spinning OpenMP threads made a 2.5 ms pair take 12 ms (p95 0.6 s)."""
    previous = torch.get_num_threads()
    if previous == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class LstmGrader:
    name = "lstm"
    # A reference word the answer does not spell is still covered when the model aligns an answer
    # word to it this closely. Spelling variants are caught lexically first; with the distilled
    # encoder, related but different words reach 0.85 ("urine" to "blood"), so the bar is 0.9.
    MISSING_CUTOFF = 0.9

    def __init__(self, model: SiameseLSTM, featurizer: Featurizer, thresholds: Thresholds,
                 meta: dict | None = None, head: Head | None = None) -> None:
        self.model = model.eval()
        self.featurizer = featurizer
        self.similarity_thresholds = thresholds  # for the LSTM's similarity alone
        self.head = head  # the evidence head (head.json beside the weights); None: similarity only
        self.thresholds = head.thresholds if head else thresholds
        self.meta = meta or {}
        self.load_seconds = 0.0
        from app.grader.lstm_infer import Inference  # imports this module: here, not at the top
        self.inference = Inference(self.model, featurizer)  # caches: word rows, encoded references

    @classmethod
    def load(cls, path: Path, head: Path | None = None) -> LstmGrader:
        """`head`: the evidence head's file (default head.json beside the weights, if there)."""
        t0 = time.perf_counter()
        doc = torch.load(path, map_location="cpu", weights_only=True)
        if doc.get("format") != FORMAT:
            raise ValueError(f"{path} is not a Recall LSTM grader file")
        config = ModelConfig(**doc["config"])
        model = SiameseLSTM(len(doc["vocab"]), config)
        model.load_state_dict({k: v.float() for k, v in doc["state"].items()})
        th = doc["thresholds"]
        head_path = head or path.with_name("head.json")
        grader = cls(model, Featurizer(doc["vocab"], config), Thresholds(th["correct"], th["partial"]),
                     doc.get("meta", {}), Head.load(head_path) if head_path.is_file() else None)
        grader.load_seconds = time.perf_counter() - t0
        return grader

    def _tensors(self, texts: list[str]):
        enc = [self.featurizer.encode(t) for t in texts]
        return batch_tensors([(e[0], e[1]) for e in enc], self.featurizer.config.max_ngrams), [e[2] for e in enc]

    def similarity(self, references: list[str], answers: list[str], head_only: bool = False) -> list[float]:
        """The LSTM's own score (blend of its head and similarity), in batches; head_only: the
        trained head without the blend, so the evaluation can show what each part adds."""
        out: list[float] = []
        call = self.model.forward_all if head_only else self.model
        with torch.inference_mode(), _one_thread():
            for i in range(0, len(references), 256):
                ref, _ = self._tensors(references[i: i + 256])
                ans, _ = self._tensors(answers[i: i + 256])
                lex = lexical_tensor(references[i: i + 256], answers[i: i + 256])
                out.extend(call(ref, ans, lex)[0].tolist())
        return out

    def model_outputs(self, references: list[str], answers: list[str]) -> list[tuple[list[float], dict]]:
        """Per pair: the model features of the evidence head (blend, LSTM head, copied-teacher
        cosine, lexical score, token-set ratio) and the reference words' best alignment."""
        with torch.inference_mode(), _one_thread():
            return self.inference.outputs(references, answers)

    def evidence(self, references: list[str], answers: list[str], questions: list[str | None] | None = None,
                 siblings: list[tuple[str, ...] | None] | None = None) -> list[tuple[float, Evidence, str]]:
        """Per pair: the grade's score (the evidence head's, or the similarity without a head),
        the evidence behind it and the verdict. `siblings`: per pair, the deck's other references."""
        questions, siblings = questions or [None] * len(references), siblings or [None] * len(references)
        model_answers = [strip_question_echo(clean_answer(a), q, r) or "<empty>"
                         for r, a, q in zip(references, answers, questions, strict=True)]
        outs = self.model_outputs(references, model_answers)
        result = []
        for r, a, q, s, (feats, aligned) in zip(references, answers, questions, siblings, outs, strict=True):
            ev = gather(r, a, q, aligned, self.featurizer.index, s)
            x = feature_vector(feats, ev.features()) if self.head else []
            score = min(1.0, max(0.0, self.head.score(x))) if self.head else feats[0]
            verdict = self.head.verdict(x) if self.head else self.thresholds.verdict(score)
            if self.head and self.thresholds != self.head.thresholds:  # the user's calibration: only more lenient
                verdict = min(verdict, self.thresholds.verdict(score), key=LENIENCY.index)
            result.append(overrule(ev, score, verdict, self.thresholds))  # a negated claim: never correct
        return result

    def scores(self, references: list[str], answers: list[str], head_only: bool = False,
               questions: list[str | None] | None = None) -> list[float]:
        """Batch scoring for evaluation; grade() is the per-answer call. head_only: the LSTM's
        trained head alone (no blend, no evidence)."""
        if head_only or self.head is None:
            return self.similarity(references, answers, head_only)
        return [s for s, _, _ in self.evidence(references, answers, questions)]

    def score(self, reference: str, answer: str, question: str | None = None) -> float:
        return self.grade(reference, answer, question).score

    def grade(self, reference: str, answer: str, question: str | None = None,
              siblings: list[str] | tuple[str, ...] | None = None) -> Grade:
        if not tokens(strip_question_echo(clean_answer(answer), question, reference)):
            ev = gather(reference, answer, question)
            return Grade(0.0, "wrong", ev.missing or _content(tokens(reference)), self.name, ev.matched, [])
        if self.head is None:
            return self._similarity_grade(reference, answer, question)
        score, ev, verdict = self.evidence([reference], [answer], [question], [tuple(siblings or ())])[0]
        return Grade(score, verdict, ev.missing, self.name, ev.matched, ev.wrong_terms)

    def grade_many(self, references: list[str], answers: list[str], questions: list[str | None] | None = None,
                   siblings: list[tuple[str, ...] | None] | None = None) -> list[Grade]:
        """grade() of many pairs in batches: the same grades, a fraction of the time per pair."""
        from app.grader.lstm_infer import grade_many

        return grade_many(self, references, answers, questions, siblings)

    def _similarity_grade(self, reference: str, answer: str, question: str | None) -> Grade:
        answer = strip_question_echo(answer, question, reference)
        # One padded batch holds both texts; row 0 is the reference, row 1 the answer.
        (ids, grams, mask), _ = self._tensors([reference, answer])
        with torch.inference_mode(), _one_thread():
            score_t, best = self.model((ids[:1], grams[:1], mask[:1]), (ids[1:], grams[1:], mask[1:]),
                                       lexical_tensor([reference], [answer]))
        score = float(score_t[0])
        words = self.featurizer.words(reference)
        verdict = self.thresholds.verdict(score)
        ev = gather(reference, answer, question)
        return Grade(score, verdict, self._missing(reference, answer, words, best[0].tolist()), self.name,
                     ev.matched, ev.wrong_terms)

    def _missing(self, reference: str, answer: str, words: list[str], best: list[float]) -> list[str]:
        """Reference content words neither matched in spelling nor aligned by the model, as phrases."""
        lexical_gaps = set(missing_words(reference, answer))
        phrases: list[str] = []
        run: list[str] = []
        for w, b in zip(words, best, strict=False):
            gap = w in lexical_gaps and b < self.MISSING_CUTOFF
            if gap:
                run.append(w)
            else:  # adjacent missing words ("cell state") make one phrase; anything else ends it
                if run:
                    phrases.append(" ".join(run))
                run = []
        if run:
            phrases.append(" ".join(run))
        return list(dict.fromkeys(phrases))


def _content(words: list[str]) -> list[str]:
    return [w for w in dict.fromkeys(words) if w not in STOPWORDS]
