"""The statistics screen offscreen: figures, heatmap, PNG export, optimize with progress/cancel."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from sqlalchemy import select

from app.scheduling.review import record_review
from app.scheduling.simulate import simulate, write_history
from app.store.models import Card, Deck
from app.store.repo import CardRecord, add_cards, get_or_create_deck
from app.ui.stats_view import StatsView

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _view(qtbot, store, deck_id, now):
    view = StatsView(store, deck_id, now=lambda: now, tz=timezone.utc)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.show()
    return view


def _review_days(store, deck_id, days):
    with store.transaction() as s:
        cards = list(s.scalars(select(Card).where(Card.deck_id == deck_id).order_by(Card.position)))
        for i, d in enumerate(days):
            record_review(s, cards[i], mode="spaced", rating=3, now=T0 + timedelta(days=d))


def test_figures_heatmap_and_charts(qtbot, store, sample_deck):
    _review_days(store, sample_deck, [0, 1, 2])
    view = _view(qtbot, store, sample_deck, T0 + timedelta(days=2, hours=1))
    st = view.stats
    assert view.figures["streak"].text() == "3 days (best 3)"
    assert view.figures["today"].text() == "1"
    assert view.figures["due"].text().startswith(str(st.due_today.total))
    assert view.heatmap.counts == st.heatmap and sum(view.heatmap.counts.values()) == 3
    assert view.heatmap.sizeHint().width() > 50 * view.heatmap.CELL
    per_day = view.per_day_chart.series()[0].barSets()[0]
    assert [per_day.at(i) for i in range(per_day.count())][-3:] == [1.0, 1.0, 1.0]
    forecast = view.forecast_chart.series()[0].barSets()[0]
    assert forecast.count() == 30 and sum(forecast.at(i) for i in range(30)) == 3
    labels = [sl.label() for sl in view.states_chart.series()[0].slices()]
    assert labels == ["new 2", "learning 3"]
    with qtbot.waitSignal(view.closed, timeout=1000):
        qtbot.keyClick(view, Qt.Key.Key_Escape)


def test_export_png(qtbot, store, sample_deck, tmp_path):
    view = _view(qtbot, store, None, T0)
    out = tmp_path / "stats.png"
    assert view.export_png(str(out))
    img = QImage(str(out))
    assert not img.isNull() and img.width() > 300 and img.height() > 300


def test_optimize_refused_on_a_small_log(qtbot, store, sample_deck, wait_workers):
    _review_days(store, sample_deck, [0, 1])
    view = _view(qtbot, store, sample_deck, T0 + timedelta(days=2))
    view.optimize_button.click()
    wait_workers()
    assert view.opt_result.text().startswith("Not optimized:") and "512" in view.opt_result.text()
    assert view.optimize_button.isEnabled() and not view.restore_button.isEnabled()


def _simulated_deck(store) -> int:
    with store.transaction() as s:
        deck, _ = get_or_create_deck(s, "Simulated")
        add_cards(s, deck, [CardRecord(f"q{i}", f"a{i}") for i in range(100)])
        s.flush()
        ids = list(s.scalars(select(Card.id).where(Card.deck_id == deck.id).order_by(Card.position)))
        write_history(s, deck.id, simulate(ids, T0 - timedelta(days=90), 90, new_per_day=10, seed=3))
        return deck.id


def test_optimize_cancel_then_run_and_restore(qtbot, store, wait_workers):
    deck_id = _simulated_deck(store)
    view = _view(qtbot, store, deck_id, T0)
    view.start_optimize()
    assert view.opt_progress.isVisible() and not view.optimize_button.isEnabled()
    view.cancel_optimize()
    wait_workers(60_000)
    assert "cancelled" in view.opt_result.text()
    with store.session() as s:
        assert s.get(Deck, deck_id).fsrs_parameters is None

    progress = []
    view.opt_progress.valueChanged.connect(progress.append)
    with qtbot.waitSignal(view.optimized, timeout=120_000) as fitted:
        view.start_optimize()
    wait_workers()
    fit = fitted.args[0]
    assert progress and max(progress) >= 900
    assert "Log loss" in view.opt_result.text() and view.restore_button.isEnabled()
    with store.session() as s:
        assert json.loads(s.get(Deck, deck_id).fsrs_parameters) == fit.new_parameters
    view.restore_button.click()
    assert view.opt_result.text().startswith("Restored")
    with store.session() as s:
        assert json.loads(s.get(Deck, deck_id).fsrs_parameters) == fit.old_parameters


def test_opened_from_the_main_window_and_left_while_loading(qtbot, window, sample_deck, wait_workers):
    page = window.open_mode("stats", None)
    assert isinstance(page, StatsView) and window.current_page is page
    qtbot.keyClick(page, Qt.Key.Key_Escape)  # leave before the figures arrive
    wait_workers()
    qtbot.wait(50)
    assert window.current_page is window.library
    spaced = window.open_mode("spaced", sample_deck)
    assert spaced is not None
    qtbot.waitUntil(lambda: spaced.front.text() == "What does the forget gate do?", timeout=20_000)
