"""Screenshots of the real pages for the guides in docs/panduan/, taken by the browser tests.

`shoot(page, name, fallback=tmp_path)` saves ``name.png`` into the folder that
``TRC_SCREENSHOTS_DIR`` names (relative to the checkout), else into ``fallback/screens`` (a pytest
tmp folder, so a test run never changes the checkout), else nowhere. To refresh the guides' images:

    TRC_SCREENSHOTS_DIR=docs/panduan/gambar python3 bootstrap.py test \\
        tests/e2e/test_console.py tests/e2e/test_callcenter_page.py

Every shot is taken at 1280x800 unless asked otherwise (the page's own size is put back); a
page no taller than ``FULL_PAGE_UP_TO`` is taken whole, a longer one shows its top as the window
does.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import FloatRect, Page, ViewportSize

from tests.support import ROOT

SCREENSHOTS_DIR = "TRC_SCREENSHOTS_DIR"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
FULL_PAGE_UP_TO = 1400  # CSS pixels: taller pages are cut at the window


def screens_dir(fallback: Path | None = None) -> Path | None:
    """Where shots go: ``$TRC_SCREENSHOTS_DIR`` (from the checkout), or ``fallback/screens``."""
    chosen = os.environ.get(SCREENSHOTS_DIR, "").strip()
    if chosen:
        return ROOT / chosen  # an absolute path stays itself
    return fallback / "screens" if fallback is not None else None


def shoot(
    page: Page,
    name: str,
    fallback: Path | None = None,
    *,
    part: str | None = None,
    viewport: ViewportSize = VIEWPORT,
) -> Path | None:
    """Save the page (or what the selector ``part`` matches) as ``<folder>/<name>.png``.

    Waits for nothing: call it once the test has seen what the picture is meant to show. A page
    whose table needs more room than 1280 pixels gives its own ``viewport``.
    """
    folder = screens_dir(fallback)
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    size = page.viewport_size
    resized = size != viewport
    if resized:
        page.set_viewport_size(viewport)
    try:
        if part is not None:
            page.screenshot(path=str(path), clip=around(page, part), animations="disabled")
        else:
            height = page.evaluate("document.documentElement.scrollHeight")
            whole = int(height) <= FULL_PAGE_UP_TO
            if not whole:
                page.evaluate("window.scrollTo(0, 0)")  # the page's top, not where focus left it
            page.screenshot(path=str(path), full_page=whole, animations="disabled")
    finally:
        if resized and size is not None:
            page.set_viewport_size(size)
    return path


def around(page: Page, part: str, margin: float = 8) -> FloatRect:
    """The window's rectangle around every element ``part`` matches, with a margin."""
    found = page.locator(part)
    found.first.scroll_into_view_if_needed()
    boxes = [box for i in range(found.count()) if (box := found.nth(i).bounding_box())]
    assert boxes, f"nothing on the page matches {part!r}"
    size = page.viewport_size or VIEWPORT
    left = max(min(b["x"] for b in boxes) - margin, 0)
    top = max(min(b["y"] for b in boxes) - margin, 0)
    right = min(max(b["x"] + b["width"] for b in boxes) + margin, size["width"])
    bottom = min(max(b["y"] + b["height"] for b in boxes) + margin, size["height"])
    return {"x": left, "y": top, "width": right - left, "height": bottom - top}
