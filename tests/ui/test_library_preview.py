"""The library's first paint without SQLAlchemy (library_preview): the same deck rows as the
library, then the real library in its place; no preview where the store must open first."""

from __future__ import annotations

import shiboken6

from app.config import load_settings, save_settings
from app.store.db import sqlite_reader
from app.study.deck_stats_sql import deck_figures
from app.ui.library_preview import LibraryPreview, read_preview
from app.ui.library_widgets import ROW_ROLE


def test_preview_rows_are_the_deck_figures_starred_first(store, db_path, sample_deck):
    from app.store.repo import get_or_create_deck

    with store.transaction() as session:
        other, _ = get_or_create_deck(session, "Another deck")
        other_id = other.id
    settings = load_settings()
    settings["starred_decks"] = [other_id]
    save_settings(settings)
    rows = read_preview(f"sqlite:///{db_path}")
    con = sqlite_reader(f"sqlite:///{db_path}")
    try:
        figures = {f.id: f for f in deck_figures(con)}
    finally:
        con.close()
    assert [r.id for r in rows] == [other_id, sample_deck]  # starred first
    assert rows[0].starred and not rows[1].starred
    for r in rows:
        f = figures[r.id]
        assert (r.name, r.cards, r.due, r.new, r.mastery) == (f.name, f.cards, f.due, f.new, f.mastery)
    assert rows[1].detail(None) == "5 cards · 5 to study"


def test_no_preview_for_a_new_file_or_another_database(tmp_path):
    assert read_preview(f"sqlite:///{tmp_path / 'new.sqlite3'}") is None
    assert read_preview("postgresql://nobody@localhost/none") is None


def test_window_paints_the_preview_then_the_library(qtbot, store, db_path, sample_deck, wait_workers):
    from app.ui.main_window import MainWindow

    store.close()  # the window opens its own store, as the app does
    w = MainWindow(None, None, first_run_prompt=False)
    qtbot.addWidget(w)
    previews: list[LibraryPreview] = []
    painted: list = []
    show = w._show_preview

    def spy(rows):
        show(rows)
        previews.append(w._opening)
        painted.append(w._opening.model.data(w._opening.model.index(0, 0), ROW_ROLE))
        assert w.stack.currentWidget() is w._opening  # the rows are up before the store is

    w._show_preview = spy
    w.show()
    qtbot.waitExposed(w)
    errors: list[BaseException] = []
    with qtbot.waitSignal(w.library_ready, timeout=30_000):
        w.open_store(f"sqlite:///{db_path}", errors.append)
    wait_workers()
    assert not errors
    assert len(previews) == 1 and isinstance(previews[0], LibraryPreview)
    shown = painted[0]
    library_row = w.library.model.rows[0]
    assert (shown.id, shown.name, shown.cards, shown.due) == (library_row.id, library_row.name,
                                                              library_row.cards, library_row.due)  # fmt: skip
    assert w.stack.currentWidget() is w.library
    qtbot.waitUntil(lambda: not shiboken6.isValid(previews[0]), timeout=10_000)  # deleteLater'd
    w.close()
    w.store.close()


def test_the_first_paint_loads_no_sqlalchemy():
    """The preview builds its rows with the library's own builder and model (library_rows), and
    none of that may pull SQLAlchemy into the first paint."""
    import subprocess
    import sys

    code = (
        "import sys; import app.ui.library_preview as p; import app.ui.library_rows as r; "
        "assert p.DeckListModel is r.DeckListModel; print('sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"
