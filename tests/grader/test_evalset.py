"""The evaluation set: every card parses, kinds carry their labels, splits are by card."""

import pytest

from app.grader.evalset import KIND_LABEL, load_cards, load_eval, parse_eval_cards


def test_the_set_is_big_and_every_card_has_the_generated_kinds():
    cards = load_cards()
    assert len(cards) >= 250
    items = load_eval(with_asr=False)
    kinds = {i.kind for i in items}
    assert {"exact", "para", "part", "near", "rel", "filler", "dont-know", "off-topic"} <= kinds
    assert all(i.label == KIND_LABEL[i.kind] for i in items)


def test_no_card_is_in_two_splits():
    split_of: dict[str, set[str]] = {}
    for i in load_eval():
        split_of.setdefault(i.question, set()).add(i.split)
    assert all(len(s) == 1 for s in split_of.values())
    assert {s for v in split_of.values() for s in v} == {"train", "dev", "test"}


def test_speech_rows_keep_the_written_answers_label():
    asr = [i for i in load_eval() if i.source == "asr"]
    assert asr, "asr_transcripts.jsonl is committed with the set"
    written = {(i.question, i.kind): i.label for i in load_eval(with_asr=False)}
    assert all(written[(i.question, i.kind)] == i.label for i in asr)
    assert len({i.voice for i in asr}) == 2


def test_bad_lines_name_the_file_and_line():
    cards = parse_eval_cards("Q: q?\nA: ref\npara: p\nnear: n\n", "s")
    assert cards[0].answers == (("para", "p"), ("near", "n"))
    with pytest.raises(ValueError, match="x.txt:3"):
        parse_eval_cards("Q: q?\nA: ref\nmaybe: p\n", "s", "x.txt")


def test_each_item_gets_the_other_references_of_its_deck():
    from app.grader.evalset import deck_of_questions, siblings_by_card

    items = load_eval()
    by_q = {i.question: i for i in items if i.kind == "exact" and i.source == "written"}
    mito = by_q["What is the powerhouse of the cell?"]
    assert "The ribosome." in mito.siblings and mito.reference not in mito.siblings
    assert all(by_q[s_q].subject == "biology" for s_q in by_q if by_q[s_q].reference in mito.siblings)
    # decks.txt follows the sample decks in data/: a geography card's siblings are geography answers.
    decks = deck_of_questions()
    canberra = by_q["What is the capital of Australia?"]
    assert decks["what is the capital of australia?"] == "World geography"
    same_deck = {i.reference for q, i in by_q.items() if decks.get(q.lower()) == "World geography"}
    assert set(canberra.siblings) == same_deck - {canberra.reference}
    assert all(i.siblings == by_q[i.question].siblings for i in items if i.source == "asr")
    cards = parse_eval_cards("Q: a?\nA: one\nQ: b?\nA: two\nQ: c?\nA: one\n", "s")
    assert siblings_by_card(cards, {}) == {"a?": ("two",), "b?": ("one",), "c?": ("two",)}
