"""The statistics screen's charts: the year heatmap (QPainter), 30-day bar charts and the
card-state pie (QtCharts). They draw what they are given; the figures come from stats_data."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

ACCENT = QColor("#4255ff")
GOOD = QColor("#18794e")
STATES = ("new", "learning", "review", "relearning")


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


def bar_chart(title: str, color: QColor) -> tuple[QChartView, QChart]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setBackgroundVisible(False)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    view.setProperty("barColor", color)
    return view, chart


def fill_bars(view: QChartView, chart: QChart, title: str, days: list[date], values: list[int]) -> None:
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



def pie_chart(title: str) -> tuple[QChartView, QChart]:
    chart = QChart()
    chart.setTitle(title)
    chart.setBackgroundVisible(False)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return view, chart


def fill_states(chart: QChart, states: dict[str, int]) -> None:
    """One slice per card state that has cards."""
    chart.removeAllSeries()
    pie = QPieSeries()
    for name in STATES:
        n = states.get(name, 0)
        if n:
            pie.append(f"{name} {n}", n)
    chart.addSeries(pie)
