"""Anki packages: legacy (anki2/anki21) and current (zstd anki21b), and every way one can be broken."""

from __future__ import annotations

import zipfile

import pytest

from app.formats import FormatError, apkg, parse_bytes, parse_file
from app.store.repo import CardRecord
from tests.formats.anki_builders import legacy_collection, legacy_package, modern_package, zip_bytes


@pytest.mark.parametrize("member", ["collection.anki2", "collection.anki21"])
def test_legacy_package(tmp_path, member):
    path = tmp_path / "web.apkg"
    path.write_bytes(legacy_package(member))
    deck = parse_file(path)
    assert deck.format == "apkg"
    assert deck.name == "Web::Basics"
    assert len(deck.cards) == 5
    assert deck.cards[0] == CardRecord(
        "What does HTML stand for?", "HyperText Markup Language", ("web", "acronyms")
    )
    assert deck.cards[1].back == "first\nsecond\nthird"
    assert deck.cards[2].back == "café & crème brûlée"
    assert deck.cards[3] == CardRecord(
        "[...] is the capital of [country]", "Paris is the capital of France\nExtra fact", ("cloze",)
    )
    assert deck.cards[4] == CardRecord("Sound", "Back with colour")


def test_modern_zstd_package_wins_over_the_stub(tmp_path):
    path = tmp_path / "modern.apkg"
    path.write_bytes(modern_package())
    deck = parse_file(path)
    assert deck.name == "Modern deck"
    assert [c.front for c in deck.cards] == ["Modern front one", "Modern front two", "Modern front three"]
    assert deck.cards[1] == CardRecord("Modern front two", "Modern back\ntwo", ("modern", "two"))


def test_default_deck_name_falls_back_to_file_name(tmp_path):
    path = tmp_path / "my_export.apkg"
    path.write_bytes(zip_bytes({"collection.anki2": legacy_collection(deck_name="Default")}))
    assert parse_file(path).name == "my export"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"PK\x03\x04" + b"\x00" * 40, "damaged zip"),
        (zip_bytes({"readme.txt": b"hello"}), "no collection"),
        (zip_bytes({"collection.anki2": b"not a database at all"}), "not a database"),
        (zip_bytes({"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"}), "damaged"),
        (zip_bytes({"collection.anki2": b"SQLite format 3\x00" + b"\x00" * 200}), "damaged"),
        (zip_bytes({"collection.anki2": legacy_collection(notes=[(["", ""], "")])}), "no cards"),
    ],
)
def test_broken_packages(data, message):
    with pytest.raises(FormatError, match=message):
        parse_bytes(data, "apkg")


def test_truncated_package(tmp_path):
    data = legacy_package()
    with pytest.raises(FormatError):
        parse_bytes(data[: len(data) // 2], "apkg")


def test_forced_apkg_on_text_fails_clearly():
    with pytest.raises(FormatError, match="zip"):
        parse_bytes(b"front\tback\n", "apkg")


def test_written_package_has_anki_schema(tmp_path):
    cards = [CardRecord("Q <1>", "A & B\nC", ("t1", "a::b")), CardRecord("Q2", "A2")]
    path = tmp_path / "out.apkg"
    path.write_bytes(apkg.apkg_bytes("Exported", cards))
    with zipfile.ZipFile(path) as zf:
        assert set(zf.namelist()) == {"collection.anki2", "media"}
        assert zf.read("media") == b"{}"
        (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
    import json
    import sqlite3

    con = sqlite3.connect(tmp_path / "c.anki2")
    ver, models, decks = con.execute("SELECT ver, models, decks FROM col").fetchone()
    assert ver == 11
    model = next(iter(json.loads(models).values()))
    assert [f["name"] for f in model["flds"]] == ["Front", "Back"]
    assert {d["name"] for d in json.loads(decks).values()} == {"Default", "Exported"}
    flds, tags = con.execute("SELECT flds, tags FROM notes ORDER BY id").fetchone()
    assert flds == "Q &lt;1&gt;\x1fA &amp; B<br>C"
    assert tags == " t1 a::b "
    assert con.execute("SELECT count(*) FROM cards").fetchone()[0] == 2
    con.close()
    assert parse_file(path).cards == cards
