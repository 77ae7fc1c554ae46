"""Training data for the LSTM grader: sentence pairs from WordNet (labelled by the MiniLM
teacher) and from the team's hand-graded flashcard answers, plus the vocabulary and GloVe rows.

No torch here; `app.grader.train` fits the model on what this module assembles.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from pathlib import Path

from app.grader.base import teacher_scale
from app.grader.flashcards import DONT_KNOW, Pair
from app.grader.text import NEGATIONS, STOPWORDS, content_words, reference_chunks, tokens

REPO = Path(__file__).resolve().parent.parent.parent
CACHE = REPO / "build" / "grader"


@dataclass
class TrainPair:
    a: str  # reference side
    b: str  # answer side
    target: float
    weight: float = 1.0
    kind: str = "wordnet"



def teacher_target(cos: float) -> float:
    return min(1.0, max(0.0, teacher_scale(cos)))


# ---------------------------------------------------------------- WordNet pairs (teacher-labelled)

def _swap_antonym(sentence: str, antonyms: dict[str, str], rng: random.Random) -> str | None:
    words = sentence.split()
    spots = [i for i, w in enumerate(words) if w in antonyms]
    if not spots:
        return None
    i = rng.choice(spots)
    words[i] = antonyms[words[i]]
    return " ".join(words)


def _negate(sentence: str) -> str | None:
    words = sentence.split()
    for i, w in enumerate(words):
        if w in ("is", "are", "was", "were", "can", "will", "does", "do", "has", "have"):
            return " ".join(words[: i + 1] + ["not"] + words[i + 1:])
    return None


def _drop(sentence: str, rng: random.Random, share: float) -> str:
    words = sentence.split()
    keep = [w for w in words if rng.random() > share or w in NEGATIONS]
    return " ".join(keep or words[:1])


def antonym_table(synsets: dict) -> dict[str, str]:
    antonyms: dict[str, str] = {}
    for s in synsets.values():
        for a in s.antonym_words:
            for w in s.words:
                if " " not in w and " " not in a:
                    antonyms[w] = a
    return antonyms


_NUMBER_SWAP = {"1945": "1918", "1918": "1945", "1914": "1939", "two": "three", "three": "two", "one": "two",
                "seven": "fourteen", "100": "50", "hundred": "thousand", "thousand": "hundred"}


def near_misses(reference: str, antonyms: dict[str, str], rng: random.Random) -> list[str]:
    """Wrong answers that share almost every word with the reference: an antonym swapped in,
    a number changed, a negation added. The hardest wrong answers a student gives."""
    out = []
    low = " ".join(tokens(reference))
    flipped = _swap_antonym(low, antonyms, rng)
    if flipped:
        out.append(flipped)
    words = low.split()
    spots = [i for i, w in enumerate(words) if w in _NUMBER_SWAP or w.isdigit()]
    if spots:
        i = rng.choice(spots)
        words[i] = _NUMBER_SWAP.get(words[i]) or str(int(words[i]) + rng.choice((-20, -3, 7, 30)))
        out.append(" ".join(words))
    negated = _negate(low)
    if negated:
        out.append(negated)
    return out


def wordnet_pairs(synsets: dict, n: int, rng: random.Random) -> list[tuple[str, str, str, float]]:
    """(a, b, kind, label scale): the teacher's score gets multiplied by the scale (1 except contradictions)."""
    by_hyper: dict[str, list] = {}
    for s in synsets.values():
        for h in s.hypernyms:
            by_hyper.setdefault(h, []).append(s)
    antonyms = antonym_table(synsets)
    pool = [s for s in synsets.values() if len(s.definition.split()) >= 4]
    rng.shuffle(pool)
    out: list[tuple[str, str, str, float]] = []
    for s in pool[:n]:
        d = s.definition
        r = rng.choice(pool).definition
        out.append((d, r, "random", 1.0))
        if s.hypernyms and s.hypernyms[0] in synsets:
            out.append((d, synsets[s.hypernyms[0]].definition, "hypernym", 1.0))
            sibs = [x for x in by_hyper.get(s.hypernyms[0], []) if x is not s]
            if sibs:
                out.append((d, rng.choice(sibs).definition, "sibling", 1.0))
        words = d.split()
        if len(words) >= 6:
            cut = rng.randint(max(2, len(words) // 3), max(3, 2 * len(words) // 3))
            out.append((d, " ".join(words[:cut]), "truncated", 1.0))
        out.append((d, _drop(d, rng, 0.25), "dropped", 1.0))
        flipped = _swap_antonym(d, antonyms, rng) or _negate(d)
        if flipped:
            out.append((d, flipped, "contradiction", 0.6))
        for ex in s.examples[:2]:
            lemma = next((w for w in s.words if w in ex), None)
            others = [w for w in s.words if w != lemma]
            if lemma and others:
                out.append((ex, ex.replace(lemma, rng.choice(others), 1), "synonym", 1.0))
        if len(s.examples) >= 2:
            out.append((s.examples[0], s.examples[1], "examples", 1.0))
        if s.examples:  # everyday sentences, closer to what students say than definitions are
            ex = s.examples[0]
            out.append((ex, _drop(ex, rng, 0.3), "example-dropped", 1.0))
            other = rng.choice(pool)
            if other.examples:
                out.append((ex, rng.choice(other.examples), "example-random", 1.0))
            flipped = _negate(ex)
            if flipped:
                out.append((ex, flipped, "example-negated", 0.6))
    return out


def synonym_table(synsets: dict) -> dict[str, list[str]]:
    """One-word lemma -> the other one-word lemmas of the synsets it belongs to."""
    table: dict[str, list[str]] = {}
    for s in synsets.values():
        single = [w for w in s.words if " " not in w and w.isalpha()]
        for w in single:
            table.setdefault(w.lower(), []).extend(x.lower() for x in single if x != w)
    return {w: others for w, others in table.items() if others}


def _content_spots(words: list[str]) -> list[int]:
    return [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha() and w not in STOPWORDS]


def _swap_words(sentence: str, rng: random.Random, pick, most: int) -> str | None:
    """Replace up to `most` content words by pick(word) (None keeps the word)."""
    words = sentence.split()
    spots = _content_spots(words)
    rng.shuffle(spots)
    changed = 0
    for i in spots[:most]:
        new = pick(words[i])
        if new and new != words[i]:
            words[i], changed = new, changed + 1
    return " ".join(words) if changed else None


def _reorder(sentence: str) -> str | None:
    """Swap the two halves around a comma or "and": same content, different order."""
    for sep in (", ", " and "):
        if sep in sentence:
            left, _, right = sentence.partition(sep)
            if len(left.split()) >= 2 and len(right.split()) >= 2:
                return f"{right.rstrip('.')}{sep}{left}"
    return None


def overlap_pairs(synsets: dict, n: int, rng: random.Random) -> list[tuple[str, str, str, float]]:
    """Pairs that share most of their words but not all of their meaning, the bulk of what students
    write against a reference: one or two words swapped for a synonym (same meaning) or for a random
    word of the same part of speech (changed meaning), clauses reordered, a related sentence
    appended, and longer two-sentence answers that share one sentence. The teacher labels them all."""
    # Words common in WordNet's own glosses stand in for everyday words: a random lemma is
    # usually a rarity ("diarchy") that no student would say.
    freq: dict[str, int] = {}
    for s in synsets.values():
        for w in f"{s.definition} {' '.join(s.examples)}".lower().split():
            freq[w] = freq.get(w, 0) + 1
    synonyms = {w: [x for x in xs if freq.get(x, 0) >= 3] for w, xs in synonym_table(synsets).items()}
    by_pos: dict[str, list[str]] = {}
    for s in synsets.values():
        by_pos.setdefault(s.pos, []).extend(
            w for w in s.words if " " not in w and w.isalpha() and len(w) > 3 and freq.get(w, 0) >= 8)
    by_pos = {pos: sorted(set(words)) for pos, words in by_pos.items()}
    with_examples = [s for s in synsets.values() if s.examples and len(s.definition.split()) >= 4]
    rng.shuffle(with_examples)
    out: list[tuple[str, str, str, float]] = []
    for s in with_examples[:n]:
        ex, d = s.examples[0], s.definition
        syn = _swap_words(ex, rng, lambda w: rng.choice(synonyms.get(w.lower()) or [None]), 2)
        if syn:
            out.append((ex, syn, "overlap-synonym", 1.0))
        same_pos = by_pos[s.pos]
        for text, kind in ((ex, "overlap-word"), (d, "overlap-word-def")):
            swapped = _swap_words(text, rng, lambda _w, pool=same_pos: rng.choice(pool), rng.choice((1, 1, 2)))
            if swapped:
                out.append((text, swapped, kind, 1.0))
        reordered = _reorder(d)
        if reordered:
            out.append((d, reordered, "overlap-reorder", 1.0))
        other = rng.choice(with_examples)
        out.append((d, f"{d}; {other.definition}", "overlap-extra", 1.0))
        out.append((f"{d}. {ex}", f"{_drop(d, rng, 0.2)}. {other.examples[0]}", "overlap-long", 1.0))
    return out


def label_with_teacher(raw: list[tuple[str, str, str, float]], progress, vectors: dict | None = None
                       ) -> list[TrainPair]:
    """Teacher scores for `raw`; when `vectors` is a dict it also receives every sentence's embedding."""
    import numpy as np

    from app.grader.sources import Teacher

    sentences = sorted({t for a, b, _, _ in raw for t in (a, b)})
    CACHE.mkdir(parents=True, exist_ok=True)
    cache_file = CACHE / "teacher-cache.npz"
    cached: dict[str, np.ndarray] = {}
    if cache_file.is_file():
        with np.load(cache_file, allow_pickle=False) as z:
            cached = dict(zip(z["texts"].tolist(), z["vectors"], strict=True))
    todo = [s for s in sentences if s not in cached]
    if todo:
        teacher = Teacher()
        step = 1024
        t0 = time.perf_counter()
        for i in range(0, len(todo), step):
            chunk = todo[i: i + step]
            for s, v in zip(chunk, teacher.embed(chunk), strict=True):
                cached[s] = v
            done = i + len(chunk)
            eta = (time.perf_counter() - t0) / done * (len(todo) - done)
            progress(f"teacher: {done}/{len(todo)} sentences embedded, about {eta / 60:.1f} min left")
        tmp = cache_file.with_name("teacher-cache.tmp.npz")
        np.savez(tmp, texts=np.array(list(cached)), vectors=np.stack(list(cached.values())))
        tmp.replace(cache_file)
    else:
        progress(f"teacher: all {len(sentences)} sentences cached in {cache_file}")
    if vectors is not None:
        vectors.update((t, cached[t]) for t in sentences)
    return [TrainPair(a, b, teacher_target(float(cached[a] @ cached[b])) * scale, 1.0, kind)
            for a, b, kind, scale in raw]


# ---------------------------------------------------------------- flashcard pairs (hand-labelled)

def term_swaps(reference: str, pool: list[str], counts: dict[str, int], rng: random.Random, n: int = 2
               ) -> list[str]:
    """The reference with one of its key terms (its rarest content words) replaced by a term from
    another card: "gated recurrent unit" -> "gated linear unit". Wrong, though nearly every word matches."""
    words = tokens(reference)
    spots = sorted((i for i, w in enumerate(words) if len(w) >= 4 and w not in STOPWORDS),
                   key=lambda i: (counts.get(words[i], 0), -len(words[i])))[:2]
    out = []
    for i in spots[:n]:
        choices = [w for w in pool if w not in words and abs(len(w) - len(words[i])) <= 4]
        if choices:
            out.append(" ".join(words[:i] + [rng.choice(choices)] + words[i + 1:]))
    return out


def flashcard_pairs(pairs: list[Pair], rng: random.Random, antonyms: dict[str, str] | None = None
                    ) -> list[TrainPair]:
    train = [p for p in pairs if p.split == "train"]
    out = [TrainPair(p.reference, p.answer, p.target, 2.0, "flash") for p in train]
    refs = sorted({p.reference for p in train})
    out += [TrainPair(r, r, 1.0, 1.0, "flash-ref") for r in refs]
    counts: dict[str, int] = {}
    for r in refs:
        for w in set(tokens(r)):
            counts[w] = counts.get(w, 0) + 1
    pool = sorted(w for w in counts if len(w) >= 4 and w not in STOPWORDS and w.isalpha())
    for r in refs:  # one part of a several-part answer is partial; not knowing is wrong
        chunks = reference_chunks(r)
        if len(chunks) >= 2:
            out += [TrainPair(r, c, 0.5, 1.0, "flash-chunk") for c in chunks if len(tokens(c)) >= 2]
        out += [TrainPair(r, dk, 0.0, 0.5, "flash-dont-know") for dk in DONT_KNOW]
        out += [TrainPair(r, w, 0.0, 1.5, "flash-near-miss") for w in near_misses(r, antonyms or {}, rng)]
        # One swapped word sinks a short answer; in a long one the rest still shows some knowledge.
        swap_target = 0.3 if len(content_words(tokens(r))) >= 7 else 0.1
        out += [TrainPair(r, w, swap_target, 1.0, "flash-term-swap") for w in term_swaps(r, pool, counts, rng)]
    answers = [p for p in train if p.label != "wrong"]
    for r in refs:  # someone else's card's answer: wrong here
        for p in rng.sample(answers, min(4, len(answers))):
            if p.reference != r:
                out.append(TrainPair(r, p.answer, 0.0, 1.0, "flash-cross"))
    return out


def flashcard_teacher_pairs(pairs: list[Pair], rng: random.Random) -> list[tuple[str, str, str, float]]:
    """Student-answer text for the teacher: a card's reference and correct answers against each
    other (paraphrases) and against other cards' answers (unrelated). No hand label says otherwise."""
    train = [p for p in pairs if p.split == "train" and p.source == "written"]
    by_card: dict[str, list[str]] = {}
    for p in train:
        by_card.setdefault(p.reference, [p.reference])
        if p.label == "correct":
            by_card[p.reference].append(p.answer)
    out = []
    texts = [t for group in by_card.values() for t in group]
    for group in by_card.values():
        out += [(a, b, "flash-paraphrase", 1.0) for i, a in enumerate(group) for b in group[i + 1:]]
        for a in group:
            b = rng.choice(texts)
            if b not in group:
                out.append((a, b, "flash-unrelated", 1.0))
    return out


# ---------------------------------------------------------------- vocabulary and embeddings

def build_vocab(texts: list[str], glove_words: list[str] | None, top: int) -> list[str]:
    vocab = ["<pad>", "<unk>"]
    if glove_words is None:  # no GloVe (tests, minimal installs): words seen in training
        seen = dict.fromkeys(w for t in texts for w in tokens(t))
        return vocab + sorted(seen)
    known = set(glove_words)
    chosen = dict.fromkeys(w for w in glove_words[:top] if w.isalnum() or "'" in w)
    chosen.update(dict.fromkeys(w for t in texts for w in tokens(t) if w in known))
    return vocab + list(chosen)


def glove_matrix(vocab: list[str], glove_words, glove_vectors, dim: int):
    import numpy as np

    m = np.zeros((len(vocab), dim), dtype=np.float32)
    if glove_words is not None:
        index = {w: i for i, w in enumerate(glove_words)}
        for i, w in enumerate(vocab):
            j = index.get(w)
            if j is not None:
                m[i] = glove_vectors[j]
    return m
