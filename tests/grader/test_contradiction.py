"""A claim of the reference said with a negation is a contradiction, never a correct answer."""

from app.grader.base import Thresholds
from app.grader.contradiction import negated_claims, overrule
from app.grader.evidence import gather


def test_a_negated_claim_of_the_reference_is_found():
    assert negated_claims("hot", "not hot") == ["not hot"]
    assert negated_claims("the heart pumps blood", "the heart doesn't pump blood") == ["not pump"]
    assert negated_claims("Water boils at 100 degrees Celsius", "water does not boil at 100 °C") == ["not boil"]
    assert negated_claims("Mammals never lay eggs, except monotremes", "it is never really lay eggs") == []


def test_a_paraphrase_with_a_negation_of_its_own_is_not_a_contradiction():
    reference = "Attention on its own ignores order, so position information must be added to the token embeddings."
    assert negated_claims(reference, "self-attention does not know the order of the tokens, so we add positions") == []
    # The reference denies it too: the answer agrees.
    assert negated_claims("Sound does not travel through a vacuum", "it cannot travel in a vacuum, no") == []
    assert negated_claims("Sound does not travel through a vacuum", "sound doesn't travel in space") == []


def test_whisper_hearing_dot_as_not_is_no_negation():
    assert negated_claims("the dot product of the query with each key", "the not product of the query and the keys") == []


def test_the_evidence_names_the_negated_claim_as_said_instead():
    ev = gather("the heart pumps blood", "the heart doesn't pump blood")
    assert ev.negated == ["not pump"]
    assert "not pump" in ev.wrong_terms


def test_overrule_makes_only_correct_wrong_and_keeps_the_score_under_the_partial_cut_off():
    th = Thresholds(0.55, 0.4)
    ev = gather("hot", "not hot")
    score, _, verdict = overrule(ev, 0.95, "correct", th)
    assert verdict == "wrong" and score < th.partial
    assert overrule(ev, 0.45, "partial", th)[2] == "partial"
    plain = gather("hot", "very hot")
    assert overrule(plain, 0.95, "correct", th) == (0.95, plain, "correct")
