"""The Settings dialog (settings.json + the database) and the per-deck options dialog."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from app.config import load_settings, paths
from app.scheduling.days import rollover_hour
from app.store.models import Deck, Setting
from app.ui import settings_dialog
from app.ui.deck_settings_dialog import DeckOptions, DeckSettingsDialog, normalise_language, validate
from app.ui.settings_dialog import OTHER, SettingsDialog


def _ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _cancel(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)


def _hour(store) -> int:
    with store.session() as s:
        return rollover_hour(s)


def _deck(store, deck_id) -> tuple:
    with store.session() as s:
        d = s.get(Deck, deck_id)
        return d.new_per_day, d.desired_retention, d.rating_scale, d.language


# --- app-wide settings ----------------------------------------------------------------------------


def test_ctrl_comma_opens_settings_and_ok_saves_file_and_database(
    window, store, qtbot, tmp_path, monkeypatch
):
    model = tmp_path / "my-whisper.pt"
    model.write_bytes(b"checkpoint")
    monkeypatch.setattr(settings_dialog, "pick_model_file", lambda _parent: str(model))
    torch_before = "torch" in sys.modules
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dlg = window.findChild(SettingsDialog)
    assert dlg is not None and dlg.isVisible()
    assert ("torch" in sys.modules) == torch_before  # opening never imports torch
    assert dlg.model.currentText() == "tiny.en" and dlg.rollover.value() == 4
    assert not dlg.model_path.isEnabled()

    dlg.model.setCurrentText(OTHER)
    assert dlg.model_path.isEnabled()
    qtbot.mouseClick(dlg.pick_file, Qt.MouseButton.LeftButton)
    assert dlg.model_path.text() == str(model)
    dlg.device.setCurrentIndex(dlg.device.findData("cpu"))
    assert dlg.device_line.text() == "Whisper my-whisper.pt. The tutor will transcribe on the CPU."
    dlg.threads.setValue(1)
    dlg.rollover.setValue(6)
    dlg.theme_box.setCurrentIndex(dlg.theme_box.findData("dark"))
    dlg.font_size.setValue(120)
    _ok(qtbot, dlg)

    qtbot.waitUntil(lambda: window.findChild(SettingsDialog) is None)  # closed and deleted
    saved = json.loads(paths().settings_file.read_text(encoding="utf-8"))
    assert saved["whisper_model"] == str(model)
    assert saved["whisper_device"] == "cpu" and saved["whisper_threads"] == 1
    assert saved["theme"] == "dark" and saved["font_scale"] == 1.2
    assert _hour(store) == 6
    assert window._theme_actions["dark"].isChecked()  # the View ▸ Theme menu follows

    # Reopened, the dialog shows what was saved; Automatic threads removes the key again.
    dlg = window.open_settings()
    assert dlg.model.currentText() == OTHER and dlg.model_path.text() == str(model)
    assert dlg.rollover.value() == 6 and dlg.font_size.value() == 120
    dlg.model.setCurrentText("tiny.en")
    dlg.threads.setValue(0)
    dlg.device.setCurrentIndex(dlg.device.findData("auto"))
    monkeypatch.setattr(settings_dialog, "check_model", lambda spec: None)  # tiny.en may be absent in CI
    _ok(qtbot, dlg)
    saved = load_settings()
    assert saved["whisper_model"] == "tiny.en" and saved["whisper_device"] == "auto"
    assert "whisper_threads" not in saved


def test_cancel_changes_nothing(store, qtbot):
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.rollover.setValue(9)
    dlg.theme_box.setCurrentIndex(dlg.theme_box.findData("light"))
    dlg.device.setCurrentIndex(dlg.device.findData("cuda"))
    _cancel(qtbot, dlg)
    assert not dlg.isVisible() and dlg.saved is None
    assert not paths().settings_file.exists()
    assert _hour(store) == 4


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "nowhere" / "model.pt", "does not exist"),
        (lambda tmp: tmp, "no model.bin inside"),  # an existing folder that holds no model
        (lambda tmp: None, "Pick a Whisper model"),  # "Other…" with nothing picked
    ],
)
def test_invalid_model_gives_a_message_and_saves_nothing(store, qtbot, tmp_path, make, message):
    target = make(tmp_path)
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.rollover.setValue(7)
    dlg.model.setCurrentText(OTHER)
    dlg.model_path.setText("" if target is None else str(target))
    _ok(qtbot, dlg)
    assert dlg.isVisible() and dlg.saved is None
    assert dlg.error_label.isVisible() and message in dlg.error_label.text()
    assert not paths().settings_file.exists()
    assert _hour(store) == 4


def test_a_failed_commit_puts_the_settings_file_back(store, qtbot, monkeypatch):
    settings_dialog.save_settings({"theme": "light", "samples_offered": True})
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.theme_box.setCurrentIndex(dlg.theme_box.findData("dark"))
    dlg.rollover.setValue(2)

    with store.transaction() as s:
        s.add(Setting(key="taken", value="1"))

    def broken(session, hour):  # a write that only fails at commit, after the file was written
        session.add(Setting(key="taken", value=str(hour)))

    monkeypatch.setattr(settings_dialog, "set_rollover_hour", broken)
    _ok(qtbot, dlg)
    assert dlg.isVisible() and "not saved" in dlg.error_label.text()
    assert load_settings() == {"theme": "light", "samples_offered": True}
    assert _hour(store) == 4


def test_ok_applies_theme_and_text_size(store, qtbot):
    from app.ui.theme import ThemeManager

    app = QApplication.instance()
    theme = ThemeManager(app, "light", 1.0)
    base = app.font().pointSizeF()
    try:
        dlg = SettingsDialog(store, theme)
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.theme_box.setCurrentIndex(dlg.theme_box.findData("dark"))
        dlg.font_size.setValue(150)
        _ok(qtbot, dlg)
        assert theme.theme == "dark" and theme.scale == 1.5
        assert app.font().pointSizeF() == pytest.approx(base * 1.5)
    finally:
        theme.zoom(0)
        theme.set_theme("system")


@pytest.mark.parametrize(("available", "text"), [(True, "A GPU was found"), (False, "No GPU was found")])
def test_gpu_check_runs_in_a_worker_and_says_what_the_tutor_uses(
    store, qtbot, monkeypatch, wait_workers, available, text
):
    monkeypatch.setattr(settings_dialog, "_cuda_available", lambda: available)
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    assert "when one is available" in dlg.device_line.text()  # unchecked: the general rule
    qtbot.mouseClick(dlg.check_gpu, Qt.MouseButton.LeftButton)
    wait_workers()
    qtbot.waitUntil(lambda: text in dlg.device_line.text())
    dlg.device.setCurrentIndex(dlg.device.findData("cpu"))
    assert dlg.device_line.text() == "Whisper tiny.en. The tutor will transcribe on the CPU."


# --- per-deck options ---------------------------------------------------------------------------


def _deck_dialog(window, sample_deck, qtbot, wait_workers) -> DeckSettingsDialog:
    window.open_deck(sample_deck)
    wait_workers()
    page = window.current_page
    qtbot.mouseClick(page.options_button, Qt.MouseButton.LeftButton)
    dlg = page.findChild(DeckSettingsDialog)
    assert dlg is not None and dlg.isVisible()
    return dlg


def test_deck_options_button_opens_and_ok_saves_the_deck(window, store, sample_deck, qtbot, wait_workers):
    dlg = _deck_dialog(window, sample_deck, qtbot, wait_workers)
    assert "Sequence models" in dlg.windowTitle()
    assert (dlg.new_per_day.value(), dlg.retention.value(), dlg.scale.currentData(), dlg.language_code()) == (
        20,
        0.9,
        "4",
        "en",
    )
    dlg.new_per_day.setValue(35)
    dlg.retention.setValue(0.85)
    dlg.scale.setCurrentIndex(dlg.scale.findData("5"))
    dlg.language.setCurrentIndex(dlg.language.findData("fr"))
    _ok(qtbot, dlg)
    assert _deck(store, sample_deck) == (35, 0.85, "5", "fr")

    # Free text: any code, normalised as Whisper and espeak read it.
    dlg = window.current_page.open_options()
    assert dlg.language_code() == "fr" and dlg.scale.currentData() == "5"
    dlg.language.setEditText(" pt_br ")
    _ok(qtbot, dlg)
    assert _deck(store, sample_deck)[3] == "pt-BR"


def test_deck_options_cancel_changes_nothing(window, store, sample_deck, qtbot, wait_workers):
    dlg = _deck_dialog(window, sample_deck, qtbot, wait_workers)
    dlg.new_per_day.setValue(5)
    dlg.retention.setValue(0.75)
    dlg.language.setEditText("de")
    _cancel(qtbot, dlg)
    assert _deck(store, sample_deck) == (20, 0.9, "4", "en")


@pytest.mark.parametrize("typed", ["French!", "", "e"])
def test_deck_options_bad_language_gives_a_message_and_saves_nothing(store, sample_deck, qtbot, typed):
    dlg = DeckSettingsDialog(store, sample_deck)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.new_per_day.setValue(50)
    dlg.language.setEditText(typed)
    _ok(qtbot, dlg)
    assert dlg.isVisible() and dlg.saved is None
    assert "language code" in dlg.error_label.text()
    assert _deck(store, sample_deck) == (20, 0.9, "4", "en")


def test_deck_options_checks_outside_the_widgets():
    ok = validate(DeckOptions(10, 0.904, "5", "DE"))
    assert ok == DeckOptions(10, 0.9, "5", "de")
    assert normalise_language("zh_tw") == "zh-TW"
    for bad, word in [
        (DeckOptions(10, 0.5, "4", "en"), "retention"),
        (DeckOptions(10, 0.995, "4", "en"), "retention"),
        (DeckOptions(-1, 0.9, "4", "en"), "New cards"),
        (DeckOptions(10, 0.9, "3", "en"), "rating scale"),
    ]:
        with pytest.raises(ValueError, match=word):
            validate(bad)


def test_deck_deleted_while_the_dialog_is_open(store, sample_deck, qtbot):
    dlg = DeckSettingsDialog(store, sample_deck)
    qtbot.addWidget(dlg)
    dlg.show()
    with store.transaction() as s:
        s.delete(s.get(Deck, sample_deck))
    _ok(qtbot, dlg)
    assert dlg.isVisible() and "no longer exists" in dlg.error_label.text()


# --- reduce motion ---------------------------------------------------------------------------------


def _flip_animates(qtbot) -> bool:
    """Whether a flip on a shown widget animates now (None back: the change was made at once)."""
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    from app.ui import motion

    box = QWidget()  # the card face of a page, as the study screens flip it
    qtbot.addWidget(box)
    label = QLabel("front", box)
    QVBoxLayout(box).addWidget(label)
    box.show()
    qtbot.waitExposed(box)
    running = motion.flip(label, lambda: label.setText("back"))
    if running is None:
        assert label.text() == "back"  # at once
        return False
    qtbot.waitUntil(lambda: getattr(label, "_recall_anim", None) is None, timeout=10_000)
    assert label.text() == "back" and label.graphicsEffect() is None
    return True


def test_reduce_motion_checkbox_follows_the_system_and_applies_at_once(store, qtbot, monkeypatch):
    from app.ui import motion

    monkeypatch.delenv(motion.ENV, raising=False)
    system = motion.system_reduces_motion()
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    box = dlg.reduce_motion
    assert box.text() == "Reduce motion: no flip or slide animations"
    assert box.isEnabled() and box.isChecked() == system  # nothing stored: the system's choice
    assert _flip_animates(qtbot) == (not system)

    box.setChecked(not system)  # the other way from the system: stored as an explicit choice
    _ok(qtbot, dlg)
    assert load_settings()[motion.SETTING_KEY] == ("on" if not system else "off")
    assert motion.reduce_motion() == (not system)
    assert _flip_animates(qtbot) == system  # applied live: the next flip, no restart

    # Back to what the system does: it follows the system again.
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.reduce_motion.isChecked() == (not system)
    dlg.reduce_motion.setChecked(system)
    _ok(qtbot, dlg)
    assert load_settings()[motion.SETTING_KEY] == "system"
    assert motion.reduce_motion() == system


def test_reduce_motion_untouched_keeps_the_stored_choice_and_cancel_saves_nothing(store, qtbot, monkeypatch):
    from app.ui import motion

    monkeypatch.delenv(motion.ENV, raising=False)
    settings_dialog.save_settings({motion.SETTING_KEY: "on"})
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.reduce_motion.isChecked()
    dlg.reduce_motion.setChecked(False)
    _cancel(qtbot, dlg)
    assert load_settings() == {motion.SETTING_KEY: "on"}
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    _ok(qtbot, dlg)  # untouched: still "on", even where the system reduces motion too
    assert load_settings()[motion.SETTING_KEY] == "on"


def test_reduce_motion_set_by_the_environment_is_shown_and_not_editable(store, qtbot, monkeypatch):
    from app.ui import motion

    monkeypatch.setenv(motion.ENV, "1")
    settings_dialog.save_settings({motion.SETTING_KEY: "off"})
    dlg = SettingsDialog(store, None)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.reduce_motion.isChecked() and not dlg.reduce_motion.isEnabled()
    assert "RECALL_REDUCE_MOTION=1" in dlg.reduce_motion.toolTip()
    _ok(qtbot, dlg)
    assert load_settings()[motion.SETTING_KEY] == "off"  # the stored choice is left for when the variable goes
    assert motion.reduce_motion() and not _flip_animates(qtbot)
