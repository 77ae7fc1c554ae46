"""Copied study-site pages: every card whole, page furniture gone, the deck name right."""

from __future__ import annotations

import pytest

from app.formats import FormatError, brainscape, dash_list, knowt, parse_file, parse_text, quizlet_page
from app.store.repo import CardRecord

FURNITURE_WORDS = (
    "Mastery",
    "No analytics",
    "Send a link",
    "How well",
    "Perfectly",
    "View Set",
    "Study smarter",
    "Related",
)


def assert_clean(cards: list[CardRecord]) -> None:
    for c in cards:
        for text in (c.front, c.back):
            assert text == text.strip()
            assert "</" not in text and "\\n" not in text and "&amp;" not in text
            assert not any(w in text for w in FURNITURE_WORDS), text
            assert "\n\n" not in text


def test_knowt_page(fixture_path):
    deck = parse_file(fixture_path("knowt-roman-history.txt"))
    assert deck.format == "knowt"
    assert deck.name == "knowt-roman-history"  # no title on the page: the file name
    assert len(deck.cards) == 5
    assert deck.cards[0] == CardRecord(
        "Who was the first emperor of Rome?", "Augustus, who ruled from 27 BC."
    )
    assert (
        deck.cards[3].back
        == "The two highest elected officials of the Republic,\nserving one-year terms together."
    )
    assert deck.cards[4].back == "Carthage & Corinth."
    assert_clean(deck.cards)


def test_knowt_counter_matches_card_count(fixture_path):
    text = fixture_path("knowt-roman-history.txt").read_text()
    first = text.splitlines()[0]
    assert knowt.COUNTER.match(first)
    assert len(knowt.parse(text).cards) == int(first.split("/")[1])


def test_brainscape_page(fixture_path):
    deck = parse_file(fixture_path("brainscape-chemistry.txt"))
    assert deck.format == "brainscape"
    assert deck.name == "Intro Chemistry"
    assert [c.front for c in deck.cards] == ["Atomic number", "Isotope", "What is a covalent bond?", "pH 7"]
    assert (
        deck.cards[2].back == "A bond in which two atoms share electrons.\nIt is common between non-metals."
    )
    assert deck.cards[3].back == "Neutral: neither acidic nor basic."
    assert_clean(deck.cards)


def test_quizlet_style_page(fixture_path):
    deck = parse_file(fixture_path("quizlet-music-theory.txt"))
    assert deck.format == "quizlet-page"
    assert deck.name == "Music Theory Basics"
    assert len(deck.cards) == 4
    assert deck.cards[0].back == "Seven notes\nPattern of whole and half steps: W W H W W W H"
    assert deck.cards[2] == CardRecord("Name the notes of a C major chord", "C\nE\nG")
    assert deck.cards[3] == CardRecord("What does a sharp do?", "Raises a note by a half step.")
    assert_clean(deck.cards)


def test_dash_list(fixture_path):
    deck = parse_file(fixture_path("dash-astronomy.txt"))
    assert deck.format == "dash-list"
    assert deck.name == "Astronomy"
    assert len(deck.cards) == 3
    assert deck.cards[1] == CardRecord(
        "Name the inner planets.", "Mercury, Venus, Earth and Mars.\nThey are rocky."
    )
    assert deck.cards[2].back == "A cloud of gas and dust in space.\nStars can form inside it."
    assert_clean(deck.cards)


@pytest.mark.parametrize(
    "parser, text",
    [
        (knowt.parse, "1/3\nNo analytics yet\n"),
        (brainscape.parse, "Deck Flashcards\n\nHow well did you know this?\n1\n"),
        (quizlet_page.parse, "Title\n\nRelated study sets\n\nOther\n\nView Set\n"),
        (dash_list.parse, "Just a title Flashcards\nand a line\n"),
    ],
)
def test_pages_without_cards_fail_clearly(parser, text):
    with pytest.raises(FormatError, match="no cards found"):
        parser(text)


def test_stray_tags_and_entities_cleaned_but_angle_text_kept():
    deck = parse_text("- What is List<T>?</span>\nA generic list; a &lt; b</p>\n- x\ny", format="dash-list")
    assert deck.cards[0] == CardRecord("What is List<T>?", "A generic list; a < b")


def test_windows_line_endings():
    deck = parse_text("Q1\r\nA1\r\nQ2\r\nA2\r\n", format="knowt")
    assert deck.cards == [CardRecord("Q1", "A1"), CardRecord("Q2", "A2")]
