"""A few training steps of a tiny model: the recipe runs end to end and writes its weights atomically."""

import pytest

torch = pytest.importorskip("torch")

from app.grader.flashcards import load_pairs  # noqa: E402
from app.grader.lstm import LstmGrader, ModelConfig  # noqa: E402
from app.grader.train import Recipe, TrainPair, flashcard_pairs, train  # noqa: E402

TINY = ModelConfig(hidden=8, head=8, ngram_buckets=256, ngram_dim=8, word_dim=8)


def _pairs():
    return [
        TrainPair("the cat sat on the mat", "a cat is sitting on a mat", 0.9),
        TrainPair("the cat sat on the mat", "stock prices fell sharply", 0.05),
        TrainPair("it removes information from the cell state", "it forgets parts of the memory", 0.8),
        TrainPair("it removes information from the cell state", "the output gate", 0.1),
    ]


def test_smoke_run_writes_loadable_weights(tmp_path):
    import random

    cards = load_pairs(with_asr=False)
    flash = flashcard_pairs(cards, random.Random(0))[:8]
    dev = [p for p in cards if p.split == "dev"][:12]
    out = tmp_path / "grader" / "lstm.pt"
    lines: list[str] = []
    summary = train(_pairs(), flash, dev, out, Recipe(batch=4, epochs=1), config=TINY, max_steps=3,
                    progress=lines.append)
    assert out.is_file() and not list(out.parent.glob("*.tmp"))
    assert summary["steps"] == 3 and any("step 3/3" in line for line in lines)
    grader = LstmGrader.load(out)
    g = grader.grade("the cat sat on the mat", "a cat on a mat")
    assert 0.0 <= g.score <= 1.0 and g.grader == "lstm"
    th = summary["thresholds"]
    assert grader.thresholds.correct == th["correct"] and grader.thresholds.partial == th["partial"]


def test_interrupted_save_leaves_old_weights(tmp_path, monkeypatch):
    out = tmp_path / "lstm.pt"
    out.write_bytes(b"previous weights")

    def cancelled(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", cancelled)
    with pytest.raises(KeyboardInterrupt):
        train(_pairs(), [], [], out, Recipe(batch=4, epochs=1), config=TINY, max_steps=1, progress=lambda m: None)
    assert out.read_bytes() == b"previous weights"
    assert not list(tmp_path.glob("*.tmp"))


def test_same_seed_same_weights(tmp_path):
    runs = []
    for name in ("a.pt", "b.pt"):
        train(_pairs(), [], [], tmp_path / name, Recipe(batch=4, epochs=1), config=TINY, max_steps=2,
              progress=lambda m: None)
        runs.append(LstmGrader.load(tmp_path / name).grade("the cat sat", "a cat sat").score)
    assert runs[0] == runs[1]


def test_distillation_pulls_encodings_towards_teacher_embeddings(tmp_path):
    """With a copy head, training moves each text's projection towards its teacher embedding."""
    import numpy as np

    from app.grader.lstm import SiameseLSTM
    from app.grader.train import _copy_loss

    texts = sorted({t for p in _pairs() for t in (p.a, p.b)})
    rng = np.random.default_rng(0)
    vectors = {}
    for t in texts:
        v = rng.normal(size=6).astype(np.float32)
        vectors[t] = v / np.linalg.norm(v)
    config = ModelConfig(hidden=8, head=8, ngram_buckets=256, ngram_dim=8, word_dim=8, distill_dim=6)
    out = tmp_path / "lstm.pt"

    def copy_loss(path) -> float:
        grader = LstmGrader.load(path)
        model: SiameseLSTM = grader.model
        (ids, grams, mask), _ = grader._tensors(texts)
        with torch.no_grad():
            _, _, projected, _ = model.forward_all((ids, grams, mask), (ids, grams, mask),
                                                   torch.zeros(len(texts), 5))
        return float(_copy_loss(projected, texts, vectors))

    train(_pairs(), [], [], out, Recipe(batch=4, epochs=1, distill=1.0), config=config, max_steps=1,
          progress=lambda m: None, vectors=vectors)
    before = copy_loss(out)
    train(_pairs(), [], [], out, Recipe(batch=4, epochs=1, distill=1.0, lr=2e-2), config=config, max_steps=150,
          progress=lambda m: None, vectors=vectors)
    assert LstmGrader.load(out).model.config.distill_dim == 6
    assert copy_loss(out) < before - 0.2


def test_blend_is_the_geometric_mean_of_head_and_plain_similarity():
    """ModelConfig.blend: sqrt(head x mean(copied cosine, lexical)); training sees the head alone."""
    from app.grader.lstm import Featurizer, SiameseLSTM, batch_tensors, lexical_tensor

    torch.manual_seed(0)
    config = ModelConfig(hidden=8, head=8, ngram_buckets=256, ngram_dim=8, word_dim=8, distill_dim=6, blend=True)
    feat = Featurizer(["<pad>", "<unk>", "cat", "mat", "sat"], config)
    model = SiameseLSTM(5, config).eval()
    refs, answers = ["the cat sat on the mat", "a mat"], ["a cat on a mat", "stocks fell"]

    def enc(texts):
        return batch_tensors([feat.encode(t)[:2] for t in texts], config.max_ngrams)

    lex = lexical_tensor(refs, answers)
    with torch.no_grad():
        head, _, p_u, p_v = model.forward_all(enc(refs), enc(answers), lex)
        blended, _ = model(enc(refs), enc(answers), lex)
    copied = (((p_u * p_v).sum(-1) - 0.1) / 0.8).clamp(0, 1)
    expected = torch.sqrt((head + 1e-3) * ((copied + lex[:, 0]) / 2 + 1e-3)).clamp(0, 1)
    assert torch.allclose(blended, expected)
    # One judge that sees a mismatch pulls the grade down further than an average would.
    from app.grader.lstm import blend_scores

    low_head = blend_scores(torch.tensor([0.03]), torch.tensor([0.93]), torch.tensor([0.85]))
    assert float(low_head) < 0.35 < (0.03 + 0.93 + 0.85) / 3
    assert ((blended >= 0) & (blended <= 1)).all()
