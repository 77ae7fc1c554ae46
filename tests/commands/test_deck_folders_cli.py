"""`recall deck folder` / `recall deck rename-folder`, and the folder key of `recall decks --json`
(on the sqlite3 reader and on the Store path: the same document)."""

from __future__ import annotations

import json
import sqlite3

from app.study.deck_stats import deck_summaries


def _decks(run) -> dict[str, dict]:
    code, out, err = run("decks", "--json")
    assert code == 0, err
    return {d["name"]: d for d in json.loads(out)}


def test_folder_set_clear_rename_and_the_decks_json(run, db_path):
    for name in ("Cells", "Genes", "Verbs"):
        assert run("deck", "create", name)[0] == 0
    assert {d["folder"] for d in _decks(run).values()} == {""}  # the key is there from the start
    code, out, _ = run("deck", "folder", "Cells", " Biology / Cells ", "--json")
    assert code == 0 and json.loads(out) == {"deck": "Cells", "folder": "Biology/Cells", "old": ""}
    run("deck", "folder", "Genes", "Biology")
    code, out, _ = run("deck", "folder", "Verbs", "Languages")
    assert code == 0 and out.strip() == "Moved 'Verbs' to the folder 'Languages'"
    decks = _decks(run)
    assert {n: d["folder"] for n, d in decks.items()} == {"Cells": "Biology/Cells", "Genes": "Biology",
                                                           "Verbs": "Languages"}  # fmt: skip
    assert set(decks["Cells"]) >= {"id", "name", "cards", "due", "new", "mastery", "folder"}

    code, out, _ = run("decks")
    assert out.splitlines()[0].split() == ["Deck", "Cards", "Due", "Mastery", "Folder"]
    assert any(line.split()[0] == "Cells" and line.endswith("Biology/Cells") for line in out.splitlines())

    code, out, _ = run("deck", "rename-folder", "Biology", "Science", "--json")
    assert code == 0 and json.loads(out) == {"old": "Biology", "folder": "Science", "decks": 2}
    assert _decks(run)["Cells"]["folder"] == "Science/Cells"
    code, out, _ = run("deck", "folder", "Verbs", "", "--json")  # "" clears
    assert code == 0 and json.loads(out) == {"deck": "Verbs", "folder": "", "old": "Languages"}
    code, out, _ = run("deck", "rename-folder", "Science", "")  # out to the top, subfolders with them
    assert code == 0 and "Moved 2 decks" in out
    assert {n: d["folder"] for n, d in _decks(run).items()} == {"Cells": "Cells", "Genes": "", "Verbs": ""}

    # the Store path (PostgreSQL, an old file) gives the same document as the sqlite3 reader
    from app.store.db import Store

    store = Store(f"sqlite:///{db_path}")
    try:
        with store.session() as s:
            assert {d.name: d.as_json() for d in deck_summaries(s)} == _decks(run)
    finally:
        store.close()


def test_folder_errors_are_one_line_and_write_nothing(run, db_path, db_state):
    run("deck", "create", "Cells")
    before = db_state(db_path)
    code, _, err = run("deck", "folder", "Nope", "X")
    assert code == 1 and err.startswith("recall: no deck named 'Nope'")
    code, _, err = run("deck", "folder", "Cells", "x" * 201)
    assert code == 1 and "at most 200" in err
    code, _, err = run("deck", "rename-folder", "Nowhere", "X")
    assert code == 1 and "no folder named 'Nowhere'" in err
    code, _, err = run("deck", "rename-folder", " / ", "X")
    assert code == 2 and "give the folder" in err  # bad usage
    assert db_state(db_path) == before
    con = sqlite3.connect(db_path)
    try:
        assert con.execute("SELECT folder FROM decks").fetchall() == [("",)]
    finally:
        con.close()


def test_an_anki_parent_child_deck_imports_into_a_folder(run, tmp_path):
    from tests.formats.anki_builders import legacy_package

    pkg = tmp_path / "web.apkg"
    pkg.write_bytes(legacy_package(deck_name="Courses::Web::Basics"))
    code, out, err = run("import", pkg, "--json")
    assert code == 0, err
    assert json.loads(out)["imported"][0]["deck"] == "Basics"
    assert {n: (d["folder"], d["cards"]) for n, d in _decks(run).items()} == {"Basics": ("Courses/Web", 5)}
    run("import", pkg)  # again: into the same deck, as any re-import
    assert {n: (d["folder"], d["cards"]) for n, d in _decks(run).items()} == {"Basics": ("Courses/Web", 10)}

    run("deck", "folder", "Basics", "Elsewhere")  # the short name is another folder's deck now
    code, out, _ = run("import", pkg, "--json")
    assert json.loads(out)["imported"][0]["deck"] == "Courses::Web::Basics"
    decks = _decks(run)
    assert decks["Courses::Web::Basics"]["folder"] == "Courses/Web" and decks["Basics"]["cards"] == 10
    run("import", pkg)  # a deck with the full name (an earlier Recall's import) keeps getting the cards
    assert _decks(run)["Courses::Web::Basics"]["cards"] == 10

    code, out, _ = run("import", pkg, "--deck", "Mine::Own", "--json")  # a name the user gave is kept
    assert json.loads(out)["imported"][0]["deck"] == "Mine::Own" and _decks(run)["Mine::Own"]["folder"] == ""
