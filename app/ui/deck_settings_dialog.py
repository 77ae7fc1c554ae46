"""Per-deck options: new cards a day, desired retention, rating scale and the deck's language.

They are columns of the deck row (`app.store.models.Deck`): the daily queue reads `new_per_day`,
the FSRS scheduler `desired_retention`, the Spaced screen `rating_scale` ("4" Again/Hard/Good/Easy,
"5" Brainscape-style confidence, mapped in `app.scheduling.grades`), and the call gives `language`
to Whisper and the speaking voice. All four are saved in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.store.db import Store
from app.store.models import Deck
from app.ui.form_dialog import FormDialog

MIN_RETENTION, MAX_RETENTION = 0.70, 0.99
MAX_NEW_PER_DAY = 9999
SCALES = (("4", "4 buttons: Again / Hard / Good / Easy"), ("5", "1–5 confidence (Brainscape style)"))
LANGUAGES = (("en", "English"), ("de", "German"), ("fr", "French"), ("es", "Spanish"), ("it", "Italian"))
# A language code as Whisper and espeak take it: "pt", "pt-BR", "zh_TW" (the region is ignored by Whisper).
_CODE = re.compile(r"^[a-z]{2,3}([-_][a-z0-9]{2,8})?$", re.IGNORECASE)


# --- Qt-free: the options, their checks, and saving --------------------------------------------


@dataclass(frozen=True)
class DeckOptions:
    new_per_day: int
    desired_retention: float
    rating_scale: str
    language: str


def load_options(store: Store, deck_id: int) -> tuple[str, DeckOptions]:
    """The deck's name and options; LookupError when the deck was deleted meanwhile."""
    with store.session() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        return deck.name, DeckOptions(
            deck.new_per_day,
            float(deck.desired_retention),
            deck.rating_scale if deck.rating_scale in ("4", "5") else "4",
            deck.language or "en",
        )


def normalise_language(text: str) -> str:
    """`" EN_us "` -> "en-US"; ValueError with a message a user can act on if it is not a code."""
    code = text.strip()
    if not code:
        raise ValueError("Enter a language code: two letters such as en, de, fr or es")
    if not _CODE.match(code):
        raise ValueError(
            f"{code!r} is not a language code: use two letters such as en, de, fr or es "
            "(optionally with a region, as in pt-BR)"
        )
    lang, _, region = code.replace("_", "-").partition("-")
    return f"{lang.lower()}-{region.upper()}" if region else lang.lower()


def validate(options: DeckOptions) -> DeckOptions:
    """The options as they will be stored, or ValueError naming the first one that is wrong."""
    if not 0 <= options.new_per_day <= MAX_NEW_PER_DAY:
        raise ValueError(f"New cards per day must be 0..{MAX_NEW_PER_DAY}")
    raw = float(options.desired_retention)
    if not MIN_RETENTION - 1e-9 <= raw <= MAX_RETENTION + 1e-9:  # tolerance: spin-box floats
        raise ValueError(f"Desired retention must be between {MIN_RETENTION:.2f} and {MAX_RETENTION:.2f}")
    if options.rating_scale not in ("4", "5"):
        raise ValueError("The rating scale must be 4 buttons or 1–5 confidence")
    return DeckOptions(
        options.new_per_day, round(raw, 2), options.rating_scale, normalise_language(options.language)
    )


def save_options(store: Store, deck_id: int, options: DeckOptions) -> DeckOptions:
    """Validate, then write every option in one transaction (all or nothing)."""
    clean = validate(options)
    with store.transaction() as session:
        deck = session.get(Deck, deck_id)
        if deck is None:
            raise LookupError("the deck no longer exists")
        deck.new_per_day = clean.new_per_day
        deck.desired_retention = clean.desired_retention
        deck.rating_scale = clean.rating_scale
        deck.language = clean.language
    return clean


# --- the dialog --------------------------------------------------------------------------------


class DeckSettingsDialog(FormDialog):
    def __init__(self, store: Store, deck_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.deck_id = deck_id
        self.saved: DeckOptions | None = None
        name, o = load_options(store, deck_id)
        self.original = o
        self.setWindowTitle(f"Deck options — {name}")
        layout = QVBoxLayout(self)
        form = QFormLayout()

        self.new_per_day = QSpinBox()
        self.new_per_day.setRange(0, MAX_NEW_PER_DAY)
        self.new_per_day.setValue(o.new_per_day)
        self.new_per_day.setToolTip("How many unseen cards the Spaced queue introduces each day")
        form.addRow("New cards per day", self.new_per_day)

        self.retention = QDoubleSpinBox()
        self.retention.setRange(MIN_RETENTION, MAX_RETENTION)
        self.retention.setDecimals(2)
        self.retention.setSingleStep(0.01)
        self.retention.setValue(min(MAX_RETENTION, max(MIN_RETENTION, o.desired_retention)))
        self.retention.setToolTip(
            "The chance of remembering a card when it comes due: higher means more reviews"
        )
        form.addRow("Desired retention", self.retention)

        self.scale = QComboBox()
        for key, label in SCALES:
            self.scale.addItem(label, key)
        self.scale.setCurrentIndex(0 if o.rating_scale == "4" else 1)
        self.scale.setToolTip("Confidence 1–2 = Again, 3 = Hard, 4 = Good, 5 = Easy")
        form.addRow("Rating scale", self.scale)

        self.language = QComboBox()
        self.language.setEditable(True)
        for code, label in LANGUAGES:
            self.language.addItem(f"{code} — {label}", code)
        known = self.language.findData(o.language)
        if known >= 0:
            self.language.setCurrentIndex(known)
        else:
            self.language.setEditText(o.language)
        self.language.setToolTip("What the cards are spoken in (Call mode); any code such as pt or ja")
        form.addRow("Language", self.language)
        layout.addLayout(form)

        self.add_footer(layout)

    def language_code(self) -> str:
        """The typed text's code: "fr — French" (a list entry) or free text such as "pt"."""
        text = self.language.currentText()
        index = self.language.findText(text)
        if index >= 0 and self.language.itemData(index):
            return str(self.language.itemData(index))
        return text.split("—", 1)[0].strip()

    def values(self) -> DeckOptions:
        return DeckOptions(
            self.new_per_day.value(),
            self.retention.value(),
            self.scale.currentData(),
            self.language_code(),
        )

    def accept(self) -> None:
        try:
            self.saved = save_options(self.store, self.deck_id, self.values())
        except (ValueError, LookupError) as exc:
            self.show_error(str(exc))
            return
        except Exception as exc:  # a locked or read-only database: nothing was written
            self.show_error(f"The options were not saved: {exc}")
            return
        super().accept()


def open_deck_settings(store: Store, deck_id: int, parent: QWidget | None) -> DeckSettingsDialog:
    """Open the dialog window-modal without blocking (so tests can drive it)."""
    dlg = DeckSettingsDialog(store, deck_id, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
