"""Before/after pairs: the old screen and the new one side by side at half scale, captioned.

    .venv/bin/python packaging/compose_before_after.py [DIR]    # default docs/screenshots/

Writes DIR/before-after-library.png and DIR/before-after-call.png from DIR/before/*.png and the
current screenshots (render those first: packaging/screenshots.py, packaging/call_screenshots.py).
Qt's QImage and QPainter do the drawing, on the offscreen platform when there is no display.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# output name: (before, after), relative to the screenshots folder
PAIRS = {
    "before-after-library.png": ("before/library-light.png", "library-light.png"),
    "before-after-call.png": ("before/call-light.png", "call-wrong-light.png"),
}
MARGIN = 16  # around and between the two pictures
CAPTION_H = 40  # the band above each picture with its caption
BACKGROUND = "#e7e9ee"  # a neutral grey, so both light screenshots stand out from it
BORDER = "#9aa0ab"
TEXT = "#1d2230"


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    captions: tuple[tuple[int, int, int, int], ...]  # x, y, w, h of each caption band
    panels: tuple[tuple[int, int, int, int], ...]  # x, y, w, h of each scaled picture


def layout(sizes: list[tuple[int, int]], scale: float = 0.5) -> Layout:
    """Where each captioned picture goes: in a row, each scaled, tops aligned under its caption."""
    scaled = [(round(w * scale), round(h * scale)) for w, h in sizes]
    height = MARGIN + CAPTION_H + max(h for _, h in scaled) + MARGIN
    captions, panels, x = [], [], MARGIN
    for w, h in scaled:
        captions.append((x, MARGIN, w, CAPTION_H))
        panels.append((x, MARGIN + CAPTION_H, w, h))
        x += w + MARGIN
    return Layout(x, height, tuple(captions), tuple(panels))


def compose(images: list, captions: tuple[str, ...] = ("Before", "After"), scale: float = 0.5):
    """The images (QImage) side by side at `scale`, each under its caption, as one QImage.
    Needs a QGuiApplication (text is drawn with the system font)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    if len(images) != len(captions):
        raise ValueError("one caption per image")
    if any(img.isNull() for img in images):
        raise ValueError("an image could not be read")
    plan = layout([(img.width(), img.height()) for img in images], scale)
    canvas = QImage(plan.width, plan.height, QImage.Format.Format_RGB32)
    canvas.fill(QColor(BACKGROUND))
    p = QPainter(canvas)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    font = QFont()
    font.setPixelSize(22)
    font.setBold(True)
    p.setFont(font)
    for img, caption, (cx, cy, cw, ch), (x, y, w, h) in zip(images, captions, plan.captions, plan.panels, strict=True):
        p.setPen(QColor(TEXT))
        p.drawText(QRect(cx, cy, cw, ch - 6), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, caption)
        small = img.scaled(w, h, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
        p.drawImage(x, y, small)
        p.setPen(QPen(QColor(BORDER), 1))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(x - 1, y - 1, w + 1, h + 1)  # a hairline frame just outside the picture
    p.end()
    return canvas


def compose_files(before: Path, after: Path, out: Path, scale: float = 0.5) -> tuple[int, int]:
    from PySide6.QtGui import QImage

    images = [QImage(str(before)), QImage(str(after))]
    for path, img in zip((before, after), images, strict=True):
        if img.isNull():
            raise FileNotFoundError(f"cannot read {path}")
    image = compose(images, scale=scale)
    if not image.save(str(out), "PNG", 9):
        raise OSError(f"cannot write {out}")
    return image.width(), image.height()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args(argv)
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    folder = Path(args.dir)
    for name, (before, after) in PAIRS.items():
        w, h = compose_files(folder / before, folder / after, folder / name)
        print(f"{folder / name}: {before} | {after} ({w}x{h})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
