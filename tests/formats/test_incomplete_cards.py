"""Cards with an empty side are not imported, and the import says how many and why; a blank line
ends a TSV card, so a line after it is no part of the card above."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.formats import FormatError, parse_file, parse_text
from app.formats.base import incomplete_note


def test_json_cards_without_an_answer_are_skipped_and_counted() -> None:
    doc = [{"front": "only a front"}, {"q": 1}, {"front": "a", "back": "b"}, {"back": "only a back"}]
    deck = parse_text(json.dumps(doc), "json")
    assert [(c.front, c.back) for c in deck.cards] == [("a", "b")]
    assert deck.incomplete == {"no answer": 2, "no question": 1}
    assert deck.report()["incomplete"] == {"no answer": 2, "no question": 1}
    assert incomplete_note(deck.incomplete) == "2 cards skipped: no answer; 1 card skipped: no question"


def test_json_with_only_incomplete_cards_says_why() -> None:
    with pytest.raises(FormatError, match="1 card skipped: no answer"):
        parse_text(json.dumps({"name": "x", "cards": [{"q": 1}]}), "json")


def test_tsv_term_without_definition_is_a_dropped_line() -> None:
    deck = parse_text("cell\tunit of life\nterm\t\natom\tsmallest unit\n", "tsv")
    assert [c.front for c in deck.cards] == ["cell", "atom"]
    assert deck.incomplete == {"no answer": 1}
    assert [(d.line, d.text, d.reason) for d in deck.dropped] == [(2, "term", "no answer")]


def test_a_line_after_a_blank_line_is_not_glued_onto_the_card_above() -> None:
    text = "cell\tunit of life\nstill the cell's back\n\nstray words\natom\tsmallest unit\n"
    deck = parse_text(text, "tsv")
    assert [(c.front, c.back) for c in deck.cards] == [
        ("cell", "unit of life\nstill the cell's back"),  # the line right after still continues
        ("atom", "smallest unit"),
    ]
    [d] = deck.dropped
    assert (d.line, d.text) == (4, "stray words") and "blank line" in d.reason


def test_anki_note_with_an_empty_back_is_skipped_with_its_reason(tmp_path: Path) -> None:
    """Anki allows a note with an empty back field; Recall skips it with the same reason."""
    from tests.formats.anki_builders import legacy_package

    pkg = tmp_path / "a.apkg"
    pkg.write_bytes(legacy_package(notes=[(["front", "back"], ""), (["lonely", ""], "")], deck_name="Mine"))
    deck = parse_file(pkg)
    assert [(c.front, c.back) for c in deck.cards] == [("front", "back")]
    assert deck.incomplete == {"no answer": 1}


def test_binary_file_error_names_the_file_once(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(FormatError) as info:
        parse_file(junk)
    assert str(info.value).count("junk.bin") == 1, str(info.value)
    assert str(info.value).startswith("junk.bin is a binary file")
