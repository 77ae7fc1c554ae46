"""Grading-time inference for the Siamese LSTM (app.grader.lstm): the model's own forward pass,
with the work that repeats from call to call done once.

- Word rows: a word's input row (its GloVe vector and the mean of its hashed character n-gram
  vectors) depends on the word alone, so it is computed once and kept in a table; a text's input
  is one index into that table instead of id and n-gram tensors built and embedded per call.
- References: a session, a Learn round or an evaluation grades many answers against the same
  card, and the reference is half the LSTM work of a pair. Its encoding (pooled vector,
  alignment vectors, teacher-space projection) is kept in an LRU keyed by its text.
- One text goes through the LSTM unpacked (SiameseLSTM.encode_features); many go through one
  packed call.

The numbers equal SiameseLSTM.forward_all on the pair up to float rounding (a different batch
shape in the matrix products); tests/grader/test_lstm_infer.py holds the grades to 1e-6.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn

from app.grader.base import Grade, teacher_scale
from app.grader.evidence import clean_answer
from app.grader.lstm import Featurizer, LstmGrader, SiameseLSTM, blend_scores, lexical_tensor
from app.grader.text import strip_question_echo, tokens

BATCH = 256  # texts per LSTM call: big enough to amortise the call, small enough to keep padding cheap


@dataclass(frozen=True)
class Encoded:
    """One text through the encoder."""

    words: list[str]
    pooled: torch.Tensor  # [4H] max and mean of the BiLSTM states
    aligned: torch.Tensor  # [T, H] unit alignment vectors, one per word
    projected: torch.Tensor | None  # [distill_dim] unit vector in the teacher's space (None: no distill head)


class Inference:
    """Encodes texts and scores pairs for LstmGrader, with a word-row table and a reference LRU.
    Call inside torch.inference_mode(); not shared between threads without a lock (the caches)."""

    def __init__(self, model: SiameseLSTM, featurizer: Featurizer, references: int = 1024,
                 words: int = 32768) -> None:
        self.model = model
        self.featurizer = featurizer
        self.max_references = references
        self.max_words = words  # about 400 bytes a word; a user's decks use a few thousand
        self._encoder = StepEncoder(model)
        self.clear()

    def clear(self) -> None:
        """Forget every cached word row and reference (the benchmark's cold figure)."""
        self._clear_words()
        self._refs: OrderedDict[str, Encoded] = OrderedDict()

    def _clear_words(self) -> None:
        dim = self.model.config.word_dim + self.model.config.ngram_dim
        self._table = torch.zeros(64, dim)  # row 0: padding (zeros, as the embeddings' padding rows); grows
        self._slots: dict[str, int] = {}

    # ------------------------------------------------------------ word rows

    def _slot_ids(self, texts_words: list[list[str]]) -> list[list[int]]:
        new = list(dict.fromkeys(w for words in texts_words for w in words if w not in self._slots))
        if len(self._slots) + len(new) >= self.max_words:  # full: start over rather than grow without bound
            self._clear_words()  # the cached references keep their own tensors
            new = list(dict.fromkeys(w for words in texts_words for w in words))
        if new:
            f = self.featurizer
            ids, grams, _ = _word_batch([(f.index.get(w, 1), f.ngrams(w)) for w in new], f.config.max_ngrams)
            rows = self.model.word_features(ids, grams)[:, 0]  # [N, D]: each word alone, the same numbers
            start = len(self._slots) + 1
            need = start + len(new)
            if need > self._table.shape[0]:
                grown = torch.zeros(max(need, 2 * self._table.shape[0]), self._table.shape[1])
                grown[:start] = self._table[:start]
                self._table = grown
            self._table[start:need] = rows
            self._slots.update((w, start + k) for k, w in enumerate(new))
        return [[self._slots[w] for w in words] for words in texts_words]

    # ------------------------------------------------------------ encoding

    def encode(self, texts: list[str]) -> list[Encoded]:
        out: list[Encoded] = []
        for i in range(0, len(texts), BATCH):
            words = [self.featurizer.words(t) for t in texts[i: i + BATCH]]
            slots = self._slot_ids(words)
            t = max(len(s) for s in slots)
            index = torch.tensor([s + [0] * (t - len(s)) for s in slots])
            mask = index != 0
            pooled, aligned = self._encoder(self._table[index], mask, [len(x) for x in slots])
            projected = self.model.project(pooled) if self.model.distill is not None else None
            for b, w in enumerate(words):
                out.append(Encoded(w, pooled[b], aligned[b, : len(w)],
                                   projected[b] if projected is not None else None))
        return out

    def references(self, texts: list[str]) -> list[Encoded]:
        """Encodings of reference texts, from the LRU where there; the new ones in one call."""
        return self._lookup(texts, [])[0]

    def _lookup(self, refs: list[str], answers: list[str]) -> tuple[list[Encoded], list[Encoded]]:
        """References from the LRU (the new ones kept there), answers too where one is some card's
        reference text; everything not cached goes through the encoder in one call."""
        missing = [t for t in dict.fromkeys(refs) if t not in self._refs]
        new = [t for t in dict.fromkeys(answers) if t not in self._refs and t not in missing]
        encoded = dict(zip(missing + new, self.encode(missing + new) if missing or new else [], strict=True))
        for t in missing:  # copies: a view would pin its whole batch in the cache
            e = encoded[t]
            self._refs[t] = Encoded(e.words, e.pooled.clone(), e.aligned.clone(),
                                    e.projected.clone() if e.projected is not None else None)
        for t in dict.fromkeys(refs):
            self._refs.move_to_end(t)
        found = [self._refs[t] for t in refs]
        said = [self._refs.get(t) or encoded[t] for t in answers]
        while len(self._refs) > self.max_references:
            self._refs.popitem(last=False)
        return found, said

    # ------------------------------------------------------------ pairs

    def outputs(self, references: list[str], answers: list[str]) -> list[tuple[list[float], dict]]:
        """Per pair: the evidence head's model features (blend, LSTM head, copied-teacher cosine,
        lexical score, token-set ratio) and each reference word's best alignment with the answer."""
        out: list[tuple[list[float], dict]] = []
        for i in range(0, len(references), BATCH):
            refs, answers_i = references[i: i + BATCH], answers[i: i + BATCH]
            r_enc, a_enc = self._lookup(refs, answers_i)
            out.extend(self._pairs(r_enc, a_enc, lexical_tensor(refs, answers_i)))
        return out

    def _pairs(self, r_enc: list[Encoded], a_enc: list[Encoded], lex: torch.Tensor
               ) -> list[tuple[list[float], dict]]:
        model = self.model
        a_r, m_r = _padded([e.aligned for e in r_enc])
        a_a, m_a = _padded([e.aligned for e in a_enc])
        u = torch.stack([e.pooled for e in r_enc])
        v = torch.stack([e.pooled for e in a_enc])
        p_u = p_v = None
        if model.distill is not None:
            p_u = torch.stack([e.projected for e in r_enc])
            p_v = torch.stack([e.projected for e in a_enc])
        head, best, p_u, p_v = model.pair_head(u, a_r, m_r, v, a_a, m_a, lex, p_u, p_v, exact=True)
        if p_u is not None:
            copied = teacher_scale((p_u * p_v).sum(-1)).clamp(0.0, 1.0)
            blend = blend_scores(head, copied, lex[:, 0]) if model.config.blend else head
        else:
            copied, blend = head, head
        rows = torch.stack([blend, head, copied, lex[:, 0], lex[:, 2]], 1).tolist()
        best_rows = best.tolist()
        out = []
        for b, enc in enumerate(r_enc):
            aligned: dict[str, float] = {}
            for w, x in zip(enc.words, best_rows[b], strict=False):
                aligned[w] = max(x, aligned.get(w, -1.0))
            out.append((rows[b], aligned))
        return out


class StepEncoder:
    """SiameseLSTM.encode for grading, the BiLSTM written out step by step: nn.LSTM's fused call
    costs a fixed ~0.2 ms per direction (it re-lays out the weights each call), several times the
    work of a short answer. Here the input side of every gate and of the alignment layer is one
    matrix product for the whole text, and each step is one batched product for both directions
    and five element-wise operations. The same weights and equations (gate order i, f, g, o),
    equal to nn.LSTM up to float rounding."""

    def __init__(self, model: SiameseLSTM) -> None:
        lstm, align = model.lstm, model.align
        d, h = lstm.input_size, lstm.hidden_size
        with torch.no_grad():
            w_in = torch.cat([lstm.weight_ih_l0, lstm.weight_ih_l0_reverse, align.weight[:, :d]], 0)
            self.w_in = w_in.t().contiguous()  # [d, 8H + H]: both directions' gates, the alignment's x part
            self.b_in = torch.cat([lstm.bias_ih_l0 + lstm.bias_hh_l0,
                                   lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse, align.bias])
            self.w_hh = torch.stack([lstm.weight_hh_l0.t(), lstm.weight_hh_l0_reverse.t()]).contiguous()  # [2, H, 4H]
            self.w_ah = align.weight[:, d:].t().contiguous()  # [2H, H]: the alignment's LSTM-state part
        self.hidden = h

    def __call__(self, x: torch.Tensor, mask: torch.Tensor, lengths: list[int]):
        """x [B,T,D] word rows (zeros past each length) -> (pooled [B,4H], alignment vectors [B,T,H])."""
        b, t, _ = x.shape
        h4 = 4 * self.hidden
        proj = torch.addmm(self.b_in, x.reshape(b * t, -1), self.w_in).view(b, t, -1)
        padded = any(n != t for n in lengths)
        # The backward direction reads each text from its own last word: reverse within the length.
        rev = torch.tensor([list(range(n - 1, -1, -1)) + list(range(n, t)) for n in lengths]) if padded else None
        back = proj[..., h4: 2 * h4]
        back = back.gather(1, rev.unsqueeze(-1).expand(b, t, h4)) if padded else back.flip(1)
        gin = torch.stack([proj[..., :h4], back]).permute(2, 0, 1, 3).contiguous()  # [T, 2, B, 4H]
        hid = self.hidden
        h = x.new_zeros(2, b, hid)
        c = x.new_zeros(2, b, hid)
        states = []
        for step in range(t):
            gates = torch.baddbmm(gin[step], h, self.w_hh)
            s = gates.sigmoid()
            c = torch.addcmul(s[..., hid: 2 * hid] * c, s[..., :hid], gates[..., 2 * hid: 3 * hid].tanh())
            h = s[..., 3 * hid:] * c.tanh()
            states.append(h)
        hs = torch.stack(states, 2)  # [2, B, T, H]
        back_h = hs[1].gather(1, rev.unsqueeze(-1).expand(b, t, hid)) if padded else hs[1].flip(1)
        out = torch.cat([hs[0], back_h], -1)
        m = mask.unsqueeze(-1)
        if padded:
            out = out * m  # zeros past the length, as nn.LSTM's packed call leaves them
        pooled_max = out.masked_fill(~m, -1e4).max(1).values
        pooled_mean = (out * m).sum(1) / mask.sum(1).clamp(min=1).unsqueeze(-1)
        aligned = nn.functional.normalize(proj[..., 2 * h4:] + out @ self.w_ah, dim=-1)
        return torch.cat([pooled_max, pooled_mean], -1), aligned


def _word_batch(items: list[tuple[int, list[int]]], max_ngrams: int):
    """Single words as a [N,1] id batch and a [N,1,K] n-gram batch, for their input rows."""
    ids = torch.tensor([[i] for i, _ in items])
    grams = torch.tensor([[g + [0] * (max_ngrams - len(g))] for _, g in items])
    return ids, grams, ids != 0


def _padded(rows: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """[T_b, H] per text -> ([B, T, H] zero-padded, mask [B, T])."""
    if len(rows) == 1:
        return rows[0].unsqueeze(0), torch.ones(1, rows[0].shape[0], dtype=torch.bool)
    lengths = torch.tensor([r.shape[0] for r in rows])
    mask = torch.arange(int(lengths.max())).unsqueeze(0) < lengths.unsqueeze(1)
    return nn.utils.rnn.pad_sequence(rows, batch_first=True), mask


def grade_many(grader: LstmGrader, references: list[str], answers: list[str],
               questions: list[str | None] | None = None,
               siblings: list[tuple[str, ...] | None] | None = None) -> list[Grade]:
    """LstmGrader.grade for each pair, the pairs with something to grade in one batch."""
    n = len(references)
    questions, siblings = questions or [None] * n, siblings or [None] * n
    pairs = list(zip(references, answers, questions, strict=True))
    batch = [k for k, (r, a, q) in enumerate(pairs)
             if grader.head is not None and tokens(strip_question_echo(clean_answer(a), q, r))]
    out: list[Grade | None] = [None] * n
    if batch:
        cols = [list(c) for c in zip(*(pairs[k] for k in batch), strict=True)]
        graded = grader.evidence(*cols, [tuple(siblings[k] or ()) for k in batch])
        for k, (score, ev, verdict) in zip(batch, graded, strict=True):
            out[k] = Grade(score, verdict, ev.missing, grader.name, ev.matched, ev.wrong_terms)
    return [g if g is not None else grader.grade(*pairs[k], siblings[k]) for k, g in enumerate(out)]
