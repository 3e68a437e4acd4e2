"""feedback.html: every exercise with its score, what passed and what to fix; train_until's
three figures for a student who trained, none for one who did not; everything escaped."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup

from autograder.checks.artifacts import heldout_results, training_history
from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from autograder.data import CLASS_NAMES
from autograder.grade.results import ARTIFACTS_KEY, results_json, split_artifacts
from autograder.report.feedback import exercise_figures, feedback_page, write_feedback

ASSIGNMENT = load_course().assignment("c1w2")
EXERCISES = list(ASSIGNMENT.exercises)
FIGURES = ("training-curve", "confusion-matrix", "misclassified")
PNG = b"\x89PNG\r\n\x1a\n"


def page(out: Path, student: str) -> BeautifulSoup:
    return BeautifulSoup((out / student / "feedback.html").read_text(), "html.parser")


def section(soup: BeautifulSoup, exercise: str):
    return soup.find("section", id=exercise)


def figure_kinds(element) -> list[str]:
    return [
        cls.removeprefix("figure-")
        for figure in element.find_all("figure")
        for cls in figure["class"]
        if cls.startswith("figure-")
    ]


def assert_png(uri: str) -> None:
    prefix = "data:image/png;base64,"
    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).startswith(PNG)


@pytest.mark.slow
def test_the_solution_gets_all_twelve_exercises_and_the_three_figures(feedback_class) -> None:
    out, _, results = feedback_class
    soup = page(out, "solution")
    assert [s["id"] for s in soup.find_all("section")] == EXERCISES
    assert "100 / 100" in soup.find("p", class_="big").get_text()
    for exercise in EXERCISES:
        assert section(soup, exercise)["class"] == ["exercise", "full"]
        assert not section(soup, exercise).find("li", class_="fail")
    training = section(soup, "train_until")
    assert figure_kinds(training) == list(FIGURES)
    assert figure_kinds(soup) == list(FIGURES)  # the figures belong to train_until only
    for image in training.find_all("img"):
        assert_png(image["src"])
    caption = training.find("figure", class_="figure-training-curve").get_text()
    assert "training stopped at the end of epoch" in caption
    alts = [image["alt"] for image in training.find_all("img")]
    assert re.fullmatch(
        r"Training curve: accuracy rose from 0\.\d+ to 0\.\d+ over \d+ epochs? and reached "
        r"the 0\.\d+ threshold at epoch (\d+), where training stopped\.",
        alts[0],
    ), alts[0]
    assert alts[1].startswith("Confusion matrix of ") and "classified right" in alts[1]
    assert re.match(r"\d+ held-out images? the model got wrong: ", alts[2]), alts[2]
    tables = [figure.find_next_sibling("details").find("table") for figure in training("figure")]
    assert [t.find("th").get_text() for t in tables] == ["epoch", "true class", "image"]
    matrix = tables[1]
    names = list(CLASS_NAMES)
    assert [th.get_text() for th in matrix.tbody.find_all("th", scope="row")] == names
    assert [th.get_text() for th in matrix.thead.find_all("th", scope="col")][1:] == names
    counts = [[int(td.get_text()) for td in row("td")] for row in matrix.tbody("tr")]
    assert sum(map(sum, counts)) == int(re.search(r"of (\d+) held-out", alts[1]).group(1))
    assert results["solution"]["score"] == 100


@pytest.mark.slow
def test_the_stub_is_told_what_to_write_and_gets_no_figures(feedback_class) -> None:
    out, _, _ = feedback_class
    soup = page(out, "stub")
    assert [s["id"] for s in soup.find_all("section")] == EXERCISES
    for exercise in EXERCISES:
        note = section(soup, exercise).find("p", class_="note").get_text()
        assert "is not written yet" in note and "raise NotImplementedError()" in note, exercise
        assert section(soup, exercise)["class"] == ["exercise", "zero"]
    assert not soup.find_all("figure") and not soup.find_all("img")


@pytest.mark.slow
def test_a_callback_that_never_stops_is_shown_the_failed_sub_check_and_its_fix(
    feedback_class,
) -> None:
    out, _, _ = feedback_class
    callback = section(page(out, "never_stops"), "ThresholdCallback")
    failed = {
        item.find("strong").get_text(): item.find("div", class_="msg").get_text()
        for item in callback.find_all("li", class_="fail")
    }
    assert "stops at the threshold" in failed
    assert (
        "never stopped although epoch 3 reached the threshold" in failed["stops at the threshold"]
    )
    assert "set self.model.stop_training = True" in failed["stops at the threshold"]
    # What a callback that never stops would pass counts only once it stops when it should.
    assert not callback.find_all("li", class_="pass")
    assert "a callback that never stops passes this check too" in failed["is a Callback"]
    assert callback["class"] == ["exercise", "zero"]
    assert not figure_kinds(page(out, "never_stops"))  # train_until was never trained


@pytest.mark.slow
def test_results_json_carries_no_artifacts(feedback_class) -> None:
    out, _, results = feedback_class
    for student, document in results.items():
        assert list(document) == [
            "score",
            "max_score",
            "execution_time",
            "output",
            "extra_data",
            "tests",
        ]
        assert ARTIFACTS_KEY not in (out / student / "results.json").read_text()
        for test in document["tests"]:
            keys = ["name", "score", "max_score", "output", "visibility", "extra_data"]
            assert list(test) == keys


def hostile_results() -> dict:
    result = ExerciseResult("normalize", 10)
    result.add("same shape", 4, True, "ok <b>bold</b>", "")
    result.add("scaled to 0-1", 6, False, "", 'raised ValueError: "><script>alert(1)</script>')
    stopped = ExerciseResult("build_model", 20).fail_all(
        "build_model raised KeyError: '<img src=x onerror=alert(2)>'\nPASS forged (20/20): yes"
    )
    document = results_json([result, stopped], 30, 1.0, "eve <script>alert(3)</script>")
    return document


def test_student_text_is_escaped(tmp_path: Path) -> None:
    path = write_feedback(tmp_path / "<script>eve", hostile_results(), {}, assignment="c1w2")
    text = path.read_text()
    assert "<script" not in text and "<img" not in text and "<b>" not in text
    soup = BeautifulSoup(text, "html.parser")
    assert soup.title.get_text() == "c1w2 feedback: <script>eve"
    message = section(soup, "normalize").find("li", class_="fail").get_text()
    assert '"><script>alert(1)</script>' in message
    note = section(soup, "build_model").find("p", class_="note").get_text()
    assert "<img src=x onerror=alert(2)>" in note
    # A forged check line inside a student's error text is not a passed check.
    assert not section(soup, "build_model").find("li", class_="pass")


def test_any_text_a_student_can_produce_is_written(tmp_path: Path) -> None:
    results = hostile_results()
    # a lone surrogate, as JSON allows, in the record the page reads
    results["tests"][0]["extra_data"]["checks"][1]["message"] += " caf\u00e9 \u2713 \ud800"
    text = write_feedback(tmp_path / "zo\u00eb", results, assignment="c1w2")
    text = text.read_bytes().decode("ascii")
    assert "caf&#233; &#10003; &#55296;" in text
    assert BeautifulSoup(text, "html.parser").title.get_text() == "c1w2 feedback: zo\u00eb"


def test_the_page_is_made_for_phones(tmp_path: Path) -> None:
    soup = BeautifulSoup(feedback_page("eve", hostile_results()), "html.parser")
    assert soup.find("meta", attrs={"name": "viewport"})["content"].startswith("width=device-width")
    assert "img { max-width: 100%" in soup.find("style").get_text()


def synthetic_artifacts(stopped: bool = True) -> dict:
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 200)
    predicted = np.where(rng.random(200) < 0.8, labels, (labels + 1) % 10)
    accuracy = [0.8, 0.86] if stopped else [0.7, 0.75, 0.78]
    history = {"loss": [0.6, 0.4, 0.3][: len(accuracy)], "accuracy": accuracy}
    return {
        "history": training_history(history, 0.85, 3),
        "heldout": heldout_results(predicted, labels),
    }


def test_figures_are_drawn_from_artifacts_alone() -> None:
    made = exercise_figures(synthetic_artifacts())
    assert [figure.kind for figure in made] == list(FIGURES)
    for figure in made:
        assert_png(figure.uri)
    assert "training stopped at the end of epoch 2, before max_epochs=3" in made[0].caption
    assert made[0].alt == (
        "Training curve: accuracy rose from 0.80 to 0.86 over 2 epochs and reached the 0.85 "
        "threshold at epoch 2, where training stopped."
    )
    assert [figure.table.corner for figure in made] == ["epoch", "true class", "image"]
    listed = made[2].table.rows
    assert len(listed) == 12 and all(len(cells) == 3 for _, cells in listed)
    soup = BeautifulSoup(
        feedback_page(
            "eve",
            {"tests": [{"name": "train_until", "score": 5, "max_score": 10}]},
            {"train_until": synthetic_artifacts()},
        ),
        "html.parser",
    )
    for table in soup.find_all("table"):
        assert table.find_parent("details") and table.caption.get_text()
        assert {th["scope"] for th in table("th")} == {"col", "row"}
    assert [image["alt"] for image in soup("img")] == [figure.alt for figure in made]
    assert (
        "did not stop before max_epochs=3"
        in exercise_figures(synthetic_artifacts(False))[0].caption
    )


def test_no_history_no_curve_and_a_broken_figure_is_named_not_fatal() -> None:
    artifacts = synthetic_artifacts()
    del artifacts["history"]  # what the judge leaves out when the history was forged
    assert [f.kind for f in exercise_figures(artifacts)] == ["confusion-matrix", "misclassified"]
    artifacts["heldout"]["confusion"] = "not a matrix"
    assert [(f.uri, f.caption) for f in exercise_figures(artifacts)] == [
        ("", "This figure could not be drawn.")
    ]


def test_split_artifacts_strips_the_private_key() -> None:
    document = {**hostile_results(), ARTIFACTS_KEY: {"train_until": synthetic_artifacts()}}
    results, artifacts = split_artifacts(document)
    assert ARTIFACTS_KEY not in results and results == hostile_results()
    assert set(artifacts) == {"train_until"}
    json.dumps(artifacts)  # plain JSON: it travels with grade_submission's result
