"""Statistics screen: review heatmap with streak, reviews per day, true retention, a 30-day
forecast and card states, PNG export, and Optimize.

The figures come from `stats_data` (Qt-free, run off the UI thread by `app.ui.workers`) and are
drawn by `stats_charts`. Esc/Back emits `closed`; `loaded` is emitted each time fresh figures
are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.scheduling.stats import Stats
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.stats_charts import ACCENT, GOOD, Heatmap, bar_chart, fill_bars, fill_states, pie_chart
from app.ui.stats_data import (
    FIGURES,
    figure_texts,
    fit_report,
    has_previous_parameters,
    load_stats,
    run_optimizer,
    utcnow,
)
from app.ui.workers import run_in_background

__all__ = ["Heatmap", "StatsView", "load_stats", "run_optimizer"]


class StatsView(StudyPage):
    title = "Statistics"
    loaded = Signal()
    optimized = Signal(object)  # the Fit, once applied

    def __init__(
        self,
        store,
        deck_id: int | None,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(store, deck_id, parent)
        self._now, self.tz = now, tz
        self.stats: Stats | None = None
        self._task = None
        self._opt_task = None

        outer = QVBoxLayout(self)
        scope = deck_name(store, deck_id) if deck_id is not None else "All decks"
        bar, _ = top_bar(self, f"Statistics · {scope}")
        bar.addWidget(flat_button("Refresh", self.refresh))
        self.export_button = flat_button("Export PNG…", self._export_clicked)
        bar.addWidget(self.export_button)
        self.optimize_button = flat_button(
            "Optimize…", self.start_optimize, tip="Fit the scheduler to your own review history"
        )
        bar.addWidget(self.optimize_button)
        outer.addLayout(bar)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll, 1)
        self.body = QWidget()
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self.body)

        self.status = QLabel("Loading…")
        self.status.setObjectName("muted")
        layout.addWidget(self.status)

        self.summary = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        for i, (key, label) in enumerate(FIGURES):
            name = QLabel(label)
            name.setObjectName("muted")
            value = QLabel("—")
            value.setObjectName("statFigure")
            self.summary.addWidget(name, 0, i)
            self.summary.addWidget(value, 1, i)
            self.figures[key] = value
        layout.addLayout(self.summary)

        layout.addWidget(QLabel("Reviews in the last year"))
        self.heatmap = Heatmap()
        layout.addWidget(self.heatmap)

        charts = QHBoxLayout()
        self.per_day_view, self.per_day_chart = bar_chart("Reviews per day (30 days)", ACCENT)
        self.forecast_view, self.forecast_chart = bar_chart("Due per day (next 30 days)", GOOD)
        charts.addWidget(self.per_day_view)
        charts.addWidget(self.forecast_view)
        layout.addLayout(charts)

        self.states_view, self.states_chart = pie_chart("Card states")
        layout.addWidget(self.states_view)

        opt = QHBoxLayout()
        self.opt_progress = QProgressBar()
        self.opt_progress.setRange(0, 1000)
        self.opt_progress.hide()
        opt.addWidget(self.opt_progress, 1)
        self.cancel_button = flat_button("Cancel", self.cancel_optimize)
        self.cancel_button.hide()
        opt.addWidget(self.cancel_button)
        self.restore_button = flat_button("Restore previous parameters", self.restore_parameters)
        opt.addWidget(self.restore_button)
        layout.addLayout(opt)
        self.opt_result = QLabel("")
        self.opt_result.setWordWrap(True)
        self.opt_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.opt_result)
        layout.addStretch(1)
        self._update_restore()
        self.refresh()

    # -- figures ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.status.setText("Loading…")
        self._task = run_in_background(
            load_stats,
            self.store,
            self.deck_id,
            self._now(),
            self.tz,
            on_done=self._show,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        if self._closing:  # the page was left while the worker ran
            return
        self.status.setText(f"Could not load the statistics: {exc}")

    def _show(self, st: Stats) -> None:
        if self._closing:  # the page was left while the worker ran
            return
        self.stats = st
        self.status.setText(
            f"Study day {st.today.date.isoformat()} (the day starts at {st.rollover_hour}:00)"
        )
        for key, text in figure_texts(st).items():
            self.figures[key].setText(text)
        self.heatmap.set_data(st.heatmap, st.today.date)
        fill_bars(
            self.per_day_view,
            self.per_day_chart,
            "Reviews per day",
            [d for d, _ in st.recent],
            [n for _, n in st.recent],
        )
        fill_bars(
            self.forecast_view,
            self.forecast_chart,
            "Due per day",
            [d for d, _ in st.forecast],
            [n for _, n in st.forecast],
        )
        fill_states(self.states_chart, st.card_states)
        self.loaded.emit()

    # -- export ----------------------------------------------------------------------------
    def export_png(self, path: str) -> bool:
        """Save the whole statistics page (not just the visible part) as a PNG."""
        return self.body.grab().save(path, "PNG")

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export statistics", "recall-stats.png", "PNG image (*.png)"
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        ok = self.export_png(path)
        self.status.setText(f"Saved {path}" if ok else f"Could not write {path}")

    # -- optimize --------------------------------------------------------------------------
    def start_optimize(self) -> None:
        if self._opt_task is not None:
            return
        self.optimize_button.setEnabled(False)
        self.opt_progress.setValue(0)
        self.opt_progress.show()
        self.cancel_button.show()
        self.opt_result.setText("Optimizing the scheduler on your review history…")
        self._opt_task = run_in_background(
            run_optimizer,
            self.store,
            self.deck_id,
            with_progress=True,
            on_progress=lambda done, total: self.opt_progress.setValue(done),
            on_done=self._optimized,
            on_error=self._optimize_failed,
            on_cancelled=self._optimize_cancelled,
        )

    def cancel_optimize(self) -> None:
        if self._opt_task is not None:
            self._opt_task.cancel()
            self.opt_result.setText("Cancelling…")

    def _optimize_ended(self) -> None:
        self._opt_task = None
        self.optimize_button.setEnabled(True)
        self.opt_progress.hide()
        self.cancel_button.hide()
        self._update_restore()

    def _optimized(self, fit) -> None:
        if self._closing:  # the page was left while the worker ran
            return
        self._optimize_ended()
        self.opt_result.setText(fit_report(fit))
        self.optimized.emit(fit)
        self.refresh()

    def _optimize_failed(self, exc: BaseException) -> None:
        if self._closing:  # the page was left while the worker ran
            return
        self._optimize_ended()
        self.opt_result.setText(f"Not optimized: {exc}")

    def _optimize_cancelled(self) -> None:
        if self._closing:  # the page was left while the worker ran
            return
        self._optimize_ended()
        self.opt_result.setText("Optimizing was cancelled; the parameters are unchanged.")

    def _update_restore(self) -> None:
        self.restore_button.setEnabled(has_previous_parameters(self.store, self.deck_id))

    def restore_parameters(self) -> None:
        from app.scheduling.optimizer import OptimizeRefused, restore_previous

        try:
            with self.store.transaction() as s:
                changed = restore_previous(s, self.deck_id)
        except OptimizeRefused as exc:
            self.opt_result.setText(str(exc))
        else:
            self.opt_result.setText("Restored the earlier parameters of: " + ", ".join(changed))
        self._update_restore()

    def finish(self) -> None:
        if self._opt_task is not None:
            self._opt_task.cancel()
