"""Lazy package exports (PEP 562): a package lists its public names and the module of each,
and a name's module is imported only when the name is first used.

Packages import their modules lazily so that `import app.voice` does not load Whisper or torch,
`import app.study` does not load SQLAlchemy (`recall decks` reads through sqlite3 alone), and
nothing below the UI drags Qt in.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    namespace: dict[str, Any], modules: Mapping[str, Iterable[str]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """`(__all__, __getattr__, __dir__)` for the package whose `globals()` is `namespace`,
    from {module: its public names}.

    Module names are relative to the package (".queue"); each name is cached in the package's
    namespace on first use, so later look-ups are plain attribute reads. An exported name must
    not be a submodule's name: importing the submodule would set the attribute to the module.
    """
    package = namespace["__name__"]
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return sorted(where), __getattr__, __dir__
