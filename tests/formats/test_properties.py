"""Property tests: random and hostile input never crashes an importer or half-writes a deck.

Every importer, detection and the byte-level entry point either return clean cards or raise
`FormatError`; nothing else may escape. The CLI either imports the whole file or leaves the
database exactly as it was.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.formats import (
    FORMATS,
    FormatError,
    ParsedDeck,
    apkg,
    brainscape,
    dash_list,
    delimited,
    detect,
    knowt,
    parse_bytes,
    parse_text,
    quizlet_page,
    recall_json,
)
from tests.formats.anki_builders import legacy_package, modern_package

FAST = settings(max_examples=150, deadline=None)

# Pieces of every format's syntax and furniture, so generated text hits the parsers' edge cases.
FRAGMENTS = [
    "1/5",
    "Q",
    "A",
    "- ",
    "· ",
    "• ",
    "\t",
    ",",
    ";",
    "|",
    '"',
    '""',
    "\n",
    "\n\n",
    "\r\n",
    "\\n",
    "How well did you know this?",
    "Not at all",
    "Perfectly",
    "View Set",
    "Related study sets",
    "Name | Mastery | Learn |",
    "|---|",
    "No analytics yet",
    "Flashcards",
    "front,back,tags",
    "term\tdefinition",
    "<br>",
    "</p>",
    "<div>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "{",
    "}",
    "[",
    "]",
    '{"cards": [',
    '{"front": ',
    "null",
    "{{c1::x}}",
    "\x00",
    "\x0b",
    "\ufeff",
    "\u202e",
    "\ud7ff",
    "é",
    "🎵",
    "Study smarter: ace your exams!",
    "  1. ",
    "3",
    "\u00a0",
]
hostile_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=400), hostile_text)

PARSERS = [
    knowt.parse,
    brainscape.parse,
    quizlet_page.parse,
    dash_list.parse,
    recall_json.parse,
    lambda t: delimited.parse(t, kind="csv"),
    lambda t: delimited.parse(t, kind="tsv"),
    lambda t: delimited.parse(t, separator=";", card_separator="|"),
    parse_text,
]


def check_deck(deck: ParsedDeck) -> None:
    assert isinstance(deck, ParsedDeck) and deck.cards
    for card in deck.cards:
        assert isinstance(card.front, str) and isinstance(card.back, str)
        assert card.front or card.back
        assert "\x00" not in card.front + card.back
        (card.front + card.back).encode("utf-8")  # storable: no lone surrogates


@FAST
@given(any_text, st.integers(min_value=0, max_value=len(PARSERS) - 1))
def test_text_importers_only_raise_format_error(text, which):
    try:
        deck = PARSERS[which](text)
    except FormatError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        check_deck(deck)


@FAST
@given(any_text)
def test_detection_names_a_format_or_says_why(text):
    try:
        fmt = detect.detect_text(text)
    except FormatError:
        return
    assert fmt in FORMATS


@FAST
@given(st.one_of(st.binary(max_size=600), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_bytes_only_raise_format_error(data):
    try:
        deck = parse_bytes(data, filename="input.txt")
    except FormatError as exc:
        assert "\n" not in str(exc)
    else:
        check_deck(deck)


PACKAGES = [legacy_package(), modern_package()]


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from([0, 1]),
    st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8
    ),
    st.one_of(st.none(), st.integers(min_value=0)),
)
def test_damaged_packages_only_raise_format_error(which, flips, cut):
    data = bytearray(PACKAGES[which])
    for pos, value in flips:
        data[pos % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    try:
        deck = apkg.parse_bytes(bytes(data))
    except FormatError:
        return
    check_deck(deck)


def _state(db: Path) -> tuple[int, str]:
    con = sqlite3.connect(db)
    try:
        n = con.execute("SELECT count(*) FROM cards").fetchone()[0]
        return n, hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_cli_import_is_all_or_nothing(capsys, data):
    from app.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db.sqlite3"
        assert main(["--db", str(db), "deck", "create", "Keep me"]) == 0
        before = _state(db)
        src = Path(tmp) / "input.txt"
        src.write_bytes(data)
        code = main(["--db", str(db), "import", str(src), "--deck", "Target"])
        out, err = capsys.readouterr()
        after = _state(db)
        if code == 1:
            assert after == before
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
        else:
            assert code == 0
            # Whole deck or nothing: the saved cards are exactly what the parser read.
            expected = len(parse_bytes(data, filename=src).cards)
            assert after[0] - before[0] == expected
