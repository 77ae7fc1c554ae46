"""`recall import --dry-run` and bad input through `app.cli.main`: the dry run prints cards,
dropped lines with reasons, confidence and format and writes nothing; bad input gets one clear
line and leaves the database exactly as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from tests.formats.anki_builders import NOTES_AND_CARDS, zip_bytes

CORPUS = Path(__file__).parents[1] / "formats" / "fixtures" / "corpus"


def test_dry_run_json_reports_cards_dropped_lines_and_confidence(run, db_path):
    code, out, _err = run("import", "--dry-run", "--json", CORPUS / "01-quizlet-es-banner.txt")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["added"] == 0
    assert {"imported", "added", "skipped", "duplicates"} <= set(report)  # the import contract's keys
    (one,) = report["imported"]
    assert one["format"] == one["detected_format"] == "quizlet-page"
    assert one["deck"] == "Vocabulario de biología celular"
    assert one["cards"][0] == {"front": "La célula", "back": "Unidad básica estructural y funcional de los seres vivos.", "tags": []}
    assert len(one["cards"]) == one["card_count"] == 6
    reasons = {d["text"]: d["reason"] for d in one["dropped"]}
    assert reasons["¡Supera tus tareas y exámenes ahora con Quizwiz!"] == "promotional banner"
    assert reasons["Conjuntos de estudio relacionados"] == "related sets footer"
    assert reasons["Vocabulario de biología celular"] == "deck title"
    assert all(d["line"] >= 1 for d in one["dropped"])
    assert 0.6 <= one["confidence"] <= 1 and one["uncertain"] is False
    assert not db_path.exists()  # nothing written, not even an empty database


def test_dry_run_text_and_stdin(run, db_path, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Banner: sign up free!\nQ1?\nA1.\nQ2?\nA2.\n")))
    code, out, _err = run("import", "--dry-run", "-")
    assert code == 0
    assert "2 cards" in out and "dropped line 1" in out and "nothing was written" in out
    assert not db_path.exists()


def test_dry_run_reports_what_anki_cannot_carry(run, tmp_path):
    pytest.importorskip("anki")
    from tests.formats import anki_real

    col, _ = anki_real.build_collection(tmp_path)
    pkg = anki_real.export_apkg(col, tmp_path / "d.apkg", legacy=False)
    col.close()
    code, out, _err = run("import", "--dry-run", "--json", pkg)
    assert code == 0
    (one,) = json.loads(out)["imported"]
    assert one["unsupported"]["note type 'Image Occlusion'"] == 1
    code, _out, err = run("import", pkg)
    assert code == 0 and "not imported: 1 x note type 'Image Occlusion'" in err


def _sqlite_bytes(script: str) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.db"
        con = sqlite3.connect(path)
        con.executescript(script)
        con.commit()
        con.close()
        return path.read_bytes()


# Real SQLite databases, but not Anki collections: packages whose database is broken.
NO_TABLES = _sqlite_bytes("CREATE TABLE unrelated (x);")
NO_COL = _sqlite_bytes(NOTES_AND_CARDS + "INSERT INTO notes VALUES (1,'g',1,0,0,'','a','a',0,0,'');")


BAD = {
    "random.bin": (os.urandom(4096), "binary file"),
    "random.apkg": (b"PK\x03\x04" + os.urandom(2048), "damaged zip"),
    "photos.apkg": (zip_bytes({"photo.jpg": b"\xff\xd8\xff" + os.urandom(100)}), "not an Anki package"),
    "no-tables.apkg": (zip_bytes({"collection.anki2": NO_TABLES}), "damaged"),
    "no-col.apkg": (zip_bytes({"collection.anki21": NO_COL}), "damaged"),
    "shiftjis.txt": ("質問\t答え\n日本語\t言語\n".encode("shift_jis") * 20, "encoding"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_says_why_and_writes_nothing(run, db_path, db_state, tmp_path, name):
    data, message = BAD[name]
    assert run("deck", "create", "Keep me")[0] == 0
    before = db_state(db_path)
    path = tmp_path / name
    path.write_bytes(data)
    code, out, err = run("import", path)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "nothing was imported" in err
    assert db_state(db_path) == before


def test_a_200_mb_paste_is_refused_before_reading_it(run, db_path, db_state, tmp_path):
    assert run("deck", "create", "Keep me")[0] == 0
    before = db_state(db_path)
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        chunk = b"question\tanswer\n" * 65536  # 1 MiB
        for _ in range(200):
            fh.write(chunk)
    code, _out, err = run("import", path)
    assert code == 1 and "too large" in err
    assert db_state(db_path) == before
    assert zipfile.is_zipfile(path) is False


def test_dry_run_reports_cards_without_an_answer_and_lines_after_a_blank(run, db_path, tmp_path):
    tsv = tmp_path / "mixed.tsv"
    tsv.write_text("cell\tunit of life\nterm\t\n\nstray words\natom\tsmallest unit\n", encoding="utf-8")
    code, out, _ = run("import", "--dry-run", "--json", tsv)
    assert code == 0
    (one,) = json.loads(out)["imported"]
    assert [c["front"] for c in one["cards"]] == ["cell", "atom"]
    assert one["incomplete"] == {"no answer": 1}
    reasons = {d["text"]: d["reason"] for d in one["dropped"]}
    assert reasons["term"] == "no answer" and "blank line" in reasons["stray words"]
    code, out, _ = run("import", "--dry-run", tsv)
    assert code == 0 and "mixed.tsv: 2 cards as tsv" in out
    assert "1 card skipped: no answer" in out and "dropped line 4: 'stray words'" in out
    code, out, err = run("import", tsv, "--json")
    assert code == 0 and json.loads(out)["added"] == 2 and json.loads(out)["incomplete"] == 1
    assert "recall: note: 1 card skipped: no answer" in err
    assert not any(c["back"] == "" for c in json.loads(run("cards", "mixed", "--json")[1]))
