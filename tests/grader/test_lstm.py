"""The shipped LSTM grader: loads, and gets the clear cases right."""

import pytest

pytest.importorskip("torch")

from app.grader import default_weights_path, load_grader  # noqa: E402

pytestmark = pytest.mark.skipif(not default_weights_path().is_file(), reason="shipped weights not built")

FORGET_Q = "What does the forget gate do in an LSTM?"
FORGET = "It decides what information to remove from the cell state"


@pytest.fixture(scope="module")
def grader():
    g = load_grader("lstm")
    assert g.name == "lstm"
    return g


def test_auto_prefers_the_lstm():
    assert load_grader().name == "lstm"


def test_paraphrase_is_correct(grader):
    g = grader.grade(FORGET, "it throws away information from the memory cell", FORGET_Q)
    assert g.verdict == "correct", g


def test_overlapping_but_wrong_gate_is_wrong(grader):
    assert grader.grade(FORGET, "the output gate", FORGET_Q).verdict == "wrong"


@pytest.mark.xfail(strict=True, reason="known weakness: one of three key terms replaced ('general' for 'gated') "
                   "still scores over the dev-fitted 'correct' cut-off; the evidence names it as wrong")
def test_one_replaced_term_of_three_is_not_correct(grader):
    wrong = grader.grade("Gated recurrent unit", "general recurrent unit")
    assert wrong.wrong == ["general"]
    assert wrong.verdict != "correct"


def test_dont_know_is_wrong(grader):
    for answer in ("I don't know", "no idea", ""):
        assert grader.grade(FORGET, answer, FORGET_Q).verdict == "wrong"


def test_partial_scores_between_wrong_and_full(grader):
    ref = "Two: the update gate and the reset gate"
    full = grader.grade(ref, "an update gate and a reset gate")
    part = grader.grade(ref, "the update gate")
    wrong = grader.grade(ref, "I don't know")
    assert wrong.score < part.score < full.score
    assert (full.verdict, part.verdict, wrong.verdict) == ("correct", "partial", "wrong")
    assert "reset" in " ".join(part.missing)  # the tutor's hint names the half that was left out


def test_half_of_a_two_part_answer_is_not_correct(grader):
    assert grader.grade("Two: the update gate and the reset gate", "the update gate").verdict != "correct"


def test_asr_spellings_still_match(grader):
    ref = "Long short-term memory"
    assert grader.grade(ref, "long short term memory").verdict == "correct"
    assert grader.grade("Canberra", "can bera").score > grader.grade("Canberra", "Sydney").score


def test_missing_names_the_uncovered_part(grader):
    g = grader.grade("They filter waste from the blood and produce urine", "they filter the blood")
    assert any("urine" in m for m in g.missing)
    assert not any("blood" in m for m in g.missing)
    assert grader.grade(FORGET, FORGET).missing == []


def test_score_range(grader):
    for a in ("", "x", FORGET, "completely unrelated words about cooking pasta"):
        assert 0.0 <= grader.grade(FORGET, a).score <= 1.0



def test_a_sibling_term_is_not_correct_and_is_named(grader):
    g = grader.grade("The mitochondria", "the ribosome")
    assert g.verdict != "correct"
    assert g.missing == ["mitochondria"] and g.wrong == ["ribosome"] and g.matched == []
    right = grader.grade("The mitochondria", "um, I think it's the mitochondria", "What is the powerhouse of the cell?")
    assert right.verdict == "correct" and right.matched == ["mitochondria"]


def test_speech_spelling_of_a_term_is_matched(grader):
    g = grader.grade("The mitochondria", "might o condria", "What is the powerhouse of the cell?")
    assert g.matched == ["mitochondria"] and g.wrong == []
    assert g.score > grader.grade("The mitochondria", "the ribosome").score


def test_the_grade_json_names_the_terms():
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "app", "grade", "--reference", "The mitochondria", "--answer",
                          "the ribosome", "--json"], capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert doc["verdict"] != "correct" and "mitochondria" in doc["missing"] and doc["wrong"] == ["ribosome"]
    assert {"score", "verdict", "grader", "matched", "missing", "wrong"} <= set(doc)
