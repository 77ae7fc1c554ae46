"""Where Recall keeps its files, and which database it opens."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "Recall"
ENV_DB = "RECALL_DB"
ENV_HOME = "RECALL_HOME"  # one folder for data, cache and settings (tests, portable installs)


class Paths(NamedTuple):  # not a dataclass: `recall decks` would pay for importing dataclasses
    data: Path
    cache: Path

    @property
    def database(self) -> Path:
        return self.data / "recall.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.data / "settings.json"

    @property
    def models(self) -> Path:
        """Converted Whisper checkpoints and other derived model files."""
        return self.cache / "models"


def paths() -> Paths:
    home = os.environ.get(ENV_HOME)
    if home:
        root = Path(home)
        return Paths(data=root / "data", cache=root / "cache")
    from platformdirs import user_cache_dir, user_data_dir  # only without RECALL_HOME

    return Paths(
        data=Path(user_data_dir(APP_NAME, appauthor=False)),
        cache=Path(user_cache_dir(APP_NAME, appauthor=False)),
    )


def database_url(arg: str | None = None) -> str:
    """`--db` wins over RECALL_DB, which wins over the default file; a plain path becomes a sqlite URL."""
    value = arg or os.environ.get(ENV_DB)
    if not value:
        p = paths().database
        return f"sqlite:///{p}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def load_settings() -> dict:
    """User settings (theme, Whisper model, device...). A damaged file falls back to defaults."""
    f = paths().settings_file
    try:
        return json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_settings(settings: dict) -> None:
    """Write to a temp file and rename, so a crash never leaves half a settings file."""
    f = paths().settings_file
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, f)
