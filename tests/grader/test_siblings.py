"""Sibling-term evidence, the name and gloss signals, and siblings passed by the CLI and the call."""

import json

from app.cli import main
from app.grader.evidence import FEATURES, gather
from app.grader.siblings import sibling_index
from app.voice.dialogue import CallDialogue

BIOLOGY = ("The ribosome.", "The nucleus holds the DNA.", "It modifies, packages and sends proteins.")


def feature(ev, name: str) -> float:
    return ev.features()[FEATURES.index(name)]


def test_another_cards_answer_is_a_sibling_term_in_its_place():
    ev = gather("The mitochondria.", "the ribosome", siblings=BIOLOGY)
    assert ev.sibling.words == ["ribosome"] and ev.wrong_terms == ["ribosome"]
    assert feature(ev, "sibling_share") == 1.0 and feature(ev, "sibling_replaced") == 1.0
    assert feature(ev, "sibling_coverage") == 1.0 and feature(ev, "sibling_over_own") == 1.0


def test_a_paraphrase_or_the_right_term_is_no_sibling_evidence():
    for answer in ("mitochondria", "the mitochondrion, where respiration happens"):
        ev = gather("The mitochondria.", answer, siblings=BIOLOGY)
        assert feature(ev, "sibling_share") == 0.0 and feature(ev, "sibling_over_own") == 0.0, answer


def test_a_word_shared_with_the_reference_or_the_question_is_not_foreign():
    ev = gather("It modifies, packages and sends proteins.", "the nucleus packages proteins",
                "What does the Golgi apparatus do?", siblings=("The nucleus holds the DNA.", "It makes proteins."))
    assert ev.sibling.words == ["nucleus"]  # "proteins" is this reference's own word
    ev = gather("It sends proteins.", "the Golgi sends proteins", "What does the Golgi do?",
                siblings=("The Golgi apparatus.",))
    assert ev.sibling.words == []


def test_a_term_many_siblings_use_weighs_less_than_a_distinct_one():
    deck = ("The input gate.", "The input layer.", "The input weights.", "The output gate.")
    common = gather("The reset gate.", "the input gate", siblings=deck)
    distinct = gather("The reset gate.", "the output gate", siblings=deck)
    assert 0 < feature(common, "sibling_distinct") < feature(distinct, "sibling_distinct")


def test_no_siblings_gives_zero_features_and_the_index_is_cached():
    ev = gather("The mitochondria.", "the ribosome")
    assert [feature(ev, f) for f in FEATURES if f.startswith("sibling_")] == [0.0] * 5
    sibling_index.cache_clear()
    gather("The mitochondria.", "the ribosome", siblings=BIOLOGY)
    gather("The mitochondria.", "the nucleus", siblings=BIOLOGY)
    assert sibling_index.cache_info().hits == 1 and sibling_index.cache_info().misses == 1


def test_part_of_a_name_and_an_answer_without_its_gloss():
    assert feature(gather("Charles Darwin.", "Darwin"), "name_part") == 1.0
    assert feature(gather("Gated recurrent unit", "gated unit"), "name_part") == 0.0
    amazon = gather("The Amazon, in South America.", "the Amazon")
    assert not amazon.list_like and feature(amazon, "head_only_said") == 1.0
    assert gather("The crust, the mantle and the core.", "the crust").list_like


def test_grade_cli_takes_siblings(capsys):
    args = ["grade", "--grader", "lexical", "--reference", "The mitochondria", "--answer", "the ribosome", "--json"]
    assert main(args + ["--sibling", "The ribosome.", "--sibling", "The nucleus"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"score", "verdict", "missing", "grader", "matched", "wrong"} <= set(doc)
    assert doc["verdict"] != "correct" and doc["missing"] == ["mitochondria"] and doc["wrong"] == ["ribosome"]


class _Recording:
    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def grade(self, reference, answer, question=None, siblings=None):
        from app.grader.base import Grade

        self.calls.append((reference, tuple(siblings or ())))
        return Grade(0.0, "wrong", [reference], self.name)


def test_the_call_passes_the_decks_other_answers():
    from app.voice.dialogue import CallCard

    cards = [CallCard(1, "Powerhouse of the cell?", "The mitochondria"), CallCard(2, "Makes proteins?", "The ribosome")]
    grader = _Recording()
    dialogue = CallDialogue(cards, grader)
    dialogue.handle("the ribosome")
    dialogue.handle("the mitochondria")
    assert grader.calls == [("The mitochondria", ("The ribosome",)), ("The ribosome", ("The mitochondria",))]
    deck = CallDialogue(cards[:1], grader, siblings=["The mitochondria", "The nucleus", "The ribosome"])
    deck.handle("the nucleus")
    assert grader.calls[-1] == ("The mitochondria", ("The nucleus", "The ribosome"))
