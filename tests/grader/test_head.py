"""The calibrated head: deterministic fit, probabilities, save and load."""

import pytest

pytest.importorskip("numpy")

from app.grader.head import FEATURES, Head, fit_head  # noqa: E402


def _toy():
    n = len(FEATURES)
    x, labels = [], []
    for k in range(60):
        level = k % 3  # correct / partial / wrong by the first feature
        row = [1.0 - level * 0.45 + (k % 5) * 0.01] + [((k * 7 + j) % 11) / 11 for j in range(n - 1)]
        x.append(row)
        labels.append(("correct", "partial", "wrong")[level])
    return x, labels


def test_fit_is_reproducible_and_separates_the_classes(tmp_path):
    x, labels = _toy()
    a, b = fit_head(x, labels, steps=400), fit_head(x, labels, steps=400)
    assert a.weights == b.weights and a.bias == b.bias
    scores = {lab: [a.score(v) for v, g in zip(x, labels, strict=True) if g == lab] for lab in set(labels)}
    assert min(scores["correct"]) > max(scores["partial"]) and min(scores["partial"]) > max(scores["wrong"])
    assert abs(sum(a.probabilities(x[0])) - 1.0) < 1e-9
    a.save(tmp_path / "head.json")
    loaded = Head.load(tmp_path / "head.json")
    assert loaded.score(x[3]) == pytest.approx(a.score(x[3]))


def test_a_head_for_other_features_is_refused(tmp_path):
    path = tmp_path / "head.json"
    path.write_text('{"format": "recall-grader-head/1", "features": ["x"]}', encoding="utf-8")
    with pytest.raises(ValueError):
        Head.load(path)


def test_hidden_units_start_from_the_seed():
    x, labels = _toy()
    a, b = fit_head(x, labels, steps=200, hidden=4, seed=3), fit_head(x, labels, steps=200, hidden=4, seed=3)
    assert a.hidden_w == b.hidden_w and a.out_w == b.out_w and len(a.hidden_w) == 4
    assert fit_head(x, labels, steps=200, hidden=4, seed=4).hidden_w != a.hidden_w


def test_class_shifts_are_fitted_for_the_argmax_verdict():
    from app.grader.head import fit_offsets

    # Partial answers the plain argmax calls wrong: a shift toward partial fixes them.
    probs = [[0.8, 0.1, 0.1]] * 5 + [[0.1, 0.4, 0.5]] * 5 + [[0.1, 0.1, 0.8]] * 5
    labels = ["correct"] * 5 + ["partial"] * 5 + ["wrong"] * 5
    offsets, f1 = fit_offsets(probs, labels)
    assert f1 == 1.0 and offsets[1] > 0 and offsets[2] == 0.0
    assert fit_offsets(probs, labels) == (offsets, f1)
    x, toy_labels = _toy()
    head = fit_head(x, toy_labels, steps=400)
    assert head.verdict(x[0]) == head.thresholds.verdict(head.score(x[0]))  # no shifts: the cut-offs decide
    head.offsets = [0.0, 0.0, 0.0]
    p = head.shifted(x[1])
    assert head.verdict(x[1]) == ("correct", "partial", "wrong")[p.index(max(p))]
    head.offsets = [-50.0, -50.0, 0.0]
    assert head.verdict(x[0]) == "wrong"
