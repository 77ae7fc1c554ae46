"""The before/after composition: two pictures side by side at half scale, each under its caption."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
import compose_before_after as cba  # noqa: E402

RED, BLUE = (200, 30, 30), (30, 60, 200)


def solid(qapp, w: int, h: int, rgb: tuple[int, int, int]):
    from PySide6.QtGui import QColor, QImage

    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(*rgb))
    return img


def rgb_at(img, x: int, y: int) -> tuple[int, int, int]:
    c = img.pixelColor(x, y)
    return c.red(), c.green(), c.blue()


def ink(img, rect: tuple[int, int, int, int]) -> set[tuple[int, int]]:
    """Pixels in rect that are not the background: the caption's text."""
    from PySide6.QtGui import QColor

    bg = QColor(cba.BACKGROUND)
    x0, y0, w, h = rect
    out = set()
    for y in range(y0, y0 + h):
        for x in range(x0, x0 + w):
            c = img.pixelColor(x, y)
            if abs(c.red() - bg.red()) + abs(c.green() - bg.green()) + abs(c.blue() - bg.blue()) > 60:
                out.add((x - x0, y - y0))
    return out


def test_two_pictures_side_by_side_at_half_scale_under_their_captions(qapp):
    before, after = solid(qapp, 240, 160, RED), solid(qapp, 320, 200, BLUE)
    image = cba.compose([before, after])
    plan = cba.layout([(240, 160), (320, 200)])
    m, cap = cba.MARGIN, cba.CAPTION_H
    # half scale, in a row, margins around and between, one caption band above each
    assert (image.width(), image.height()) == (m + 120 + m + 160 + m, m + cap + 100 + m)
    assert (image.width(), image.height()) == (plan.width, plan.height)
    assert plan.panels == ((m, m + cap, 120, 80), (m + 120 + m, m + cap, 160, 100))
    # each picture fills its panel (inside a 1 px margin for smoothing), and nothing else
    for (x, y, w, h), colour in zip(plan.panels, (RED, BLUE), strict=True):
        for px, py in ((x + 1, y + 1), (x + w - 2, y + h - 2), (x + w // 2, y + h // 2)):
            assert rgb_at(image, px, py) == colour
    gap_x = plan.panels[0][0] + plan.panels[0][2] + m // 2
    assert rgb_at(image, gap_x, plan.panels[0][1] + 10) != RED
    # below the shorter picture: background, not picture
    assert not ink(image, (plan.panels[0][0], plan.panels[0][1] + 82, 120, 10))
    # the captions: text drawn in each band, different words, nothing over the pictures' tops
    (x0, y0, w0, h0), (x1, y1, w1, h1) = plan.captions
    before_ink = ink(image, (x0, y0, w0, h0 - 2))  # the last rows hold the pictures' frame
    after_ink = ink(image, (x1, y1, w1, h1 - 2))
    assert len(before_ink) > 50 and len(after_ink) > 50
    assert before_ink != after_ink
    assert max(x for x, _ in before_ink) > max(x for x, _ in after_ink)  # "Before" is wider than "After"


def test_captions_must_match_the_pictures(qapp):
    with pytest.raises(ValueError):
        cba.compose([solid(qapp, 10, 10, RED)])


def test_the_script_writes_both_pairs_from_the_screenshots_folder(qapp, tmp_path):
    (tmp_path / "before").mkdir()
    for before, after in cba.PAIRS.values():
        assert solid(qapp, 256, 160, RED).save(str(tmp_path / before))
        assert solid(qapp, 256, 160, BLUE).save(str(tmp_path / after))
    assert cba.main([str(tmp_path)]) == 0
    from PySide6.QtGui import QImage

    plan = cba.layout([(256, 160), (256, 160)])
    for name in cba.PAIRS:
        out = QImage(str(tmp_path / name))
        assert (out.width(), out.height()) == (plan.width, plan.height)
        assert rgb_at(out, *plan.panels[0][:2]) == RED
        assert rgb_at(out, plan.panels[1][0] + 5, plan.panels[1][1] + 5) == BLUE


def test_a_missing_picture_is_an_error(qapp, tmp_path):
    assert solid(qapp, 20, 20, RED).save(str(tmp_path / "a.png"))
    with pytest.raises(FileNotFoundError):
        cba.compose_files(tmp_path / "a.png", tmp_path / "missing.png", tmp_path / "out.png")
    assert not (tmp_path / "out.png").exists()
