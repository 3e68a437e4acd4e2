"""One headless Chromium, driven through Selenium and Debian's chromedriver, for the
accessibility tests: axe-core's WCAG 2.1 A/AA rules, the Tab order, and the page width.

axe-core is the npm package locked in tools/axe (``make setup`` runs ``npm ci`` there); its
``axe.min.js`` is injected into each page, which is opened from disk.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
NARROW_WIDTH, HEIGHT = 640, 900  # a 1280 px window at 200% zoom
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    f"--window-size={NARROW_WIDTH},{HEIGHT}",
)
FOCUSABLE = "a[href], summary, button, input, select, textarea, [tabindex]:not([tabindex='-1'])"


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return "chromium or chromedriver is not installed (`make system` installs them)"
    if not AXE_SCRIPT.exists():
        return f"{AXE_SCRIPT} is missing (`make setup` installs it with npm ci)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def start(profile: Path):  # -> selenium.webdriver.Chrome
    """Headless Chromium with a fresh profile, no network chatter, 640 px wide."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=profile)}")
    return webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))


def open_page(driver, page: Path) -> None:
    """Load ``page`` from disk and wait until it has loaded."""
    driver.get(page.resolve().as_uri())
    driver.execute_script("return document.readyState")


def axe_violations(driver, page: Path) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on ``page``: each rule's id,
    impact, help and the selectors of the nodes that break it."""
    open_page(driver, page)
    driver.execute_script(AXE_SCRIPT.read_text())
    driver.set_script_timeout(120)
    found = driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const options = {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]};
        axe.run(document, options)
          .then(r => done({version: axe.version, violations: r.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(" "))}))}))
          .catch(e => done({error: String(e)}));
        """,
        list(WCAG_TAGS),
    )
    assert "error" not in found, found
    assert found["version"].startswith("4."), found["version"]
    return found["violations"]


def open_all_details(driver) -> None:
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")


def widths(driver) -> dict[str, Any]:
    """The document's scroll width against the window's, and what sticks out to the right."""
    return driver.execute_script(
        """
        const root = document.documentElement, view = root.clientWidth;
        const wide = Array.from(document.body.querySelectorAll("*"))
          .filter(e => e.getBoundingClientRect().right > view + 0.5
                       && !e.parentElement.closest(".scroll"))
          .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
        return {scrollWidth: root.scrollWidth, clientWidth: view, wide: wide};
        """
    )


def tab_order(driver, limit: int = 400) -> tuple[list[str], list[str]]:
    """(what Tab reaches, in order, until focus comes back round; every control on the page).
    Each element is named by a path of tag names and indices, so equal texts stay apart."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    name = """
        function path(e) {
          const parts = [];
          for (; e && e !== document.body; e = e.parentElement) {
            parts.unshift(e.tagName.toLowerCase() + ":" +
                          Array.prototype.indexOf.call(e.parentElement.children, e));
          }
          return parts.join("/");
        }
    """
    controls = driver.execute_script(
        name
        + """
        return Array.from(document.querySelectorAll(arguments[0]))
          .filter(e => e.getClientRects().length > 0).map(path);
        """,
        FOCUSABLE,
    )
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.focus()")
    reached: list[str] = []
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        here = driver.execute_script(
            name + "return document.activeElement === document.body ? '' : "
            "path(document.activeElement);"
        )
        if not here or (reached and here == reached[0]):
            break
        reached.append(here)
    return reached, controls
