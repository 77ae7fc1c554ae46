"""A deck page's data: its cards as plain rows, loaded in one query, the list model over them
and the delegate that draws each card as a readable row (front, back preview, mastery, star).
A 10,000-card deck scrolls without touching the database: rows are fixed height and painted
from the plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.store.db import Store
from app.store.models import Deck
from app.study.cards import load_study_cards
from app.study.mastery import level_for_tallies
from app.study.media import plain_text
from app.ui.theme import colour

LEVEL_MARK = {"new": "○ new", "learning": "◔ learning", "familiar": "◑ familiar", "mastered": "● mastered"}
LEVEL_COLOUR = {"new": "muted", "learning": "warn", "familiar": "accent", "mastered": "good"}
ROW_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class CardRow:
    id: int
    front: str
    back: str
    tags: str
    starred: bool
    level: str


@dataclass(frozen=True)
class DeckData:
    name: str
    best_match_ms: int | None
    rows: list[CardRow]


def load_deck(store: Store, deck_id: int) -> DeckData:
    """The deck's cards as plain rows, in one query (runs off the UI thread)."""
    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        rows = [
            CardRow(c.id, c.front, c.back, c.tags, c.starred, level_for_tallies(c.reps, c.streak))
            for c in load_study_cards(session, deck_id)
        ]
        return DeckData(deck.name, deck.best_match_ms, rows)


def one_line(text: str) -> str:
    return " ".join(plain_text(text).split())


class CardListModel(QAbstractListModel):
    """Plain rows; the display text is the card read aloud (front, back, mastery, star)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CardRow] = []

    def set_rows(self, rows: list[CardRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def append_rows(self, rows: list[CardRow]) -> None:
        """Add rows at the end: the deck page fills a big deck a batch per event-loop turn."""
        if not rows:
            return
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            star = ", starred" if row.starred else ""
            return f"{one_line(row.front)} — {one_line(row.back)} ({row.level}{star})"
        if role == Qt.ItemDataRole.ToolTipRole:
            tags = f"\n\ntags: {row.tags}" if row.tags else ""
            return f"{plain_text(row.front)}\n—\n{plain_text(row.back)}{tags}"
        return None

    def row_of(self, card_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == card_id), -1)

    def refresh_row(self, i: int) -> None:
        self.dataChanged.emit(self.index(i), self.index(i))


class CardDelegate(QStyledItemDelegate):
    """One card per row: ★/☆, the front in bold over the back in muted text, the mastery badge.
    A click on the star toggles it (`star_clicked`)."""

    star_clicked = Signal(int)  # row number
    STAR_W = 30
    BADGE_W = 112

    def _fonts(self, option) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        return bold, QFont(option.font)

    def sizeHint(self, option, index) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 18)

    def star_rect(self, rect: QRect) -> QRect:
        return QRect(rect.left() + 4, rect.top(), self.STAR_W, rect.height())

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        row: CardRow = index.data(ROW_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        r = option.rect.adjusted(0, 4, -8, -4)
        bold, normal = self._fonts(option)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_col = option.palette.color(QPalette.ColorRole.Text)
        painter.setFont(normal)
        painter.setPen(colour(None, "star") if row.starred else colour(None, "muted"))
        painter.drawText(self.star_rect(r), Qt.AlignmentFlag.AlignCenter, "★" if row.starred else "☆")
        badge = QRect(r.right() - self.BADGE_W, r.top(), self.BADGE_W, r.height())
        painter.setPen(colour(None, LEVEL_COLOUR[row.level]))
        painter.drawText(badge, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, LEVEL_MARK[row.level])
        left = r.left() + self.STAR_W + 10
        width = max(10, badge.left() - left - 8)
        half = r.height() // 2
        painter.setFont(bold)
        painter.setPen(text_col)
        front = QFontMetrics(bold).elidedText(one_line(row.front), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, r.top(), width, half), Qt.AlignmentFlag.AlignVCenter, front)
        painter.setFont(normal)
        painter.setPen(text_col if selected else colour(None, "muted"))
        back = QFontMetrics(normal).elidedText(one_line(row.back), Qt.TextElideMode.ElideRight, width)
        painter.drawText(QRect(left, r.top() + half, width, r.height() - half), Qt.AlignmentFlag.AlignVCenter, back)
        painter.restore()

    def editorEvent(self, event, model, option, index) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and self.star_rect(option.rect).contains(
            event.position().toPoint()
        ):
            self.star_clicked.emit(index.row())
            return True
        return super().editorEvent(event, model, option, index)
