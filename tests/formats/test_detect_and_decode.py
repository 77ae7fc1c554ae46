"""Auto-detection picks the right reader for every shape; decoding handles encodings and refuses junk."""

from __future__ import annotations

import pytest

from app.formats import FormatError, detect, parse_bytes, parse_file, parse_text
from tests.formats.anki_builders import legacy_package, modern_package

EXPECTED = {
    "knowt-roman-history.txt": "knowt",
    "brainscape-chemistry.txt": "brainscape",
    "quizlet-music-theory.txt": "quizlet-page",
    "dash-astronomy.txt": "dash-list",
    "quizlet-export-biology.tsv": "tsv",
    "french-header.csv": "csv",
    "tiny-deck.json": "json",
}


@pytest.mark.parametrize("name, fmt", sorted(EXPECTED.items()))
def test_detects_from_content_alone(fixture_path, name, fmt):
    text = fixture_path(name).read_text(encoding="utf-8")
    assert detect.detect_text(text) == fmt  # no file name to lean on


@pytest.mark.parametrize("name, fmt", sorted(EXPECTED.items()))
def test_file_import_reports_format(fixture_path, name, fmt):
    assert parse_file(fixture_path(name)).format == fmt


def test_detects_apkg_by_content_whatever_the_name():
    assert detect.detect_bytes(legacy_package(), "cards.txt") == "apkg"
    assert parse_bytes(modern_package(), filename="renamed.zip").format == "apkg"


def test_plain_alternating_lines_and_paragraphs():
    assert detect.detect_text("What is 2+2?\n4\nCapital of Peru?\nLima\n") == "knowt"
    assert (
        detect.detect_text("Question one?\n\nAnswer one.\n\nQuestion two?\n\nAnswer two.") == "quizlet-page"
    )


def test_forced_format_overrides_detection(fixture_path):
    deck = parse_file(fixture_path("dash-astronomy.txt"), format="knowt")
    assert deck.format == "knowt"


def test_unknown_format_name():
    with pytest.raises(FormatError, match="unknown format"):
        parse_text("a\tb", format="excel")


TEXT = "naïve\tcafé crème\nÆsop\tfables – “quoted”\n"


@pytest.mark.parametrize(
    "encoding, prefix",
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""), ("cp1252", b"")],
)
def test_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "cards.tsv"
    path.write_bytes(prefix + TEXT.encode(encoding))
    deck = parse_file(path)
    assert [(c.front, c.back) for c in deck.cards] == [("naïve", "café crème"), ("Æsop", "fables – “quoted”")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary"),
        (bytes(range(256)) * 4, "binary"),
        # Not UTF-8, and as Windows-1252 it would be symbol soup: a wrong encoding, not a deck.
        (("q\tа" + "\u0452" * 40 + "\n").encode("utf-16-le")[1:] + b"\x81\x8d", "encoding|binary"),
        ("term\tdéfinition\n".encode()[:-4] + b"\xa4\xb1\xbf\xd7\xa7\xb6\xbe\xa9\xa3\n" * 3, "encoding"),
    ],
)
def test_bad_bytes(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message) as info:
        parse_file(path)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("bad.txt ") and str(info.value).count("bad.txt") == 1  # named once


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(FormatError, match="no such file"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(FormatError, match="folder"):
        parse_file(tmp_path)
