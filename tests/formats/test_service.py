"""Saving parsed decks: new and existing decks, duplicates, samples."""

from __future__ import annotations

from app.formats import ParsedDeck, parse_file
from app.formats.samples import load_samples, sample_deck_paths
from app.formats.service import import_parsed
from app.store.repo import CardRecord, card_records, get_deck
from app.study.deck_stats import deck_summaries

CARDS = [CardRecord("a", "1"), CardRecord("b", "2"), CardRecord("A ", " 1")]  # the third repeats the first


def test_import_new_deck_counts_in_file_duplicates(store):
    with store.transaction() as s:
        r = import_parsed(s, ParsedDeck("Letters", CARDS, "csv", "desc"))
    assert (r.created, r.added, r.skipped, r.duplicates) == (True, 3, 0, 1)
    with store.session() as s:
        deck = get_deck(s, "Letters")
        assert deck.description == "desc"
        assert len(card_records(s, deck)) == 3


def test_reimport_skips_duplicates_when_asked(store):
    with store.transaction() as s:
        import_parsed(s, ParsedDeck("Letters", CARDS[:2]))
    with store.transaction() as s:
        again = import_parsed(s, ParsedDeck("Letters", CARDS), skip_duplicates=True)
    assert (again.created, again.added, again.skipped, again.duplicates) == (False, 0, 3, 3)
    with store.transaction() as s:
        plain = import_parsed(s, ParsedDeck("Letters", [CardRecord("c", "3"), CardRecord("a", "1")]))
    assert (plain.added, plain.skipped, plain.duplicates) == (2, 0, 1)


def test_deck_name_override_and_fallback(store):
    with store.transaction() as s:
        assert import_parsed(s, ParsedDeck("Title", CARDS), "Chosen").deck_name == "Chosen"
        assert import_parsed(s, ParsedDeck(None, CARDS)).deck_name == "Imported deck"


def test_sample_decks_are_good(store):
    paths = sample_deck_paths()
    assert len(paths) >= 2
    for path in paths:
        deck = parse_file(path, "json")
        assert 20 <= len(deck.cards) <= 30, path.name
        assert deck.name and deck.description
        for card in deck.cards:
            assert card.front.strip() and card.back.strip()
            # Speakable: short, one or two sentences, no markup.
            assert len(card.back) <= 220 and card.back.count(". ") <= 2, card.back
            assert "<" not in card.back and "\n" not in card.back
        fronts = [c.front.casefold() for c in deck.cards]
        assert len(set(fronts)) == len(fronts)
    with store.transaction() as s:
        first = load_samples(s)
    with store.transaction() as s:
        second = load_samples(s)
    assert len(first) == len(paths) and second == []
    with store.session() as s:
        assert sorted(d.name for d in deck_summaries(s)) == sorted(r.deck_name for r in first)
