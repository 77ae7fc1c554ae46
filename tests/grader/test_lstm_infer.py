"""Grading-time inference (app.grader.lstm_infer) gives the grades of the model's own forward pass.

The old path is what LstmGrader.grade() computed before the caches and the step-by-step encoder:
the pair's two texts through SiameseLSTM.forward_all (nn.LSTM, packed), one pair at a time. The
new path is checked against it one pair at a time (caches warm and cold) and in batches.
"""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from app.grader import default_weights_path, load_grader  # noqa: E402
from app.grader.base import teacher_scale  # noqa: E402
from app.grader.lstm import blend_scores, lexical_tensor  # noqa: E402

pytestmark = pytest.mark.skipif(not default_weights_path().is_file(), reason="shipped weights not built")

TOL = 1e-6


@pytest.fixture(scope="module")
def grader():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the old path's calls too: spinning threads on a busy machine cost seconds
    yield load_grader("lstm")
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def rows():
    """A fixed few hundred evaluation pairs: every kind of answer, written and transcribed."""
    from app.grader.evalset import load_eval

    items = load_eval()
    return [(i.reference, i.answer, i.question, i.siblings) for i in items[::13]][:240]


def old_outputs(grader, references: list[str], answers: list[str]) -> list[tuple[list[float], dict]]:
    """LstmGrader.model_outputs as it was: both texts through forward_all, pair by pair."""
    out = []
    with torch.inference_mode():
        for r, a in zip(references, answers, strict=True):
            ref, (words,) = grader._tensors([r])
            ans, _ = grader._tensors([a])
            lex = lexical_tensor([r], [a])
            head, best, p_u, p_v = grader.model.forward_all(ref, ans, lex)
            copied = teacher_scale((p_u * p_v).sum(-1)).clamp(0.0, 1.0)
            blend = blend_scores(head, copied, lex[:, 0])
            aligned: dict[str, float] = {}
            for w, v in zip(words, best[0].tolist(), strict=False):
                aligned[w] = max(v, aligned.get(w, -1.0))
            out.append(([float(blend[0]), float(head[0]), float(copied[0]), float(lex[0, 0]), float(lex[0, 2])],
                        aligned))
    return out


def old_grades(grader, rows, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(grader, "model_outputs", lambda refs, answers: old_outputs(grader, refs, answers))
        return [grader.grade(*row) for row in rows]


def assert_same(expected, got):
    assert len(expected) == len(got)
    for e, g in zip(expected, got, strict=True):
        assert g.verdict == e.verdict, (e, g)
        assert abs(g.score - e.score) <= TOL, (e, g)
        assert (g.missing, g.matched, g.wrong) == (e.missing, e.matched, e.wrong), (e, g)


def test_single_and_batched_grades_equal_the_old_path(grader, rows, monkeypatch):
    expected = old_grades(grader, rows, monkeypatch)
    assert {g.verdict for g in expected} == {"correct", "partial", "wrong"}  # the rows exercise every verdict
    grader.inference.clear()
    assert_same(expected, [grader.grade(*row) for row in rows])  # caches filling as it goes
    assert_same(expected, [grader.grade(*row) for row in rows])  # every reference cached
    grader.inference.clear()
    batched = grader.grade_many(*(list(col) for col in zip(*rows, strict=True)))
    assert_same(expected, batched)


def test_model_features_equal_forward_all(grader, rows):
    refs = [row[0] for row in rows]
    answers = [row[1] for row in rows]
    expected = old_outputs(grader, refs, answers)
    grader.inference.clear()
    for got in (grader.model_outputs(refs, answers), [grader.model_outputs([r], [a])[0] for r, a in zip(refs, answers,
                                                                                                       strict=True)]):
        for (f_old, al_old), (f_new, al_new) in zip(expected, got, strict=True):
            assert max(abs(x - y) for x, y in zip(f_old, f_new, strict=True)) <= TOL
            assert al_old.keys() == al_new.keys()
            assert max(abs(al_old[w] - al_new[w]) for w in al_old) <= TOL


def test_a_pair_scores_the_same_in_any_batch(grader):
    """The old batched path let padded reference rows count as an answer word's best match, so a
    pair's score depended on the longest reference in its batch."""
    pair = ("Chlorophyll (mainly chlorophyll a and b).", "carotene")
    alone = grader.model_outputs([pair[0]], [pair[1]])[0][0]
    long_ref = "The mitochondria, which make most of the cell's energy as ATP by respiration in their inner membrane"
    batch = grader.model_outputs([long_ref, pair[0], long_ref], ["energy", pair[1], "the ribosome"])
    assert max(abs(x - y) for x, y in zip(alone, batch[1][0], strict=True)) <= TOL


def test_step_encoder_equals_nn_lstm_on_padded_batches(grader):
    texts = ["the forget gate", "It decides what information to remove from the cell state", "x",
             "might o condria", "Two: the update gate and the reset gate"]
    inf = grader.inference
    with torch.inference_mode():
        (ids, grams, mask), _ = grader._tensors(texts)
        pooled, aligned = grader.model.encode(ids, grams, mask)
        encoded = inf.encode(texts)
        for b, e in enumerate(encoded):
            n = int(mask[b].sum())
            assert torch.allclose(e.pooled, pooled[b], atol=TOL, rtol=0)
            assert torch.allclose(e.aligned, aligned[b, :n], atol=TOL, rtol=0)
        one = inf.encode([texts[1]])[0]  # alone: no padding, the same numbers
        assert torch.allclose(one.pooled, encoded[1].pooled, atol=TOL, rtol=0)


def test_the_caches_stay_bounded(grader):
    from app.grader.lstm_infer import Inference

    inf = Inference(grader.model, grader.featurizer, references=3, words=40)
    refs = [f"reference number {k} about topic{k} and word{k}x" for k in range(12)]
    with torch.inference_mode():
        first = []
        for r in refs:  # one card at a time, as a session grades
            first += inf.outputs([r], ["an answer"])
            assert len(inf._refs) <= 3 and len(inf._slots) < 40
        again = inf.outputs(refs, ["an answer"] * len(refs))  # evicted and re-encoded: the same numbers
    for (f1, a1), (f2, a2) in zip(first, again, strict=True):
        assert max(abs(x - y) for x, y in zip(f1, f2, strict=True)) <= TOL and a1 == pytest.approx(a2, abs=TOL)
    inf.clear()
    assert not inf._refs and not inf._slots


def test_grade_many_handles_empty_and_unknown_answers(grader):
    refs = ["The mitochondria", "Canberra", "The mitochondria"]
    answers = ["", "I don't know", "the ribosome"]
    many = grader.grade_many(refs, answers, ["What is the powerhouse of the cell?", None, None])
    single = [grader.grade(r, a, q) for r, a, q in zip(refs, answers, ["What is the powerhouse of the cell?", None,
                                                                         None], strict=True)]
    assert_same(single, many)
    assert many[0].verdict == "wrong" and many[2].wrong == ["ribosome"]
    assert grader.grade_many([], []) == []
