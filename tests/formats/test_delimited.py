"""CSV/TSV and Quizlet exports, with and without header, with chosen separators."""

from __future__ import annotations

import pytest

from app.formats import FormatError, delimited, parse_file, parse_text
from app.store.repo import CardRecord


def test_quizlet_export_tsv(fixture_path):
    deck = parse_file(fixture_path("quizlet-export-biology.tsv"))
    assert deck.format == "tsv"
    assert deck.name == "quizlet-export-biology"
    assert len(deck.cards) == 4
    assert deck.cards[2] == CardRecord("nucleus", "holds DNA, RNA and the nucleolus")


def test_csv_with_header_tags_and_quoted_fields(fixture_path):
    deck = parse_file(fixture_path("french-header.csv"))
    assert deck.format == "csv"
    assert len(deck.cards) == 4  # the header row is not a card
    assert deck.cards[0] == CardRecord("bonjour", "hello", ("french", "greetings"))
    assert deck.cards[2] == CardRecord("au revoir", "goodbye, see you", ("french",))
    assert deck.cards[3].back == "cat\nthe animal"


def test_custom_separators(fixture_path):
    deck = parse_file(fixture_path("custom-separators.txt"), separator=";", card_separator="|")
    assert [(c.front, c.back) for c in deck.cards] == [
        ("sun", "soleil"),
        ("moon", "lune"),
        ("star", "étoile"),
        ("sky", "ciel"),
    ]


@pytest.mark.parametrize(
    "sep, name",
    [("\t", "tab"), (",", "comma"), (";", "semicolon"), (" - ", " - ")],
)
def test_named_and_custom_term_separators(sep, name):
    text = f"one{sep}uno\ntwo{sep}dos\n"
    deck = parse_text(text, separator=name)
    assert [(c.front, c.back) for c in deck.cards] == [("one", "uno"), ("two", "dos")]


def test_semicolon_between_cards_and_comma_between_sides():
    deck = parse_text("a,1;b,2;c,3", separator="comma", card_separator="semicolon")
    assert [(c.front, c.back) for c in deck.cards] == [("a", "1"), ("b", "2"), ("c", "3")]


def test_comma_inside_definition_is_kept_without_header():
    deck = parse_text("apple,a red, green or yellow fruit\npear,a fruit\n", format="csv")
    assert deck.cards[0] == CardRecord("apple", "a red, green or yellow fruit")


def test_line_without_separator_continues_the_definition():
    deck = parse_text("term\tfirst line\nsecond line\nnext\tdef\n", format="tsv")
    assert deck.cards == [CardRecord("term", "first line\nsecond line"), CardRecord("next", "def")]


def test_header_only_has_no_cards():
    with pytest.raises(FormatError, match="no cards"):
        parse_text("front,back\n", format="csv")


def test_same_separator_for_both_is_refused():
    with pytest.raises(FormatError, match="must differ"):
        parse_text("a;b;c;d", separator=";", card_separator=";")


def test_unterminated_quote_does_not_swallow_the_file():
    deck = parse_text('"broken\tone\nok\tfine\n', format="tsv")
    assert deck.cards == [CardRecord('"broken', "one"), CardRecord("ok", "fine")]


def test_guess_separator():
    assert delimited.guess_separator("a\tb\nc\td") == "\t"
    assert delimited.guess_separator("a;b\nc;d") == ";"
    assert delimited.guess_separator("a,b\nc,d") == ","
    assert delimited.guess_separator("no separators here") is None
