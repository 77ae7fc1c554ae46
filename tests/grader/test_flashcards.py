import pytest

from app.grader.flashcards import card_split, load_pairs, parse_cards


def test_answer_set_is_large_and_split_by_card():
    pairs = load_pairs()
    assert len(pairs) >= 300
    splits: dict[str, set[str]] = {}
    for p in pairs:
        splits.setdefault(p.question, set()).add(p.split)
    assert all(len(s) == 1 for s in splits.values())  # no card in two splits
    assert {p.split for p in pairs} == {"train", "dev", "test"}
    assert {p.label for p in pairs if p.split == "test"} == {"correct", "partial", "wrong"}


def test_parse_cards_and_bad_line():
    cards = parse_cards("Q: q1\nA: ref\n+ good\n~ half\n- bad\n\nQ: q2\nA: r2\n+ yes\n")
    assert cards[0] == ("q1", "ref", [("good", "correct"), ("half", "partial"), ("bad", "wrong")])
    assert len(cards) == 2
    with pytest.raises(ValueError, match="x.txt:2"):
        parse_cards("Q: q\n? what\n", "x.txt")
    assert card_split("q1") == card_split("  Q1 ")
