from __future__ import annotations

import pytest

from app.formats import FormatError, parse_file, parse_text, recall_json
from app.store.repo import CardRecord


def test_recall_json(fixture_path):
    deck = parse_file(fixture_path("tiny-deck.json"))
    assert deck.format == "json"
    assert deck.name == "Tiny JSON deck"
    assert deck.description == "three cards"
    assert deck.cards == [
        CardRecord("2 + 2", "4", ("math",)),
        CardRecord("Capital of Italy", "Rome"),
        CardRecord("Two lines", "first\nsecond"),
    ]


def test_lenient_keys_and_bare_list():
    deck = parse_text('[{"term": "a", "definition": "b", "tags": "x y"}, 5, {"question": 1, "answer": 2}]')
    assert deck.cards == [CardRecord("a", "b", ("x", "y")), CardRecord("1", "2")]


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"cards": [', "not valid JSON"),
        ('{"name": "x"}', 'no "cards" list'),
        ('{"cards": [{"nope": 1}]}', "no cards found"),
        ("[" * 5000 + "]" * 5000, "JSON"),
    ],
)
def test_bad_json(text, message):
    with pytest.raises(FormatError, match=message):
        parse_text(text, format="json")


def test_dumps_round_trip():
    cards = [CardRecord("Ω front", 'back\nwith "quotes"', ("t1", "t2"))]
    assert recall_json.parse(recall_json.dumps("Deck", cards)).cards == cards
