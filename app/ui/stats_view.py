"""Statistics screen: review heatmap with streak, reviews per day, true retention, a 30-day
forecast and card states (QtCharts, heatmap drawn with QPainter), PNG export, and Optimize.

Figures come from `app.scheduling.stats.collect_stats` and the fit from
`app.scheduling.optimizer`; both run off the UI thread (`app.ui.workers`). Esc/Back emits
`closed`; `loaded` is emitted each time fresh figures are shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone, tzinfo

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.scheduling.stats import Stats
from app.ui.common import StudyPage, deck_name, flat_button, top_bar
from app.ui.workers import run_in_background

ACCENT = QColor("#4255ff")


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def load_stats(store, deck_id: int | None, now: datetime, tz: tzinfo | None) -> Stats:
    """Runs on a worker thread, with its own session."""
    from app.scheduling.stats import collect_stats

    with store.session() as session:
        return collect_stats(session, deck_id, now, tz)


def run_optimizer(store, deck_id: int | None, report: Callable[[int, int], None]):
    """Runs on a worker thread; `report` raises the workers' Cancelled once the user cancels."""
    from app.scheduling.optimizer import optimize

    return optimize(store, deck_id, progress=lambda f: report(int(f * 1000), 1000))


class Heatmap(QWidget):
    """A year of study days as a grid of weeks (columns) by weekday (rows), GitHub style."""

    CELL = 11
    GAP = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: dict[date, int] = {}
        self.last_day = date.today()
        self.days = 365
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def set_data(self, counts: dict[date, int], last_day: date, days: int = 365) -> None:
        self.counts, self.last_day, self.days = dict(counts), last_day, days
        self.updateGeometry()
        self.update()

    def _weeks(self) -> int:
        first = self.last_day - timedelta(days=self.days - 1)
        return (self.last_day - (first - timedelta(days=first.weekday()))).days // 7 + 1

    def sizeHint(self) -> QSize:
        step = self.CELL + self.GAP
        return QSize(self._weeks() * step + 2, 7 * step + 2)

    def level(self, n: int, top: int) -> int:
        """0 for no reviews, else 1..4 by share of the busiest day."""
        if n <= 0 or top <= 0:
            return 0
        return min(4, 1 + int(4 * (n - 1) / top))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        step = self.CELL + self.GAP
        first = self.last_day - timedelta(days=self.days - 1)
        start = first - timedelta(days=first.weekday())  # the Monday of the first week
        top = max(self.counts.values(), default=0)
        empty = self.palette().color(self.backgroundRole()).darker(112)
        for i in range(self.days):
            d = first + timedelta(days=i)
            col, row = (d - start).days // 7, d.weekday()
            lvl = self.level(self.counts.get(d, 0), top)
            color = QColor(ACCENT) if lvl else empty
            if lvl:
                color.setAlphaF(0.25 + 0.1875 * lvl)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            p.drawRoundedRect(QRectF(1 + col * step, 1 + row * step, self.CELL, self.CELL), 2, 2)
        p.end()


def _bar_chart(title: str, color: QColor) -> tuple[QChartView, QChart]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setBackgroundVisible(False)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    view.setProperty("barColor", color)
    return view, chart


def _fill_bars(view: QChartView, chart: QChart, title: str, days: list[date], values: list[int]) -> None:
    """30 bars, one per day; the date range goes in the title (30 dates under the bars would
    be elided to dots at any usual width)."""
    chart.setTitle(f"{title}, {days[0].strftime('%d %b')} – {days[-1].strftime('%d %b')}" if days else title)
    labels = [d.isoformat() for d in days]
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    bars = QBarSet("")
    bars.append([float(v) for v in values])
    bars.setColor(view.property("barColor"))
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append(labels)
    x.setLabelsVisible(False)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    y = QValueAxis()
    y.setRange(0, max(1, max(values, default=0)))
    y.setLabelFormat("%d")
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y)


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
        now: Callable[[], datetime] = _utcnow,
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
        for i, (key, label) in enumerate(
            (
                ("streak", "Streak"),
                ("today", "Reviews today"),
                ("per_day", "Reviews per day (30 days)"),
                ("retention", "True retention (30 days)"),
                ("retention_all", "True retention (all time)"),
                ("due", "Due today"),
            )
        ):
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
        self.per_day_view, self.per_day_chart = _bar_chart("Reviews per day (30 days)", ACCENT)
        self.forecast_view, self.forecast_chart = _bar_chart("Due per day (next 30 days)", QColor("#18794e"))
        charts.addWidget(self.per_day_view)
        charts.addWidget(self.forecast_view)
        layout.addLayout(charts)

        self.states_chart = QChart()
        self.states_chart.setTitle("Card states")
        self.states_chart.setBackgroundVisible(False)
        self.states_view = QChartView(self.states_chart)
        self.states_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.states_view.setMinimumHeight(220)
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
        f = self.figures
        f["streak"].setText(f"{st.streak} days (best {st.longest_streak})")
        f["today"].setText(str(st.reviews_today))
        f["per_day"].setText(f"{st.reviews_per_day:.1f}")
        for key, r in (("retention", st.retention_recent), ("retention_all", st.retention_all)):
            f[key].setText("—" if r.rate is None else f"{100 * r.rate:.1f}% of {r.total}")
        d = st.due_today
        f["due"].setText(f"{d.total} ({d.new} new, {d.learning} learning, {d.review} review)")
        self.heatmap.set_data(st.heatmap, st.today.date)
        _fill_bars(
            self.per_day_view,
            self.per_day_chart,
            "Reviews per day",
            [d for d, _ in st.recent],
            [n for _, n in st.recent],
        )
        _fill_bars(
            self.forecast_view,
            self.forecast_chart,
            "Due per day",
            [d for d, _ in st.forecast],
            [n for _, n in st.forecast],
        )
        self.states_chart.removeAllSeries()
        pie = QPieSeries()
        for name in ("new", "learning", "review", "relearning"):
            n = st.card_states.get(name, 0)
            if n:
                pie.append(f"{name} {n}", n)
        self.states_chart.addSeries(pie)
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
        lines = [f"Fitted {fit.scope} on {fit.reviews} reviews of {fit.cards} cards in {fit.seconds:.1f} s."]
        if fit.old_log_loss is not None and fit.new_log_loss is not None:
            better = "better" if fit.new_log_loss < fit.old_log_loss else "no better"
            lines.append(
                f"Log loss {fit.old_log_loss:.4f} → {fit.new_log_loss:.4f} ({better}; lower predicts recall better)."
            )
        pairs = ", ".join(
            f"w{i}: {a:.3g}→{b:.3g}"
            for i, (a, b) in enumerate(zip(fit.old_parameters, fit.new_parameters, strict=True))
            if abs(a - b) > 1e-4
        )
        lines.append(f"Changed parameters: {pairs or 'none'}. The old ones can be restored.")
        self.opt_result.setText("\n".join(lines))
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
        from sqlalchemy import select

        from app.store.models import Deck

        with self.store.session() as s:
            stmt = select(Deck.id).where(Deck.fsrs_parameters_previous.is_not(None))
            if self.deck_id is not None:
                stmt = stmt.where(Deck.id == self.deck_id)
            self.restore_button.setEnabled(s.scalar(stmt.limit(1)) is not None)

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
