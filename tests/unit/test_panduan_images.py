"""The guides in docs/panduan/ show screenshots that exist: every image a guide links to is a PNG
in the checkout (small enough to read in a repository), and every screenshot in
docs/panduan/gambar/ is shown by some guide. The browser tests make them
(`TRC_SCREENSHOTS_DIR=docs/panduan/gambar`, see tests/e2e/screens.py)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import ROOT

PANDUAN = ROOT / "docs" / "panduan"
GAMBAR = PANDUAN / "gambar"
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
PNG = b"\x89PNG\r\n\x1a\n"
LARGEST = 300_000  # bytes


def linked_images() -> list[tuple[Path, str, str]]:
    """(guide, caption, target) for every Markdown image in the guides."""
    return [
        (guide, caption, target)
        for guide in sorted(PANDUAN.glob("*.md"))
        for caption, target in IMAGE.findall(guide.read_text(encoding="utf-8"))
    ]


def test_the_guides_show_screenshots() -> None:
    assert linked_images(), "no guide in docs/panduan/ shows a screenshot"


def test_every_image_a_guide_links_to_is_a_small_png_in_the_checkout() -> None:
    wrong = []
    for guide, caption, target in linked_images():
        path = (guide.parent / target).resolve()
        where = f"{guide.name}: {target}"
        if "://" in target or not path.is_relative_to(GAMBAR.resolve()):
            wrong.append(f"{where} is not in docs/panduan/gambar/")
        elif not path.is_file():
            wrong.append(f"{where} does not exist")
        elif path.read_bytes()[:8] != PNG:
            wrong.append(f"{where} is not a PNG")
        elif path.stat().st_size > LARGEST:
            wrong.append(f"{where} is {path.stat().st_size:,} bytes (at most {LARGEST:,})")
        if not caption.strip():
            wrong.append(f"{where} has no caption")
    assert not wrong, "\n".join(wrong)


def test_every_screenshot_is_shown_by_a_guide() -> None:
    shown = {(guide.parent / target).resolve() for guide, _, target in linked_images()}
    unused = [p.name for p in sorted(GAMBAR.glob("*.png")) if p.resolve() not in shown]
    assert not unused, f"screenshots no guide shows: {', '.join(unused)}"
