"""Pieces of the library page: the Today strip, the drawn deck row, and the empty library."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.theme import colour

if TYPE_CHECKING:  # types only: the library's first paint (library_preview) runs before SQLAlchemy is imported
    from app.scheduling.today import Today
    from app.ui.library_rows import DeckRow, FolderRow

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row (library_rows.DeckRow or FolderRow), for the delegate
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 2  # a folder header's path ("" the decks in no folder)

ROW_HEIGHT = 68
FOLDER_HEIGHT = 36
FOLDER_INDENT = 22  # px per level of folders inside folders
STAR_W = 40
BAR_W = 150


class TodayStrip(QFrame):
    """Due now, new cards, streak and time studied today, with the primary Study now button."""

    study_now = Signal()

    FIGURES = (
        ("due", "Due now"),
        ("new", "New cards"),
        ("streak", "Day streak"),
        ("minutes", "Studied today"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayStrip")
        row = QHBoxLayout(self)
        row.setContentsMargins(20, 14, 20, 14)
        row.setSpacing(22)
        title = QLabel("Today")
        title.setObjectName("stripTitle")
        row.addWidget(title)
        self.values: dict[str, QLabel] = {}
        for key, label in self.FIGURES:
            box = QGridLayout()
            box.setVerticalSpacing(0)
            value = QLabel("—")
            value.setObjectName("stripFigure")
            name = QLabel(label)
            name.setObjectName("muted")
            box.addWidget(value, 0, 0)
            box.addWidget(name, 1, 0)
            row.addLayout(box)
            self.values[key] = value
        row.addStretch(1)
        self.message = QLabel("")
        self.message.setObjectName("muted")
        row.addWidget(self.message)
        self.button = QPushButton("Study now")
        self.button.setObjectName("primary")
        self.button.setToolTip("Review everything due today, across all decks (Ctrl+Return)")
        self.button.setAccessibleName("Study now")
        self.button.setMinimumHeight(40)
        self.button.clicked.connect(self.study_now)
        row.addWidget(self.button)

    def show_today(self, today: Today) -> None:
        self.values["due"].setText(str(today.due))
        self.values["new"].setText(str(today.new))
        self.values["streak"].setText(f"{today.streak} 🔥" if today.streak >= 3 else str(today.streak))
        minutes = today.minutes_today
        self.values["minutes"].setText(f"{minutes} min" if minutes else ("<1 min" if today.reviews_today else "0 min"))
        self.button.setEnabled(today.total > 0)
        self.message.setText("" if today.total else "All caught up ✔")
        self.message.setVisible(not today.total)  # not an empty label at zero width
        self.setAccessibleName(
            f"Today: {today.due} due, {today.new} new, streak {today.streak} days, {minutes} minutes studied"
        )


class DeckDelegate(QStyledItemDelegate):
    """A deck as a row: star, name and details, the due count, and the mastery bar."""

    star_clicked = Signal(int)  # deck id

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        if getattr(index.data(ROW_ROLE), "is_folder", False):
            return QSize(400, max(FOLDER_HEIGHT, round(1.15 * fm.height()) + 16))
        return QSize(400, max(ROW_HEIGHT, 2 * fm.height() + 28))

    @staticmethod
    def row_rect(rect: QRect, row: DeckRow | None) -> QRect:
        """A deck's card, set in under its folder's header when that folder is inside another."""
        folder = getattr(row, "folder", "") or ""
        return rect.adjusted(2 + FOLDER_INDENT * folder.count("/"), 3, -2, -3)

    @staticmethod
    def star_rect(rect: QRect) -> QRect:
        return QRect(rect.left() + 4, rect.top(), STAR_W, rect.height())

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        row: DeckRow | FolderRow | None = index.data(ROW_ROLE)
        if row is None:
            return
        if row.is_folder:
            self._paint_folder(p, option, row)
            return
        pal: QPalette = option.palette
        r = self.row_rect(option.rect, row)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        accent = pal.color(QPalette.ColorRole.Highlight)
        fill = colour(pal, "accent_bg") if selected else colour(pal, "card")
        p.setPen(accent if selected else colour(pal, "border"))
        p.setBrush(fill)
        p.drawRoundedRect(QRectF(r), 10, 10)

        text, muted = colour(pal, "text"), colour(pal, "muted")
        star = self.star_rect(r)
        p.setPen(colour(pal, "star") if row.starred else muted)
        big = QFont(option.font)
        big.setPointSizeF(option.font.pointSizeF() * 1.4)
        p.setFont(big)
        p.drawText(star, Qt.AlignmentFlag.AlignCenter, "★" if row.starred else "☆")

        right = r.right() - 16
        bar = QRect(right - BAR_W, r.center().y() - 4, BAR_W, 8)
        p.setPen(Qt.PenStyle.NoPen)
        track = QColor(muted)
        track.setAlphaF(0.25)
        p.setBrush(track)
        p.drawRoundedRect(QRectF(bar), 4, 4)
        done = QRect(bar)
        done.setWidth(round(BAR_W * max(0.0, min(100.0, row.mastery)) / 100))
        p.setBrush(colour(pal, "good"))
        if done.width() > 0:
            p.drawRoundedRect(QRectF(done), 4, 4)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        p.setFont(small)
        p.setPen(muted)
        pct = QRect(bar.left(), bar.top() - 22, BAR_W, 18)
        p.drawText(pct, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{row.mastery:.0f} % mastered")

        badge_w = 92
        badge = QRect(bar.left() - badge_w - 24, r.center().y() - 13, badge_w, 26)
        if row.due:
            p.setPen(Qt.PenStyle.NoPen)
            soft = QColor(accent)
            soft.setAlphaF(0.18)
            p.setBrush(soft)
            p.drawRoundedRect(QRectF(badge), 13, 13)
            p.setPen(accent)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, f"{row.due} to study")
        else:
            p.setPen(muted)
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, "✔ done")

        left = star.right() + 6
        width = badge.left() - 16 - left
        name_font = QFont(option.font)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.15)
        name_font.setWeight(QFont.Weight.DemiBold)
        p.setFont(name_font)
        p.setPen(text)
        fm = QFontMetrics(name_font)
        top = QRect(left, r.top() + 10, width, fm.height())
        p.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(row.name, Qt.TextElideMode.ElideRight, width))  # fmt: skip
        p.setFont(small)
        p.setPen(muted)
        sub = QRect(left, top.bottom() + 4, width, QFontMetrics(small).height())
        now = index.model().now if hasattr(index.model(), "now") else None
        detail = row.detail(now) if now is not None else ""
        p.drawText(sub, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   QFontMetrics(small).elidedText(detail, Qt.TextElideMode.ElideRight, width))  # fmt: skip
        p.restore()

    @staticmethod
    def _paint_folder(p: QPainter, option: QStyleOptionViewItem, row: FolderRow) -> None:
        """A folder's header: open/closed mark, its name indented by depth, and its decks' figures."""
        pal: QPalette = option.palette
        r = option.rect.adjusted(2, 2, -2, -2)
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus):
            p.setPen(pal.color(QPalette.ColorRole.Highlight))
            p.setBrush(colour(pal, "accent_bg"))
            p.drawRoundedRect(QRectF(r), 8, 8)
        muted = colour(pal, "muted")
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        fm_small = QFontMetrics(small)
        figures = row.detail()
        fig_w = fm_small.horizontalAdvance(figures) + 8
        right = QRect(r.right() - 16 - fig_w, r.top(), fig_w, r.height())
        p.setFont(small)
        p.setPen(muted)
        p.drawText(right, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, figures)
        left = r.left() + 12 + FOLDER_INDENT * row.depth
        p.setPen(colour(pal, "text"))
        name_font = QFont(option.font)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.05)
        name_font.setWeight(QFont.Weight.DemiBold)
        p.setFont(name_font)
        fm = QFontMetrics(name_font)
        mark = "▸" if row.collapsed else "▾"
        text = f"{mark}  {row.label}"
        width = max(0, right.left() - 12 - left)
        p.drawText(QRect(left, r.top(), width, r.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(text, Qt.TextElideMode.ElideRight, width))  # fmt: skip
        p.restore()

    def editorEvent(self, event, model, option: QStyleOptionViewItem, index: QModelIndex) -> bool:
        if getattr(index.data(ROW_ROLE), "is_folder", False):
            return super().editorEvent(event, model, option, index)
        star = self.star_rect(self.row_rect(option.rect, index.data(ROW_ROLE)))
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and star.contains(event.position().toPoint())
        ):
            self.star_clicked.emit(index.data(Qt.ItemDataRole.UserRole))
            return True
        return super().editorEvent(event, model, option, index)


class EmptyLibrary(QFrame):
    """No decks yet: the sample decks to start from, and Import / New deck."""

    def __init__(self, samples: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(40, 40, 40, 40)
        lay.setSpacing(12)
        lay.addStretch(1)
        title = QLabel("Your library is empty")
        title.setObjectName("pageTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(title)
        text = QLabel(
            "Import a deck from Quizlet, Knowt, Anki or a spreadsheet — or drop a file on this window."
        )
        text.setObjectName("muted")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.import_button = QPushButton("Import a file…")
        self.import_button.setObjectName("primary")
        self.import_button.setAccessibleName("Import a file")
        self.samples_button = QPushButton("Add the sample decks")
        self.samples_button.setAccessibleName("Add the sample decks")
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.samples_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.samples_label = QLabel(
            "Sample decks: " + ", ".join(samples) if samples else ""
        )
        self.samples_label.setObjectName("muted")
        self.samples_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.samples_label.setWordWrap(True)
        lay.addWidget(self.samples_label)
        self.samples_button.setVisible(bool(samples))
        self.samples_label.setVisible(bool(samples))
        lay.addStretch(2)
