"""`recall import|decks|cards|export|deck` end to end through `app.cli.main`, on a real database in tmp."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.formats.anki_builders import legacy_package, modern_package, zip_bytes

FIXTURES = Path(__file__).parents[1] / "formats" / "fixtures"


def decks_json(run) -> dict[str, dict]:
    code, out, err = run("decks", "--json")
    assert code == 0 and err == ""
    return {d["name"]: d for d in json.loads(out)}


def test_imports_every_fixture(run):
    expected = {
        "knowt-roman-history.txt": ("knowt-roman-history", 5),
        "brainscape-chemistry.txt": ("Intro Chemistry", 4),
        "quizlet-music-theory.txt": ("Music Theory Basics", 4),
        "dash-astronomy.txt": ("Astronomy", 3),
        "quizlet-export-biology.tsv": ("quizlet-export-biology", 4),
        "french-header.csv": ("french-header", 4),
        "tiny-deck.json": ("Tiny JSON deck", 3),
    }
    for name in expected:
        code, out, err = run("import", FIXTURES / name)
        assert code == 0, err
        assert err == ""
        assert "imported" in out
    decks = decks_json(run)
    assert {n: d["cards"] for n, d in decks.items()} == dict(expected.values())
    for d in decks.values():
        assert {"name", "cards", "due", "mastery"} <= d.keys()
        assert d["mastery"] == 0


def test_import_apkg_both_generations(run, tmp_path):
    (tmp_path / "old.apkg").write_bytes(legacy_package())
    (tmp_path / "new.apkg").write_bytes(modern_package())
    code, out, err = run("import", tmp_path / "old.apkg", tmp_path / "new.apkg", "--json")
    assert code == 0, err
    doc = json.loads(out)
    # Anki's "Web::Basics" is the deck "Basics" in the folder "Web" (tests/commands/test_deck_folders_cli.py)
    assert [(r["deck"], r["added"]) for r in doc["imported"]] == [("Basics", 5), ("Modern deck", 3)]
    code, out, _ = run("cards", "Basics", "--json")
    cards = json.loads(out)
    assert cards[0]["front"] == "What does HTML stand for?"
    assert cards[0]["tags"] == ["web", "acronyms"]
    assert set(cards[0]) == {"id", "front", "back", "tags"}


def test_json_output_is_only_json_and_reports_duplicates(run):
    path = FIXTURES / "quizlet-export-biology.tsv"
    code, out, err = run("import", path, "--json")
    assert code == 0 and err == ""
    first = json.loads(out)
    assert first["added"] == 4 and first["duplicates"] == 0 and first["imported"][0]["created"] is True

    code, out, err = run("import", path, "--json")
    assert code == 0
    again = json.loads(out)
    assert again["added"] == 4 and again["duplicates"] == 4
    assert "--skip-duplicates" in err and len(err.strip().splitlines()) == 1

    code, out, err = run("import", path, "--skip-duplicates", "--json")
    assert code == 0 and err == ""
    skipped = json.loads(out)
    assert skipped["added"] == 0 and skipped["skipped"] == 4
    assert decks_json(run)["quizlet-export-biology"]["cards"] == 8


BAD_FILES = {
    "empty.txt": b"",
    "binary.bin": bytes(range(256)) * 8,
    "latin.txt": b"\x00\x9d" * 3 + b"abc\n",
    "wrong-encoding.txt": b"term\t" + b"\xa4\xb1\xbf\xd7\xa7\xb6\xbe\xa9\xa3\x81\x8d" * 5 + b"\n",
    "corrupt.apkg": legacy_package()[:300],
    "no-collection.apkg": zip_bytes({"notes.txt": b"hello"}),
    "furniture-only.txt": b"1/3\nLooks like no tags are added yet.\nNo analytics yet\n",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_fail_with_one_line_and_change_nothing(run, db_path, db_state, tmp_path, name):
    assert run("import", FIXTURES / "dash-astronomy.txt")[0] == 0
    before = db_state(db_path)
    bad = tmp_path / name
    bad.write_bytes(BAD_FILES[name])
    code, out, err = run("import", bad)
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("recall: ") and name in lines[0]
    assert "Traceback" not in err
    assert db_state(db_path) == before


def test_one_bad_file_means_no_file_is_imported(run, db_path, db_state, tmp_path):
    assert run("deck", "create", "Existing")[0] == 0
    before = db_state(db_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    code, _, err = run("import", FIXTURES / "dash-astronomy.txt", bad, FIXTURES / "tiny-deck.json")
    assert code == 1 and "nothing was imported" in err
    assert db_state(db_path) == before
    assert set(decks_json(run)) == {"Existing"}


def test_database_failure_mid_import_rolls_everything_back(run, db_path, db_state, monkeypatch):
    assert run("deck", "create", "Existing")[0] == 0
    before = db_state(db_path)
    from sqlalchemy.exc import OperationalError

    import app.formats.service as service

    real = service.add_cards
    calls = []

    def failing(session, deck, records, **kw):
        calls.append(deck.name)
        if len(calls) == 2:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real(session, deck, records, **kw)

    monkeypatch.setattr(service, "add_cards", failing)
    code, _, err = run("import", FIXTURES / "dash-astronomy.txt", FIXTURES / "tiny-deck.json")
    assert code == 1 and "nothing was saved" in err and len(err.strip().splitlines()) == 1
    assert calls == ["Astronomy", "Tiny JSON deck"]
    assert db_state(db_path) == before


def test_deck_option_and_separators(run, tmp_path):
    f = tmp_path / "pairs.txt"
    f.write_text("sun;soleil|moon;lune|star;étoile", encoding="utf-8")
    code, out, err = run("import", f, "--deck", "French", "--separator", ";", "--card-separator", "|")
    assert code == 0, err
    code, out, _ = run("cards", "French", "--json")
    assert [(c["front"], c["back"]) for c in json.loads(out)] == [
        ("sun", "soleil"),
        ("moon", "lune"),
        ("star", "étoile"),
    ]


def test_forced_format(run):
    code, _, err = run("import", FIXTURES / "dash-astronomy.txt", "--format", "dash-list", "--deck", "D")
    assert code == 0, err
    code, _, err = run("import", FIXTURES / "tiny-deck.json", "--format", "apkg")
    assert code == 1 and "zip" in err


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "apkg"])
def test_export_then_import_round_trip(run, tmp_path, fmt):
    assert run("import", FIXTURES / "french-header.csv", "--deck", "French")[0] == 0
    out_path = tmp_path / f"french.{fmt}"
    code, out, err = run("export", "French", "--format", fmt, "-o", out_path)
    assert code == 0, err
    assert out_path.is_file()
    code, _, err = run("import", out_path, "--deck", "Back again", "--format", fmt)
    assert code == 0, err
    original = json.loads(run("cards", "French", "--json")[1])
    copy = json.loads(run("cards", "Back again", "--json")[1])
    strip = (
        (lambda c: (c["front"], c["back"]))
        if fmt == "tsv"
        else (lambda c: (c["front"], c["back"], c["tags"]))
    )
    assert [strip(c) for c in copy] == [strip(c) for c in original]


def test_export_format_from_extension_and_errors(run, tmp_path):
    assert run("import", FIXTURES / "tiny-deck.json")[0] == 0
    code, out, _ = run("export", "Tiny JSON deck", "-o", tmp_path / "t.apkg", "--json")
    assert code == 0 and json.loads(out) == {
        "deck": "Tiny JSON deck",
        "format": "apkg",
        "cards": 3,
        "path": str(tmp_path / "t.apkg"),
    }
    code, _, err = run("export", "Tiny JSON deck", "-o", tmp_path / "t.docx")
    assert code == 2 and "--format" in err  # bad usage
    code, _, err = run("export", "No such deck", "-o", tmp_path / "x.csv")
    assert code == 1 and "no deck named" in err
    code, _, err = run("export", "Tiny JSON deck", "-o", tmp_path / "missing" / "x.csv")
    assert code == 1 and "does not exist" in err


def test_cards_and_decks_text_output(run, db_path):
    code, out, err = run("decks")  # a --db that does not exist is neither made nor called empty
    assert code == 1 and out == "" and f"no Recall database at {db_path}" in err
    assert not db_path.exists()
    code, _, _ = run("deck", "create", "Scratch")
    assert code == 0 and db_path.is_file()
    run("deck", "delete", "Scratch", "--yes")
    code, out, _ = run("decks")
    assert code == 0 and "No decks yet" in out
    run("import", FIXTURES / "dash-astronomy.txt")
    code, out, _ = run("decks")
    assert out.splitlines()[0].split() == ["Deck", "Cards", "Due", "Mastery"]
    assert "Astronomy" in out and "3" in out
    code, out, _ = run("cards", "Astronomy")
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 3 and rows[1][1] == "Name the inner planets."
    assert rows[1][2] == "Mercury, Venus, Earth and Mars. / They are rocky."
    code, _, err = run("cards", "Nope")
    assert code == 1 and err.startswith("recall: no deck named 'Nope'")


def test_deck_create_rename_delete(run):
    assert run("deck", "create", "Alpha")[0] == 0
    assert run("deck", "create", "Alpha")[0] == 1
    run("import", FIXTURES / "tiny-deck.json", "--deck", "Alpha")
    assert run("deck", "rename", "Alpha", "Beta")[0] == 0
    run("deck", "create", "Gamma")
    code, _, err = run("deck", "rename", "Beta", "Gamma")
    assert code == 1 and "already exists" in err
    code, _, err = run("deck", "delete", "Beta")
    assert code == 1 and "--yes" in err and "3 cards" in err
    assert run("deck", "delete", "Beta", "--yes")[0] == 0
    assert set(decks_json(run)) == {"Gamma"}


def test_usage_errors_exit_2(run):
    with pytest.raises(SystemExit) as info:
        run("import", "x.txt", "--format", "excel")
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        run("export", "Deck")
    assert info.value.code == 2


def test_cli_format_list_matches_the_formats_package():
    from app.commands.cards import EXPORT_FORMATS, IMPORT_FORMATS
    from app.formats import FORMATS
    from app.formats.export import EXPORT_FORMATS as WRITERS

    assert IMPORT_FORMATS == FORMATS
    assert EXPORT_FORMATS == WRITERS


def test_decks_sort_by_name_ignoring_case_on_both_readers(run, db_path):
    """As the library's Sort: Name: 'apple', 'Banana', 'cherry', not capitals first."""
    for name in ("cherry", "Banana", "apple", "Zebra"):
        assert run("deck", "create", name)[0] == 0
    code, out, _ = run("decks", "--json")  # a current SQLite file: the sqlite3 reader
    assert code == 0 and [d["name"] for d in json.loads(out)] == ["apple", "Banana", "cherry", "Zebra"]
    from app.store.db import Store
    from app.study.deck_stats import deck_summaries

    store = Store(f"sqlite:///{db_path}")
    try:
        with store.session() as session:
            assert [r.name for r in deck_summaries(session)] == ["apple", "Banana", "cherry", "Zebra"]
    finally:
        store.close()
