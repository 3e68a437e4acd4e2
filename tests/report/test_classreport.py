"""report.html and report.csv on a small synthetic class whose mistakes are known exactly, and
on the class graded for real."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from autograder.checks.explain import explain_error
from autograder.checks.result import ExerciseResult
from autograder.grade.results import results_json
from autograder.outcome import HISTORY_MISMATCH, Outcome
from autograder.report import summary_line
from autograder.report.classreport import build, report_csv, write_class_report
from tests.conftest import EXERCISES

TIMED_OUT = "timed out: still running after its 60 s limit"
NOT_IMPLEMENTED = {"type": "NotImplementedError", "message": "", "where": None}
RAISED_TIMEOUT = {  # a student's own exception that says "timed out": no limit the grader hit
    "type": "TimeoutError",
    "message": "timed out",
    "where": {"file": "fashion_mnist.py", "line": 9},
}
CRASHED = "crashed: its process exited with status 3 before finishing"
FORGED = (
    "the history reports a final training accuracy of 0.900, but the returned model "
    "classifies only 0.100 of the training images: return the model and the History"
)


def unwritten(name: str, points: float) -> ExerciseResult:
    return ExerciseResult(name, points).fail_all(explain_error(name, NOT_IMPLEMENTED))


def callback(stops: bool, message: bool) -> ExerciseResult:
    result = ExerciseResult("ThresholdCallback", 20)
    result.add("is a Callback", 2, True, "subclasses Callback", "")
    result.add("stops at the threshold", 16, stops, "stops", "never stopped: set stop_training")
    result.add("message", 2, message, "prints", "printed nothing")
    return result


def train_until(forged: bool = False) -> ExerciseResult:
    result = ExerciseResult("train_until", 10)
    result.add("returns (model, history)", 1, True, "returns (model, history)", "")
    result.add("reaches threshold", 5, not forged, "reached", FORGED)
    result.add("classifies held-out images", 4, True, "classifies 85%", "")
    return result.untrusted(HISTORY_MISMATCH) if forged else result


def count_params(note: str = "", outcome: Outcome | None = None) -> ExerciseResult:
    result = ExerciseResult("count_params", 2)
    if note:
        return result.fail_all(note, outcome)
    result.add("128 units", 2, True, "right", "")
    return result


def student(*results: ExerciseResult, seconds: float = 10.0) -> dict:
    earned = sum(result.score for result in results)
    return results_json(list(results), 32, seconds, f"{earned:g}/32")


CLASS = [
    ("ann", student(callback(True, True), train_until(), count_params(), seconds=20)),
    (
        "bob",
        student(
            callback(False, True),
            train_until(),
            count_params(f"count_params {TIMED_OUT}.", Outcome.TIMED_OUT),
        ),
    ),
    ("cat", student(callback(False, False), train_until(forged=True), count_params())),
    (
        "dan",
        student(
            callback(True, True),
            train_until(),
            # a student's own exception that says "timed out" is not a limit the grader hit
            count_params(explain_error("count_params", RAISED_TIMEOUT)),
        ),
    ),
    (
        "eve",
        student(
            ExerciseResult("ThresholdCallback", 20).fail_all(
                f"ThresholdCallback {CRASHED}.", Outcome.CRASHED
            ),
            unwritten("train_until", 10),
            count_params(),
        ),
    ),
]


def test_mistakes_are_counted_per_sub_check_with_their_students() -> None:
    groups = [(g.exercise, g.item, g.students, g.points) for g in build(CLASS).mistakes]
    assert groups == [  # the most points lost first, then most students, course order, name
        ("ThresholdCallback", "stops at the threshold", ["bob", "cat"], 32),
        ("ThresholdCallback", "crashed", ["eve"], 20),
        ("", "exercises left unwritten", ["eve"], 10),
        ("train_until", "reaches threshold", ["cat"], 5),
        ("ThresholdCallback", "message", ["cat"], 2),
        ("count_params", "raises TimeoutError", ["dan"], 2),
        ("count_params", "timed out", ["bob"], 2),
    ]


def test_a_student_who_left_exercises_unwritten_is_one_line() -> None:
    stub = student(unwritten("ThresholdCallback", 20), unwritten("train_until", 10))
    stub["tests"].append(
        {
            **stub["tests"][0],
            "name": "count_params",
            "max_score": 2,
            "output": "count_params "
            "is not written yet (fashion_mnist.py line 9): replace `raise NotImplementedError()`.",
        }
    )
    report = build([*CLASS, ("zed", stub)])
    left = [g for g in report.mistakes if g.item == "exercises left unwritten"]
    assert len(left) == 1 and left[0].exercise == ""
    assert left[0].details == {
        "eve": "left 1 of 3 exercises unwritten (train_until)",
        "zed": "left 3 of 3 exercises unwritten",
    }
    assert left[0].points == 10 + 32 and left[0].students == ["eve", "zed"]
    assert report.mistakes[0] is left[0]  # 42 points: now the costliest
    assert not [g for g in report.mistakes if g.item == "not written yet"]
    assert report.unwritten == {
        "eve": ["train_until"],
        "zed": ["ThresholdCallback", "train_until", "count_params"],
    }
    rows = list(csv.DictReader(io.StringIO(report_csv(report))))
    assert {
        "section": "unwritten",
        "exercise": "ThresholdCallback;train_until;count_params",
        "item": "zed",
        "value": "3",
        "students": "zed",
    } in rows


def test_each_mistake_links_one_students_feedback(tmp_path: Path) -> None:
    html_path, _ = write_class_report(
        tmp_path, [*CLASS, ("zo\u00eb k", student(callback(False, True)))]
    )
    soup = BeautifulSoup(html_path.read_text(), "html.parser")
    items = soup.find("section", id="mistakes").find_all("li", class_="mistake")
    links = [item.find("a", class_="example")["href"] for item in items]
    assert links[0] == "bob/feedback.html#ThresholdCallback"  # stops at the threshold: bob first
    assert "eve/feedback.html" in links  # the unwritten exercises: no one exercise to point at
    assert len(links) == len(items) == len(build(CLASS).mistakes)
    stops = build([*CLASS, ("zo\u00eb k", student(callback(False, True)))]).mistakes[0]
    assert stops.students == ["bob", "cat", "zo\u00eb k"] and stops.points == 48
    (tmp_path / "one").mkdir()
    lone = BeautifulSoup(
        write_class_report(tmp_path / "one", [("zo\u00eb k", student(callback(False, True)))])[
            0
        ].read_text(),
        "html.parser",
    )
    assert (
        lone.find("a", class_="example")["href"] == "zo%C3%AB%20k/feedback.html#ThresholdCallback"
    )
    unwritten_item = next(i for i in items if "exercises left unwritten" in i.get_text())
    assert [li.get_text() for li in unwritten_item.find_all("li")] == [
        "eve: left 1 of 3 exercises unwritten (train_until)"
    ]


def test_pass_rates_limits_tampering_and_times() -> None:
    report = build(CLASS)
    rates = {e.name: {k: len(v) for k, v in e.students.items()} for e in report.exercises}
    assert rates["ThresholdCallback"] == {"full": 2, "partial": 2, "zero": 1}
    assert rates["train_until"] == {"full": 3, "partial": 1, "zero": 1}
    assert rates["count_params"] == {"full": 3, "partial": 0, "zero": 2}
    limits = {(g.exercise, g.item): g.students for g in report.limits}
    assert limits == {
        ("count_params", "timed out"): ["bob"],
        ("ThresholdCallback", "crashed"): ["eve"],
    }
    assert report.hit_a_limit == ["bob", "eve"]  # not dan: his "timed out" was his own text
    tampering = {(g.exercise, g.item): g.students for g in report.tampering}
    assert tampering == {("train_until", "history does not match its model"): ["cat"]}
    assert report.times["ann"] == 20 and report.times["bob"] == 10


def test_report_csv_rows() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(build(CLASS)))))
    assert list(rows[0]) == ["section", "exercise", "item", "value", "students"]
    mistake = next(r for r in rows if r["item"] == "stops at the threshold")
    assert (mistake["section"], mistake["value"], mistake["students"]) == (
        "mistake",
        "2",
        "bob;cat",
    )
    assert {
        "section": "limit",
        "exercise": "count_params",
        "item": "timed out",
        "value": "1",
        "students": "bob",
    } in rows
    assert sum(r["section"] == "grading_time" for r in rows) == len(CLASS)


def test_report_html_shows_the_counts(tmp_path: Path) -> None:
    html_path, csv_path = write_class_report(tmp_path, CLASS)
    soup = BeautifulSoup(html_path.read_text(), "html.parser")
    first = soup.find("section", id="mistakes").find("li")
    assert "stops at the threshold" in first.get_text() and "bob, cat" in first.get_text()
    assert first.find("span", class_="count").get_text() == "2"
    assert first.find("span", class_="points").get_text() == "32"
    limits = soup.find("section", id="limits")
    assert [li.find("strong").get_text() for li in limits.find_all("li", class_="limit")] == [
        "crashed",
        "timed out",
    ]
    assert "history does not match its model" in limits.find("li", class_="tampering").get_text()
    image = soup.find("img")
    assert image["src"].startswith("data:image/png;base64,")
    mean = sum(r["score"] for _, r in CLASS) / len(CLASS)
    assert image["alt"].startswith(f"Histogram of 5 scores out of 32: mean {mean:.1f}, median ")
    table = soup.find("section", id="distribution").find("table")
    assert table.find_parent("details")
    assert [th.get_text() for th in table.thead.find_all("th")] == ["score", "students"]
    bands = {row.th.get_text(): int(row.td.get_text()) for row in table.tbody.find_all("tr")}
    assert sum(bands.values()) == 5 and list(bands)[-1] == "28.8 to 32"
    for table in soup.find_all("table"):
        assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    assert csv_path.exists()


def test_summary_line() -> None:
    line = summary_line(CLASS, 192.4, Path("graded/report.html"), kept=1)
    mean = sum(r["score"] for _, r in CLASS) / len(CLASS)
    assert line == (
        f"graded 5 submissions (1 kept from an earlier run) in 3m12s: mean {mean:.1f}, "
        "2 hit a limit; report: graded/report.html"
    )


@pytest.mark.slow
def test_the_real_class_report(feedback_class) -> None:
    out, _, _ = feedback_class
    report = build([(s, r) for s, r in _read(out)])
    mistakes = {(g.exercise, g.item): g.students for g in report.mistakes}
    assert mistakes[("ThresholdCallback", "stops at the threshold")] == ["never_stops"]
    assert ("normalize", "not written yet") not in mistakes
    left = next(g for g in report.mistakes if g.item == "exercises left unwritten")
    count = len(EXERCISES)
    assert left.details == {
        "never_stops": f"left 2 of {count} exercises unwritten (train_until, normalization_effect)",
        "stub": f"left {count} of {count} exercises unwritten",
    }
    assert left.points == 100 + 12  # the stub's 100, and never_stops' two training exercises
    assert not report.limits and not report.tampering
    assert (out / "report.html").exists() and (out / "report.csv").exists()


def _read(out: Path):
    import json

    for folder in sorted(out.iterdir()):
        if folder.is_dir():
            yield folder.name, json.loads((folder / "results.json").read_text())
