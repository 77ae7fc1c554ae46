"""Draw Recall's app icon with QPainter and write every format the installers need.

    .venv/bin/python packaging/make_icon.py [--out resources/icons]

Writes recall-<size>.png (16..512, the Linux hicolor sizes), recall.ico (Windows: PNG-compressed
entries) and recall.icns (macOS). The .ico and .icns containers are written here by hand: both
are a small header and a table of PNG images, which saves a build dependency on Pillow.
The outputs are committed; run this again only when the drawing changes.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# icns element type -> pixel size (the @2x types hold the larger image of the pair)
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def draw(size: int):
    """The icon at `size` pixels: two study cards on an indigo tile, the front one showing a voice wave."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QBrush, QColor, QImage, QLinearGradient, QPainter, QPen

    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 100.0, size / 100.0)  # draw on a 100x100 canvas

    tile = QRectF(4, 4, 92, 92)
    grad = QLinearGradient(QPointF(0, 4), QPointF(0, 96))
    grad.setColorAt(0.0, QColor("#4c6ef5"))
    grad.setColorAt(1.0, QColor("#5f3dc4"))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(grad))
    p.drawRoundedRect(tile, 20, 20)

    # back card, tilted
    p.save()
    p.translate(50, 50)
    p.rotate(-10)
    p.setBrush(QColor("#d0bfff"))
    p.drawRoundedRect(QRectF(-30, -24, 56, 40), 6, 6)
    p.restore()

    # front card
    card = QRectF(22, 33, 58, 42)
    p.setBrush(QColor(0, 0, 0, 50))
    p.drawRoundedRect(card.translated(0, 2.5), 6, 6)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(card, 6, 6)

    # a voice wave across the card: bars of varying height
    p.setPen(QPen(QColor("#5f3dc4"), 4.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    heights = (6, 14, 22, 12, 18, 8)
    x0, step, mid = 34.0, 6.8, card.center().y()
    for i, h in enumerate(heights):
        x = x0 + i * step
        p.drawLine(QPointF(x, mid - h / 2), QPointF(x, mid + h / 2))
    p.end()
    return img


def png_bytes(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not draw(size).save(buf, "PNG"):
        raise RuntimeError(f"could not encode the {size}px icon as PNG")
    buf.close()
    return bytes(data)


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """ICONDIR + ICONDIRENTRY table + PNG payloads (Windows Vista and later read PNG entries)."""
    sizes = sorted(images)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    table, payload = b"", b""
    for s in sizes:
        data = images[s]
        dim = 0 if s >= 256 else s  # 0 means 256
        table += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(payload))
        payload += data
    return header + table + payload


def icns_bytes(images: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(images[s])) + images[s] for kind, s in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "icons")
    args = ap.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES})
    images = {s: png_bytes(s) for s in sizes}
    args.out.mkdir(parents=True, exist_ok=True)
    for s in PNG_SIZES:
        (args.out / f"recall-{s}.png").write_bytes(images[s])
    (args.out / "recall.ico").write_bytes(ico_bytes({s: images[s] for s in ICO_SIZES}))
    (args.out / "recall.icns").write_bytes(icns_bytes(images))
    print(f"wrote {len(PNG_SIZES)} PNGs, recall.ico and recall.icns to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
