"""Export → import gives back the same cards, in every export format."""

from __future__ import annotations

import pytest

from app.formats import export, parse_file
from app.store.repo import CardRecord

CARDS = [
    CardRecord("What is an LSTM?", "A recurrent network with gated memory.", ("lstm", "rnn")),
    CardRecord('Comma, quote " and tab-free', "Two lines:\nfirst, then second", ("misc",)),
    CardRecord("Unicode ∑ and emoji 🎵", "Ünïcödé answer — with dash", ()),
    CardRecord("Angle <brackets> & ampersand", "a < b > c & d", ()),
]


@pytest.mark.parametrize("fmt", export.EXPORT_FORMATS)
def test_round_trip(tmp_path, fmt):
    path = tmp_path / f"deck.{fmt}"
    export.write_export(path, fmt, "Round trip", CARDS)
    deck = parse_file(path)
    assert deck.format == fmt
    if fmt == "tsv":  # Quizlet's format has no tags
        assert deck.cards == [CardRecord(c.front, c.back) for c in CARDS]
    else:
        assert deck.cards == CARDS
    if fmt in ("json", "apkg"):
        assert deck.name == "Round trip"


def test_tsv_is_quizlet_shaped():
    text = export.tsv_text([CardRecord("term", "definition"), CardRecord("t2", "two\nlines")])
    lines = text.split("\n")
    assert lines[0] == "term\tdefinition"  # plain lines stay plain
    assert lines[1] == 't2\t"two'  # a multi-line field is quoted, so it comes back whole


def test_format_for_path():
    assert export.format_for_path("x.apkg") == "apkg"
    assert export.format_for_path("x.TSV") == "tsv"
    assert export.format_for_path("x.txt") == "tsv"
    assert export.format_for_path("x.doc") is None


def test_atomic_write_leaves_no_part_file(tmp_path):
    path = tmp_path / "out.csv"
    export.write_export(path, "csv", "D", CARDS)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert path.read_text(encoding="utf-8").startswith("front,back,tags\n")
