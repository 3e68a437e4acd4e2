"""Open a page in headless Chromium at a phone's width and report what it rendered.

Chromium's headless window is never narrower than 500 px, so the page is shown in a 390 px
wide ``srcdoc`` iframe (same origin as the probe, and a real viewport for the page's media
queries); a script records each image's natural size and any horizontal overflow once the
page has loaded, and ``--dump-dom`` hands that record back. What lies inside a ``.scroll``
region (a data table wider than a phone: WCAG 1.4.10 exempts two-dimensional tables) scrolls
within it, so only the region itself must fit.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

PHONE_WIDTH, PHONE_HEIGHT = 390, 844
PROBE = """
<script>
function record() {
  const frame = document.getElementById("page");
  const doc = frame.contentDocument, view = frame.contentWindow.innerWidth;
  const wide = Array.from(doc.body.querySelectorAll("*"))
    .filter(e => e.getBoundingClientRect().right > view + 0.5
                 && !e.parentElement.closest(".scroll"))
    .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  const images = Array.from(doc.images).map(i => ({
    alt: i.alt, complete: i.complete, naturalWidth: i.naturalWidth,
    shownWidth: i.getBoundingClientRect().width}));
  const result = {viewport: view, scrollWidth: doc.documentElement.scrollWidth, wide, images,
                  title: doc.title};
  const out = document.createElement("pre");
  out.id = "probe";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
}
const frame = document.getElementById("page");
if (frame.contentDocument && frame.contentDocument.readyState === "complete"
    && frame.contentDocument.body && frame.contentDocument.body.childElementCount) {
  record();
} else {
  frame.addEventListener("load", record);
}
</script>
"""


def chromium() -> str | None:
    """The Chromium binary (Debian's ``chromium``), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(binary: str, *args: str) -> subprocess.CompletedProcess:
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def phone_wrapper(page: Path, folder: Path, height: int = PHONE_HEIGHT) -> Path:
    """A page holding ``page`` in a phone-sized iframe, plus the probe script."""
    frame = (
        f'<iframe id="page" style="width:{PHONE_WIDTH}px;height:{height}px;border:0" '
        f'srcdoc="{html.escape(page.read_text(), quote=True)}"></iframe>'
    )
    wrapper = folder / f"phone-{page.parent.name}-{page.stem}.html"
    wrapper.write_text(f"<!doctype html><html><body style='margin:0'>{frame}{PROBE}</body></html>")
    return wrapper


def inspect(binary: str, page: Path, folder: Path) -> dict[str, Any]:
    """What Chromium rendered of ``page`` at 390 px: images, scroll width, overflowing nodes."""
    wrapper = phone_wrapper(page, folder)
    done = _run(binary, "--virtual-time-budget=20000", "--dump-dom", wrapper.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise AssertionError(f"no probe result from chromium: {done.stderr[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def screenshot(binary: str, page: Path, folder: Path, height: int = 2400) -> Path:
    """A PNG of ``page`` at a phone's width (the iframe at the top left of the window)."""
    wrapper = phone_wrapper(page, folder, height)
    target = folder / f"{wrapper.stem}.png"
    _run(
        binary,
        f"--window-size={PHONE_WIDTH + 110},{height}",
        "--virtual-time-budget=20000",
        f"--screenshot={target}",
        wrapper.as_uri(),
    )
    return target
