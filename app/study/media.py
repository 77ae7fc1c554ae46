"""Images pasted into a card: stored as files in the Recall data folder, referenced from the
card's text by an `<img src="media/deck-N/NAME">` tag relative to that folder, so a moved or
synced data folder keeps its pictures. Text around the tags stays plain text."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from app.config import paths

MEDIA = "media"
IMG_TAG = re.compile(r'<img\s+src="(media/[\w./-]+)"\s*/?>')
IMAGE_MARK = "🖼"


def media_root() -> Path:
    return paths().data / MEDIA


def save_image(deck_id: int, data: bytes, suffix: str = ".png") -> str:
    """Write the image once (named by its content) and return the tag to put in the card."""
    name = hashlib.sha1(data).hexdigest()[:16] + suffix
    folder = media_root() / f"deck-{deck_id}"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
    return f'<img src="{MEDIA}/deck-{deck_id}/{name}">'


def has_images(text: str) -> bool:
    return IMG_TAG.search(text) is not None


def image_files(text: str) -> list[Path]:
    root = paths().data
    return [root / m.group(1) for m in IMG_TAG.finditer(text)]


def plain_text(text: str) -> str:
    """For one-line previews and the spoken/typed modes: each picture becomes a mark."""
    return IMG_TAG.sub(IMAGE_MARK, text)


def display_html(text: str, max_width: int = 480) -> str:
    """Rich text for a QLabel: the plain parts escaped, the pictures as absolute file URLs."""
    root = paths().data
    out: list[str] = []
    pos = 0
    for m in IMG_TAG.finditer(text):
        out.append(html.escape(text[pos : m.start()]).replace("\n", "<br>"))
        src = (root / m.group(1)).resolve().as_uri()
        out.append(f'<img src="{src}" width="{max_width}">')
        pos = m.end()
    out.append(html.escape(text[pos:]).replace("\n", "<br>"))
    return "".join(out)
