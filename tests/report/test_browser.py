"""feedback.html and report.html in a real browser (headless Chromium) at a phone's width:
every image loads and nothing overflows sideways. Chromium comes from the Makefile's `system`
target (Debian's `chromium`); without it the test is skipped, saying so."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.browser import PHONE_WIDTH, chromium, inspect, screenshot

pytestmark = pytest.mark.skipif(
    chromium() is None, reason="chromium is not installed (`make system` installs it)"
)
PNG = b"\x89PNG\r\n\x1a\n"


def assert_renders_on_a_phone(shown: dict, images: int) -> None:
    assert shown["viewport"] == PHONE_WIDTH
    assert len(shown["images"]) == images
    for image in shown["images"]:
        assert image["complete"] and image["naturalWidth"] > 0, image
        assert 0 < image["shownWidth"] <= PHONE_WIDTH, image
    assert shown["scrollWidth"] <= PHONE_WIDTH, shown["wide"]
    assert not shown["wide"]


@pytest.mark.slow
def test_feedback_and_report_render_on_a_phone(feedback_class, tmp_path: Path) -> None:
    out, _, _ = feedback_class
    binary = chromium()
    assert_renders_on_a_phone(inspect(binary, out / "solution" / "feedback.html", tmp_path), 3)
    assert_renders_on_a_phone(inspect(binary, out / "report.html", tmp_path), 1)
    shot = screenshot(binary, out / "solution" / "feedback.html", tmp_path)
    assert shot.read_bytes().startswith(PNG)


def test_the_probe_sees_a_broken_image_and_an_overflow(tmp_path: Path) -> None:
    page = tmp_path / "bad" / "page.html"
    page.parent.mkdir()
    page.write_text(
        "<!doctype html><meta name='viewport' content='width=device-width'>"
        "<img src='data:image/png;base64,AAAA' alt='broken'>"
        "<div class='wide' style='width:800px'>too wide</div>"
    )
    shown = inspect(chromium(), page, tmp_path)
    assert shown["images"][0]["naturalWidth"] == 0
    assert shown["scrollWidth"] > PHONE_WIDTH and "div.wide" in shown["wide"]
