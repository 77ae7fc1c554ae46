from app.grader.lexical import LexicalGrader, missing_words
from app.grader.text import tokens

REF = "It decides what to remove from the cell state"


def test_exact_answer_is_correct():
    g = LexicalGrader().grade(REF, REF)
    assert g.verdict == "correct" and g.score == 1.0 and g.missing == [] and g.grader == "lexical"


def test_unrelated_and_dont_know_are_wrong():
    grader = LexicalGrader()
    assert grader.grade(REF, "I don't know").verdict == "wrong"
    assert grader.grade(REF, "the output gate").verdict == "wrong"


def test_partial_scores_below_full_and_lists_missing():
    grader = LexicalGrader()
    part = grader.grade(REF, "it removes things")
    assert part.score < grader.grade(REF, REF).score
    assert "cell" in part.missing and "state" in part.missing
    assert "remove" not in part.missing


def test_asr_spellings_normalise():
    assert tokens("the L S T M") == ["the", "lstm"]
    assert missing_words("the forget gate", "the for get gate") == []


def test_one_sided_negation_lowers_score():
    grader = LexicalGrader()
    assert grader.score(REF, "it does not remove anything from the cell state") < grader.score(
        REF, "it removes things from the cell state"
    )
