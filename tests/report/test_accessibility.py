"""WCAG 2.1 AA on the pages the kit hands out, in a real browser (one headless Chromium for the
module, driven by Selenium): axe-core's wcag2a/wcag2aa/wcag21a/wcag21aa rules find nothing on
feedback.html (a full score, a partial score with figures, a submission that crashed) and
report.html; and what axe cannot see: PASS and FAIL are words, not colours; Tab reaches every
control; at 640 px (200% zoom) nothing scrolls sideways. Each check is shown failing on a page
made to break it.

The pages come from the session's graded class (``feedback_class``) and from results.json
documents made here in the grader's own words, so nothing is graded anew.

Measure the counts by hand: ``.venv/bin/python -m pytest tests/report/test_accessibility.py -q
-rA -k axe`` prints each page's violation count.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

from autograder.checks.artifacts import heldout_results, training_history
from autograder.checks.result import ExerciseResult
from autograder.report.classreport import write_class_report
from autograder.report.feedback import write_feedback
from tests.report import webdriver
from tests.report.test_classreport import CLASS

pytestmark = [
    pytest.mark.skipif(webdriver.missing() is not None, reason=str(webdriver.missing())),
    pytest.mark.slow,
]
CRASH = "crashed: its process exited with status 3 before finishing"
PARTIAL_ALT = (
    "Training curve: accuracy rose from 0.27 to 0.57 over 6 epochs and never reached the "
    "0.82 threshold."
)


def partial_train_until() -> dict:
    """train_until as results.json reports a student who trained on raw pixels."""
    result = ExerciseResult("train_until", 10)
    result.add("returns (model, history)", 1, True, "returns (model, history)", "")
    result.add(
        "reaches the threshold",
        5,
        False,
        "",
        "training ended at accuracy 0.57, below the threshold 0.82: were the images normalized?",
    )
    result.add("classifies held-out images", 4, True, "classifies 55.0% of held-out images", "")
    return {
        "name": "train_until",
        "score": result.score,
        "max_score": 10,
        "output": result.feedback(),
        "visibility": "visible",
    }


def partial_artifacts() -> dict:
    """What the judge hands the page for that student: 6 epochs, and 1000 held-out images."""
    history = {
        "loss": [1.91, 1.62, 1.41, 1.3, 1.2, 1.12],
        "accuracy": [0.27, 0.35, 0.44, 0.5, 0.54, 0.57],
    }
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 1000)
    predicted = np.where(rng.random(1000) < 0.55, labels, (labels + 6) % 10)
    return {
        "train_until": {
            "history": training_history(history, 0.82, 10),
            "heldout": heldout_results(predicted, labels),
        }
    }


def with_tests(results: dict, replace) -> dict:
    document = copy.deepcopy(results)
    document["tests"] = [replace(test) for test in document["tests"]]
    document["score"] = round(sum(test["score"] for test in document["tests"]), 2)
    return document


def crashed(test: dict) -> dict:
    """From train_until on, the process died: each later exercise is noted as crashed."""
    late = ("train_until", "count_params", "shape_without_flatten", "output_units_needed")
    if test["name"] not in late + ("overfitting_epoch", "normalization_effect"):
        return test
    result = ExerciseResult(test["name"], test["max_score"]).fail_all(f"{test['name']} {CRASH}.")
    return {**test, "score": 0, "output": result.feedback()}


@pytest.fixture(scope="module")
def pages(feedback_class, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out, _, documents = feedback_class
    tmp = tmp_path_factory.mktemp("accessibility")
    solution = documents["solution"]
    partial = with_tests(
        solution, lambda t: partial_train_until() if t["name"] == "train_until" else t
    )
    (tmp / "class").mkdir()
    write_class_report(tmp / "class", CLASS)  # limits, tampering and unwritten exercises
    return {
        "feedback, full score": out / "solution" / "feedback.html",
        "feedback, partial score with figures": write_feedback(
            tmp / "partial", partial, partial_artifacts()
        ),
        "feedback, crashed": write_feedback(tmp / "crashed", with_tests(solution, crashed), {}),
        "report": out / "report.html",
        "report, limits and tampering": tmp / "class" / "report.html",
    }


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    driver = webdriver.start(tmp_path_factory.mktemp("chromium"))
    yield driver
    driver.quit()


def test_axe_finds_no_wcag_violation(pages: dict[str, Path], browser) -> None:
    counts = {name: webdriver.axe_violations(browser, page) for name, page in pages.items()}
    for name, violations in counts.items():
        print(f"axe-core WCAG 2.1 A/AA violations on {name}: {len(violations)}")
    assert {name: v for name, v in counts.items() if v} == {}


def test_axe_finds_what_a_broken_page_breaks(browser, tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text(
        "<!doctype html><html><head><title>broken</title></head><body><main>"
        "<img src='data:image/png;base64,AAAA'>"
        "<p style='color:#bbb;background:#fff'>pale text</p>"
        "<table><tr><th>a</th><td>1</td></tr></table></main></body></html>"
    )
    found = {violation["id"] for violation in webdriver.axe_violations(browser, page)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found


def test_the_partial_score_page_tells_its_figures_in_text(pages: dict[str, Path]) -> None:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(pages["feedback, partial score with figures"].read_text(), "html.parser")
    training = soup.find("section", id="train_until")
    assert training.find("figure", class_="figure-training-curve").img["alt"] == PARTIAL_ALT
    tables = training.find_all("table")
    assert len(tables) == 3  # the curve, the confusion matrix, the misclassified images
    for table in tables:
        assert table.find_parent("details")
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
        assert table.find("caption").get_text(strip=True)


def test_pass_and_fail_are_words_not_colours(pages: dict[str, Path], browser) -> None:
    """Every sub-check line says PASS or FAIL in its text, whatever its colour."""
    for name, page in pages.items():
        if not name.startswith("feedback"):
            continue
        webdriver.open_page(browser, page)
        webdriver.open_all_details(browser)
        marks = browser.execute_script(
            "return Array.from(document.querySelectorAll('li.pass, li.fail'))"
            ".map(li => [li.className, li.querySelector('.mark').innerText]);"
        )
        assert marks, name
        for kind, text in marks:
            assert text.split()[-1] == kind.upper(), (name, kind, text)


def test_every_control_is_reached_by_tab(pages: dict[str, Path], browser) -> None:
    for name, page in pages.items():
        webdriver.open_page(browser, page)
        webdriver.open_all_details(browser)
        reached, controls = webdriver.tab_order(browser)
        assert controls, name
        assert set(controls) <= set(reached), (name, sorted(set(controls) - set(reached)))


def test_tab_order_sees_an_unreachable_control(browser, tmp_path: Path) -> None:
    page = tmp_path / "trap.html"
    page.write_text(
        "<!doctype html><html lang='en'><title>t</title><main><a href='#a'>first</a>"
        "<div inert><a href='#b'>shown, but Tab never gets here</a></div>"
        "<a href='#c'>last</a></main>"
    )
    webdriver.open_page(browser, page)
    reached, controls = webdriver.tab_order(browser)
    assert len(controls) == 3 and len(reached) == 2
    assert [control for control in controls if control not in reached] == [controls[1]]


def test_nothing_scrolls_sideways_at_640_px(pages: dict[str, Path], browser) -> None:
    for name, page in pages.items():
        webdriver.open_page(browser, page)
        webdriver.open_all_details(browser)  # every table shown
        shown = webdriver.widths(browser)
        assert shown["clientWidth"] == webdriver.NARROW_WIDTH, shown
        assert shown["scrollWidth"] <= shown["clientWidth"] and not shown["wide"], (name, shown)


def test_the_width_check_sees_a_page_too_wide(browser, tmp_path: Path) -> None:
    page = tmp_path / "wide.html"
    page.write_text("<!doctype html><html lang='en'><div style='width:900px'>wide</div>")
    webdriver.open_page(browser, page)
    shown = webdriver.widths(browser)
    assert shown["scrollWidth"] > shown["clientWidth"] and shown["wide"] == ["div"]
