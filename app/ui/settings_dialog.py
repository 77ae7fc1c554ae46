"""The app-wide Settings dialog: Whisper model and device, the day rollover hour, theme, text size
and reduce motion.

Voice and appearance live in settings.json (`app.config`), read by the call screen, the
`recall transcribe/call` commands and the launcher; the rollover hour lives in the database
(`app.scheduling.days`) so it travels with the collection. Accepting saves both together:
the settings file is written inside the database transaction, and put back if the commit fails.

Nothing here imports torch at open: whether a GPU is there is asked in a worker, and only
when torch is already loaded (a call ran) or the user asks for the check.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.config import load_settings, paths, save_settings
from app.scheduling.days import rollover_hour, set_rollover_hour
from app.store.db import Store
from app.ui import motion
from app.ui.form_dialog import FormDialog
from app.ui.theme import MAX_SCALE, MIN_SCALE, THEMES, ThemeManager, clamp_scale
from app.ui.workers import run_in_background

PACKAGED_MODELS = ("tiny.en", "base")  # the names app.voice.models ships (kept here: no numpy at open)
DEFAULT_MODEL = "tiny.en"
OTHER = "Other…"
DEVICES = (("auto", "Automatic (GPU when available)"), ("cpu", "CPU only"), ("cuda", "GPU (CUDA)"))
THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}


# --- Qt-free: what the dialog edits, and the checks before anything is saved ---------------------


@dataclass(frozen=True)
class AppSettings:
    whisper_model: str
    whisper_device: str
    whisper_threads: int | None  # None: automatic (cores - 1)
    rollover_hour: int
    theme: str
    font_scale: float
    reduce_motion: str = "system"  # "system", "on" or "off" (app.ui.motion)


def current_settings(store: Store | None) -> AppSettings:
    s = load_settings()
    hour = 4
    if store is not None:
        with store.session() as session:
            hour = rollover_hour(session)
    threads = s.get("whisper_threads")
    device = s.get("whisper_device") or "auto"
    return AppSettings(
        whisper_model=str(s.get("whisper_model") or DEFAULT_MODEL),
        whisper_device=device if device in ("auto", "cpu", "cuda") else "auto",
        whisper_threads=threads if isinstance(threads, int) and threads > 0 else None,
        rollover_hour=hour,
        theme=s.get("theme") if s.get("theme") in THEMES else "system",
        font_scale=clamp_scale(s.get("font_scale", 1.0)),
        reduce_motion=s.get(motion.SETTING_KEY) if s.get(motion.SETTING_KEY) in ("system", "on", "off") else "system",
    )


def check_model(spec: str) -> str | None:
    """None when `spec` names a Whisper model Recall can load, else the reason it cannot.

    A picked path must exist and look like a model; a packaged name must be installed."""
    spec = spec.strip()
    if not spec:
        return "Pick a Whisper model file or folder, or choose tiny.en or base."
    if spec not in PACKAGED_MODELS and not Path(spec).expanduser().exists():
        return f"The Whisper model {spec!r} does not exist. Pick an existing model file or folder."
    from app.voice.models import ModelError, resolve  # numpy only; no torch

    try:
        resolve(spec)
    except ModelError as exc:
        return str(exc)
    return None


def save_app_settings(store: Store | None, new: AppSettings) -> None:
    """settings.json and the database together: the file is written inside the transaction,
    and the old file put back if the commit fails, so neither is saved without the other."""
    before = load_settings()
    settings = dict(before)
    settings["whisper_model"] = new.whisper_model
    settings["whisper_device"] = new.whisper_device
    if new.whisper_threads:
        settings["whisper_threads"] = new.whisper_threads
    else:
        settings.pop("whisper_threads", None)
    settings["theme"] = new.theme
    settings["font_scale"] = round(new.font_scale, 3)
    settings[motion.SETTING_KEY] = new.reduce_motion
    if store is None:
        save_settings(settings)
        return
    existed = paths().settings_file.exists()
    wrote = False
    try:
        with store.transaction() as session:
            set_rollover_hour(session, new.rollover_hour)
            save_settings(settings)
            wrote = True
    except Exception:
        if wrote:  # the commit failed after the file was written: put the file back
            with contextlib.suppress(OSError):
                if existed:
                    save_settings(before)
                else:
                    paths().settings_file.unlink()
        raise


def describe_device(device: str, cuda: bool | None) -> str:
    """The line that says where the tutor's Whisper will run; `cuda` None: not checked yet."""
    if device == "cpu":
        return "The tutor will transcribe on the CPU."
    if cuda is None:
        if device == "cuda":
            return "The tutor will use the GPU (CUDA, fp16); without one it falls back to the CPU."
        return "The tutor uses the GPU (CUDA, fp16) when one is available, else the CPU."
    if cuda:
        return "A GPU was found: the tutor will transcribe on CUDA (fp16)."
    if device == "cuda":
        return "No GPU was found: the tutor will fall back to the CPU."
    return "No GPU was found: the tutor will transcribe on the CPU."


def _cuda_available() -> bool:
    from app.voice.asr import cuda_available  # imports torch: only ever called in a worker

    return cuda_available()


def pick_model_file(parent: QWidget | None) -> str | None:
    """Tests replace this (a file dialog is modal)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, "Pick a Whisper model", "", "Whisper models (*.pt *.pth model.bin*);;All files (*)"
    )
    return path or None


def pick_model_folder(parent: QWidget | None) -> str | None:
    path = QFileDialog.getExistingDirectory(parent, "Pick a Whisper model folder (with model.bin)")
    return path or None


# --- the dialog --------------------------------------------------------------------------------


class SettingsDialog(FormDialog):
    def __init__(
        self, store: Store | None, theme: ThemeManager | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(620)  # the device line wraps onto two lines, not five
        self.store = store
        self.theme = theme
        self.original = current_settings(store)
        self.saved: AppSettings | None = None
        self._cuda: bool | None = None
        o = self.original
        layout = QVBoxLayout(self)

        voice = QGroupBox("Voice (Call mode)")
        vf = QFormLayout(voice)
        self.model = QComboBox()
        self.model.addItems([*PACKAGED_MODELS, OTHER])
        self.model_path = QLineEdit()
        self.model_path.setPlaceholderText("A Whisper .pt file, a CT2 model.bin, or a folder holding one")
        self.pick_file = QPushButton("File…")
        self.pick_file.clicked.connect(lambda: self._pick(pick_model_file))
        self.pick_folder = QPushButton("Folder…")
        self.pick_folder.clicked.connect(lambda: self._pick(pick_model_folder))
        path_row = QHBoxLayout()
        path_row.addWidget(self.model_path, 1)
        path_row.addWidget(self.pick_file)
        path_row.addWidget(self.pick_folder)
        if o.whisper_model in PACKAGED_MODELS:
            self.model.setCurrentText(o.whisper_model)
        else:
            self.model.setCurrentText(OTHER)
            self.model_path.setText(o.whisper_model)
        self.model.currentTextChanged.connect(lambda _t: self._model_changed())
        self.model_path.textChanged.connect(lambda _t: self._update_device_line())
        vf.addRow("Whisper model", self.model)
        vf.addRow("Model file", path_row)
        self.device = QComboBox()
        for key, label in DEVICES:
            self.device.addItem(label, key)
        self.device.setCurrentIndex([k for k, _ in DEVICES].index(o.whisper_device))
        self.device.currentIndexChanged.connect(lambda _i: self._update_device_line())
        vf.addRow("Device", self.device)
        self.threads = QSpinBox()
        self.threads.setRange(0, 64)
        self.threads.setSpecialValueText("Automatic")
        self.threads.setValue(o.whisper_threads or 0)
        self.threads.setToolTip("CPU threads for Whisper; Automatic leaves one core to the window")
        vf.addRow("CPU threads", self.threads)
        device_row = QHBoxLayout()
        self.device_line = QLabel("")
        self.device_line.setObjectName("muted")
        self.device_line.setWordWrap(True)
        self.check_gpu = QPushButton("Check for a GPU")
        self.check_gpu.setToolTip("Loads torch in the background to see whether CUDA is usable")
        self.check_gpu.clicked.connect(self.start_gpu_check)
        device_row.addWidget(self.device_line, 1)
        device_row.addWidget(self.check_gpu)
        vf.addRow(device_row)
        layout.addWidget(voice)

        schedule = QGroupBox("Schedule")
        sf = QFormLayout(schedule)
        self.rollover = QSpinBox()
        self.rollover.setRange(0, 23)
        self.rollover.setSuffix(":00")
        self.rollover.setValue(o.rollover_hour)
        self.rollover.setToolTip("Reviews before this hour count for the previous day (local time)")
        self.rollover.setEnabled(store is not None)
        sf.addRow("New day starts at", self.rollover)
        layout.addWidget(schedule)

        look = QGroupBox("Appearance")
        af = QFormLayout(look)
        self.theme_box = QComboBox()
        for name in THEMES:
            self.theme_box.addItem(THEME_LABELS.get(name, name), name)
        self.theme_box.setCurrentIndex(THEMES.index(o.theme))
        self.theme_box.currentIndexChanged.connect(lambda _i: self._preview_theme())
        af.addRow("Theme", self.theme_box)
        self.font_size = QSpinBox()
        self.font_size.setRange(round(MIN_SCALE * 100), round(MAX_SCALE * 100))
        self.font_size.setSingleStep(10)
        self.font_size.setSuffix(" %")
        self.font_size.setValue(round(o.font_scale * 100))
        af.addRow("Text size", self.font_size)
        self.reduce_motion = QCheckBox("Reduce motion: no flip or slide animations")
        self._motion_shown = motion.reduce_motion()  # what applies now: the setting, else the system
        self.reduce_motion.setChecked(self._motion_shown)
        forced = motion.env_override()
        if forced is not None:
            self.reduce_motion.setEnabled(False)
            self.reduce_motion.setToolTip(f"Set by the environment: {motion.ENV}={int(forced)}")
        else:
            self.reduce_motion.setToolTip("Unticked or ticked as the system does, it keeps following the system")
        af.addRow("", self.reduce_motion)
        layout.addWidget(look)

        self.add_footer(layout)

        self._model_changed()
        if "torch" in sys.modules:  # already paid for: ask now, still off the UI thread
            self.start_gpu_check()

    # -- reading the form -------------------------------------------------------------------
    def model_spec(self) -> str:
        text = self.model.currentText()
        return self.model_path.text().strip() if text == OTHER else text

    def values(self) -> AppSettings:
        return AppSettings(
            whisper_model=self.model_spec(),
            whisper_device=self.device.currentData(),
            whisper_threads=self.threads.value() or None,
            rollover_hour=self.rollover.value(),
            theme=self.theme_box.currentData(),
            font_scale=clamp_scale(self.font_size.value() / 100),
            reduce_motion=self._motion_value(),
        )

    def _motion_value(self) -> str:
        """Untouched (or fixed by the environment): the stored value stays; changed: the choice."""
        checked = self.reduce_motion.isChecked()
        if not self.reduce_motion.isEnabled() or checked == self._motion_shown:
            return self.original.reduce_motion
        return motion.setting_for(checked)

    def _model_changed(self) -> None:
        other = self.model.currentText() == OTHER
        for w in (self.model_path, self.pick_file, self.pick_folder):
            w.setEnabled(other)
        self._update_device_line()

    def _pick(self, picker) -> None:
        path = picker(self)
        if path:
            self.model_path.setText(path)

    def _update_device_line(self) -> None:
        spec = self.model_spec()
        name = Path(spec).name if spec not in PACKAGED_MODELS else spec
        where = describe_device(self.device.currentData(), self._cuda)
        self.device_line.setText(f"Whisper {name or '(no model picked)'}. {where}")

    def _preview_theme(self) -> None:
        """The theme is shown at once while picking; Cancel puts the one in use back."""
        if self.theme is not None:
            self.theme.set_theme(self.theme_box.currentData())

    def reject(self) -> None:
        if self.theme is not None and self.theme.theme != self.original.theme:
            self.theme.set_theme(self.original.theme)
        super().reject()

    # -- the GPU check (torch, so never on the UI thread) -------------------------------------
    def start_gpu_check(self) -> None:
        self.check_gpu.setEnabled(False)
        self.check_gpu.setText("Checking…")
        run_in_background(_cuda_available, on_done=self._gpu_checked, on_error=self._gpu_failed, owner=self)

    def _gpu_checked(self, available: object) -> None:
        self._cuda = bool(available)
        self.check_gpu.setText("GPU found" if self._cuda else "No GPU")
        self._update_device_line()

    def _gpu_failed(self, exc: BaseException) -> None:
        self._cuda = False
        self.check_gpu.setText("Check for a GPU")
        self.check_gpu.setEnabled(True)
        self.device_line.setText(f"Could not check for a GPU ({exc}); the tutor will use the CPU.")

    # -- saving -----------------------------------------------------------------------------
    def accept(self) -> None:
        new = self.values()
        # Only a changed model is checked, so a missing package never blocks the other settings.
        if new.whisper_model != self.original.whisper_model:
            problem = check_model(new.whisper_model)
            if problem:
                self.show_error(problem)
                return
        try:
            save_app_settings(self.store, new)
        except Exception as exc:  # disk full, read-only folder, locked database: say so, keep the dialog
            self.show_error(f"Settings were not saved: {exc}")
            return
        self.saved = new
        if self.theme is not None:
            self.theme.scale = new.font_scale
            self.theme.set_theme(new.theme)  # applies the scale too
        super().accept()


def open_settings(store: Store | None, theme: ThemeManager | None, parent: QWidget | None) -> SettingsDialog:
    """Open the dialog window-modal without blocking (so tests can drive it)."""
    dlg = SettingsDialog(store, theme, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.open()
    return dlg
