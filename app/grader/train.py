"""Fit the LSTM grader's weights: `recall grader train` (the CLI lives in app/commands/grader_cli.py).

Recipe (fixed seed, about 20-25 minutes on two CPU cores):
1. Sentence pairs from WordNet: a definition against its hypernym's, a sibling's and a random
   synset's definition, examples with a synonym swapped in, truncated, word-dropped and negated
   definitions, and overlap pairs (one or two words swapped for a synonym or a random word,
   clauses reordered, a sentence appended). The MiniLM teacher labels each pair with its cosine,
   and the encoder also learns to copy the teacher's embedding of every sentence (distillation).
2. The team's flashcard answers (train split only; dev calibrates, test is never seen), labelled
   by hand: correct 1, partial 0.5, wrong 0; plus cross-card answers (wrong), references, and
   references with a key term swapped for another card's (wrong or weak).
3. On the fly, speech-recognition noise on the answer side keeps the clean pair's label.
Then the verdict thresholds are fitted on the dev cards, and the weights are written to a
temporary file and renamed, so Ctrl+C never leaves half a weights file.

Data assembly is in `app.grader.train_data`, threshold fitting in `app.grader.thresholds`.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.grader.augment import asr_noise
from app.grader.base import Thresholds
from app.grader.flashcards import Pair, load_pairs
from app.grader.text import strip_question_echo
from app.grader.thresholds import fit_thresholds
from app.grader.train_data import (
    TrainPair,
    antonym_table,
    build_vocab,
    flashcard_pairs,
    flashcard_teacher_pairs,
    glove_matrix,
    label_with_teacher,
    overlap_pairs,
    wordnet_pairs,
)

__all__ = ["Recipe", "TrainPair", "build_and_train", "fit_thresholds", "flashcard_pairs", "train"]


@dataclass
class Recipe:
    seed: int = 13
    synsets: int = 5000
    overlap_synsets: int = 2500  # synsets that also give overlap_pairs()
    epochs: int = 5
    minutes: float = 15.0  # training-loop budget; data building comes on top
    batch: int = 64
    lr: float = 2e-3
    vocab_top: int = 40000
    noise_p: float = 0.35
    flash_share: float = 0.25  # share of each epoch drawn from the flashcard pairs
    residual: bool = False  # the model learns a correction to the lexical score (ModelConfig.residual)
    distill: float = 0.2  # weight of the embedding-copy loss (0: off; ModelConfig.distill_dim)
    compact_head: bool = False  # ModelConfig.compact_head
    log: list[str] = field(default_factory=list)


def _copy_loss(projected, texts: list[str], vectors: dict):
    """Mean (1 - cosine) between the encoder's projections and the teacher's embeddings, over the
    texts the teacher embedded (hand-written flashcard answers may have none)."""
    import numpy as np
    import torch

    rows = [i for i, t in enumerate(texts) if t in vectors]
    if not rows:
        return projected.sum() * 0.0
    target = torch.from_numpy(np.stack([vectors[texts[i]] for i in rows])).float()
    return (1.0 - (projected[rows] * target).sum(-1)).mean()


def train(
    pairs: list[TrainPair],
    flash: list[TrainPair],
    dev: list[Pair],
    out: Path,
    recipe: Recipe,
    glove=None,
    config=None,
    max_steps: int | None = None,
    progress=print,
    vectors: dict | None = None,
) -> dict:
    """Train, calibrate on `dev`, write `out` atomically; returns the summary."""
    import numpy as np
    import torch

    from app.grader.lstm import (
        Featurizer,
        LstmGrader,
        ModelConfig,
        SiameseLSTM,
        batch_tensors,
        lexical_tensor,
        save_weights,
    )

    rng = random.Random(recipe.seed)
    torch.manual_seed(recipe.seed)
    np.random.seed(recipe.seed)
    dim = len(next(iter(vectors.values()))) if recipe.distill > 0 and vectors else 0
    config = config or ModelConfig(residual=recipe.residual, distill_dim=dim, compact_head=recipe.compact_head,
                                   blend=dim > 0)
    distill = dim > 0 and config.distill_dim == dim
    glove_words, glove_vectors = glove if glove else (None, None)
    texts = [t for p in pairs + flash for t in (p.a, p.b)]
    vocab = build_vocab(texts, glove_words, recipe.vocab_top)
    model = SiameseLSTM(len(vocab), config)
    with torch.no_grad():
        model.words.weight.copy_(torch.from_numpy(glove_matrix(vocab, glove_words, glove_vectors, config.word_dim)))
    if glove_words is None:
        model.words.weight.requires_grad_(True)  # nothing pretrained to keep: let the words learn
    feat = Featurizer(vocab, config)
    vocab_set = set(vocab)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=recipe.lr * 0.01, weight_decay=1e-4)

    n_flash = int(len(pairs) * recipe.flash_share / (1 - recipe.flash_share)) if pairs else len(flash) * 4
    epoch_size = len(pairs) + (n_flash if flash else 0)
    steps_per_epoch = max(1, epoch_size // recipe.batch)
    total = steps_per_epoch * recipe.epochs if max_steps is None else max_steps
    # One thread: on a shared 2-core machine two spinning OpenMP threads ran ten times slower.
    torch.set_num_threads(1)
    progress(f"train: {len(pairs)} teacher pairs, {len(flash)} flashcard pairs, vocab {len(vocab)}, "
             f"{total} steps of {recipe.batch}")

    def encode(texts):
        enc = [feat.encode(t) for t in texts]
        return batch_tensors([(e[0], e[1]) for e in enc], config.max_ngrams)

    t0 = time.perf_counter()
    budget = recipe.minutes * 60
    step = 0
    stopped_early = False
    model.train()
    while step < total:
        epoch = pairs + ([rng.choice(flash) for _ in range(n_flash)] if flash else [])
        rng.shuffle(epoch)
        for i in range(0, len(epoch) - recipe.batch + 1 if len(epoch) >= recipe.batch else 1, recipe.batch):
            batch = epoch[i: i + recipe.batch]
            answers = [asr_noise(p.b, rng, vocab_set) if rng.random() < recipe.noise_p else p.b for p in batch]
            refs = [p.a for p in batch]
            pred, _, p_ref, p_ans = model.forward_all(encode(refs), encode(answers), lexical_tensor(refs, answers))
            target = torch.tensor([p.target for p in batch])
            weight = torch.tensor([p.weight for p in batch])
            loss = (weight * (pred - target) ** 2).sum() / weight.sum()
            if distill:  # a noisy answer should still land on its clean text's embedding
                loss = loss + recipe.distill * (_copy_loss(p_ref, [p.a for p in batch], vectors)
                                                + _copy_loss(p_ans, [p.b for p in batch], vectors))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            step += 1
            elapsed = time.perf_counter() - t0
            # Warm up, then cosine-decay to zero over the step budget. The schedule depends on the
            # step count only, so a fixed seed gives the same weights on any machine fast enough.
            # A slower one is caught once, early: fewer steps, still fully annealed, and said so.
            # (Blending wall time into the schedule made two runs on this machine differ.)
            if step == min(200, total) and max_steps is None:
                projected = elapsed / step * total
                if projected > budget:
                    total = max(step + 1, int(total * budget / projected * 0.95))
                    progress(f"train: at this speed {recipe.minutes} min allows {total} steps; training "
                             f"those (the weights will differ from the reproducible recipe)")
            done = step / total
            for group in opt.param_groups:
                group["lr"] = recipe.lr * (done / 0.05 if done < 0.05 else 0.5 * (1 + math.cos(math.pi * done)))
            if step % 50 == 0 or step == total:
                eta = elapsed / step * (total - step)
                progress(f"train: step {step}/{total} loss {loss.item():.4f} "
                         f"{elapsed / 60:.1f} min, about {eta / 60:.1f} min left")
            if step >= total:
                break
            if elapsed > budget * 1.1:  # the machine slowed down later: stop rather than overrun
                progress(f"train: time budget of {recipe.minutes} min overrun at step {step}; stopping")
                stopped_early = True
                break
        if stopped_early:
            break
    model.eval()

    grader = LstmGrader(model, feat, Thresholds(0.7, 0.4))
    if dev:
        # Calibrate on the dev cards as typed and as a speech recogniser might write them.
        cal_rng = random.Random(recipe.seed + 1)
        refs = [p.reference for p in dev] * 2
        answers = [strip_question_echo(p.answer, p.question, p.reference) for p in dev]
        answers += [asr_noise(a, cal_rng, vocab_set) for a in answers]
        thresholds, dev_f1 = fit_thresholds(grader.scores(refs, answers), [p.label for p in dev] * 2)
    else:
        thresholds, dev_f1 = Thresholds(0.7, 0.4), float("nan")
    summary = {
        "seed": recipe.seed, "steps": step, "train_minutes": round((time.perf_counter() - t0) / 60, 2),
        "teacher_pairs": len(pairs), "flashcard_pairs": len(flash), "vocab": len(vocab),
        "thresholds": {"correct": thresholds.correct, "partial": thresholds.partial},
        "dev_macro_f1": round(dev_f1, 4), "dev_pairs": len(dev),
    }
    save_weights(out, model, vocab, thresholds, summary)
    progress(f"train: wrote {out} ({out.stat().st_size / 1e6:.1f} MB); thresholds correct>={thresholds.correct}"
             f" partial>={thresholds.partial}, dev macro-F1 {dev_f1:.3f}")
    return summary


def build_and_train(out: Path, recipe: Recipe, progress=print) -> dict:
    from app.grader.sources import load_glove, read_wordnet

    rng = random.Random(recipe.seed)
    t0 = time.perf_counter()
    progress("data: reading WordNet, GloVe and the flashcard set")
    synsets = read_wordnet()
    raw = wordnet_pairs(synsets, recipe.synsets, rng)
    raw += overlap_pairs(synsets, recipe.overlap_synsets, random.Random(recipe.seed + 2))
    cards = load_pairs(with_asr=False)  # ASR transcripts are evaluation data only
    raw += flashcard_teacher_pairs(cards, rng)
    flash = flashcard_pairs(cards, rng, antonym_table(synsets))
    vectors: dict = {}
    teacher_pairs = label_with_teacher(raw, progress, vectors)
    glove = load_glove()
    summary = train(teacher_pairs, flash, [p for p in cards if p.split == "dev"], out, recipe, glove=glove,
                    progress=progress, vectors=vectors)
    summary["total_minutes"] = round((time.perf_counter() - t0) / 60, 2)
    calibration = out.with_name("calibration.json")
    tmp = calibration.with_name(calibration.name + ".tmp")
    tmp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    tmp.replace(calibration)
    return summary
