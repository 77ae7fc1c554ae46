"""Deck folder paths, in plain Python: the store's repo writes them, the library's first paint
(no SQLAlchemy) and the full library group decks by them.

A deck sits in at most one folder, kept as a path in `decks.folder`: "" for none, parts joined
by "/" for folders inside folders ("Biology/Cells"). A folder exists while a deck is in it or in
a folder inside it; there is no folder table, so an emptied folder simply disappears.
"""

from __future__ import annotations

from collections.abc import Iterable

FOLDER_MAX = 200  # characters of a folder path, as of a deck name
SEP = "/"


def clean_folder(folder: str) -> str:
    """A folder path as stored: each "/"-separated part trimmed and its spaces collapsed, empty
    parts dropped ("" is no folder). "Biology / Cells" is "Biology/Cells"."""
    parts = (" ".join(p.split()) for p in folder.split(SEP))
    path = SEP.join(p for p in parts if p)
    if len(path) > FOLDER_MAX:
        raise ValueError(f"a folder name can be at most {FOLDER_MAX} characters")
    return path


def folder_key(path: str) -> tuple[tuple[str, ...], str]:
    """Sort key putting each folder right before the folders inside it (then case decides)."""
    return tuple(path.casefold().split(SEP)), path


def all_folders(paths: Iterable[str]) -> list[str]:
    """The folder paths given and every folder above them, each once, in display order."""
    out: set[str] = set()
    for path in paths:
        if path:
            parts = path.split(SEP)
            out.update(SEP.join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(out, key=folder_key)


def inside(path: str, folder: str) -> bool:
    """Whether `path` is `folder` or a folder inside it."""
    return path == folder or path.startswith(folder + SEP)


def moved(path: str, old: str, new: str) -> str:
    """`path` after folder `old` is renamed `new` ("" for `new`: out to the top)."""
    rest = path[len(old) :].lstrip(SEP)
    out = SEP.join(p for p in (new, rest) if p)
    if len(out) > FOLDER_MAX:
        raise ValueError(f"a folder name can be at most {FOLDER_MAX} characters")
    return out


def depth(path: str) -> int:
    return path.count(SEP)


def leaf(path: str) -> str:
    """The folder's own name, without the folders above it."""
    return path.rsplit(SEP, 1)[-1]


def parent(path: str) -> str:
    return path.rsplit(SEP, 1)[0] if SEP in path else ""
