"""Deadlines: the late class (tests/corpus/late_class.py) graded under a course.yaml deadline
shows the raw score, the penalty and the final score in every output; bad settings are one
line; without a deadline nothing changes.

The batch is the real one (``autograder.grade.main``: lock, lateness, results.json, feedback,
grades.csv, lms.csv, report) with a backend that hands back, for every student, the results
the sandbox gave the cheap solution in ``cheap_class`` (88 points): lateness does not depend on
how the score was earned, and the class is graded in the sandbox once per session.
"""

from __future__ import annotations

import csv
import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder import grade
from autograder.grade.lateness import FROM_MTIME, mtime_warning
from autograder.report.parse import submission
from tests.conftest import ROOT
from tests.corpus.late_class import EXPECTED_AT_88, Replay, course_folder, write_late_class

pytestmark = pytest.mark.slow  # cheap_class grades in the sandbox (shared with other tests)


@pytest.fixture(scope="module")
def late_graded(tmp_path_factory: pytest.TempPathFactory, cheap_class) -> tuple[Path, Path, list]:
    """The late class graded under the deadline: (course, out folder, the batch)."""
    _, results = cheap_class
    tmp = tmp_path_factory.mktemp("late-class")
    course = course_folder(tmp, ROOT)
    submitted = write_late_class(tmp / "class", "# the cheap solution\n")
    out = tmp / "graded"
    batch = grade.main(
        "c1w2",
        [submitted],
        out,
        course_file=course / "course.yaml",
        backend=Replay(results["solution"]),
    )
    return course, out, batch


def utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def test_the_late_class_table(late_graded, capsys) -> None:
    _, out, batch = late_graded
    rows = []
    for graded in batch:
        late = submission(graded.results).lateness
        assert late is not None
        rows.append(
            (
                graded.submission.student,
                utc(late.submitted),
                utc(late.due),
                late.hours_late,
                late.raw_score,
                late.penalty,
                late.final_score,
            )
        )
    with capsys.disabled():
        print(
            "\nstudent        submitted         due (own)          hours late  raw  penalty  final"
        )
        for row in rows:
            print("{:<14} {:<17} {:<17} {:>10g} {:>4g} {:>8g} {:>6g}".format(*row))
    table = {student: (hours, penalty, final) for student, _, _, hours, _, penalty, final in rows}
    assert table == {s: (h, p, f) for s, (h, _, p, f) in EXPECTED_AT_88.items()}
    assert {row[4] for row in rows} == {88}
    due = {student: due for student, _, due, *_ in rows}
    assert due["ontime"] == "2026-12-02 04:59"  # 23:59 in New York is 04:59 UTC
    assert due["extended"] == due["extended_late"] == "2026-12-04 04:59"  # 48 hours more


def test_results_json_carries_the_lateness_and_the_final_score(late_graded) -> None:
    _, out, _ = late_graded
    for student, (hours, extension, penalty, final) in EXPECTED_AT_88.items():
        document = json.loads((out / student / "results.json").read_text())
        late = document["extra_data"]["lateness"]
        assert document["score"] == final == late["final_score"]
        assert (late["raw_score"], late["penalty"], late["hours_late"]) == (88, penalty, hours)
        assert late["extension_hours"] == extension
        assert sum(t["score"] for t in document["tests"]) == 88  # exercises keep what they earned
        assert late["refused"] is (student == "past_cutoff")
        assert late["source"] == (FROM_MTIME if student == "no_timestamp" else "timestamp.txt")
        if hours:
            assert f"late penalty {penalty:g}, score 88 - {penalty:g} = {final:g}" in document[
                "output"
            ] or (
                student == "past_cutoff" and "past the cutoff, so it scores 0" in document["output"]
            )
        else:
            assert "Submitted" not in document["output"].split(".")[0]


def test_grades_and_lms_csv_have_the_late_columns(late_graded) -> None:
    _, out, _ = late_graded
    with (out / "grades.csv").open() as stream:
        grades = {row["student"]: row for row in csv.DictReader(stream)}
    with (out / "lms.csv").open() as stream:
        lms = {row["student_id"]: row for row in csv.DictReader(stream)}
    for student, (hours, _, penalty, final) in EXPECTED_AT_88.items():
        row = grades[student]
        assert float(row["score"]) == final and float(row["raw_score"]) == 88
        assert float(row["late_penalty"]) == penalty and float(row["hours_late"]) == hours
        assert (float(lms[student]["total"]), float(lms[student]["late_penalty"])) == (
            final,
            penalty,
        )
        assert float(lms[student]["raw_total"]) == 88
    assert list(lms["ontime"])[-2:] == ["raw_total", "late_penalty"]


def test_the_feedback_page_and_the_report_show_raw_penalty_final(late_graded) -> None:
    from bs4 import BeautifulSoup

    _, out, _ = late_graded
    page = BeautifulSoup((out / "late_days" / "feedback.html").read_text(), "html.parser")
    cells = [td.get_text(" ", strip=True) for td in page.select("table.lateness td")]
    assert cells[2:] == ["49", "88", "43.12", "44.88"]
    assert page.select_one(".big.score").get_text(strip=True) == "44.88 / 100"
    report = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    late = {
        row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in report.select("#late tbody tr")
    }
    assert late["past_cutoff"][-2:] == ["88 (past the cutoff)", "0"]
    assert late["no_timestamp"][0].endswith(f"({FROM_MTIME})")
    assert late["extended"][2:] == ["48", "0", "88", "0", "88"]
    lines = (out / "report.csv").read_text().splitlines()
    assert "late,,penalty,43.12,late_days" in lines and "late,,final_score,0,past_cutoff" in lines


def test_a_second_run_keeps_every_result_and_a_new_timestamp_is_graded_again(
    late_graded, cheap_class, tmp_path: Path
) -> None:
    course, out, _ = late_graded
    again = tmp_path / "graded"
    shutil.copytree(out, again)
    submitted = out.parent / "class" / "submitted"
    replay = Replay(cheap_class[1]["solution"])
    kept = grade.main(
        "c1w2", [submitted], again, course_file=course / "course.yaml", backend=replay
    )
    assert all(g.resumed for g in kept)
    assert (again / "grades.csv").read_text() == (out / "grades.csv").read_text()
    work = tmp_path / "class"
    shutil.copytree(submitted, work)
    (work / "ontime" / "c1w2" / "timestamp.txt").write_text("2026-12-02 06:59:00 UTC\n")
    regraded = grade.main("c1w2", [work], again, course_file=course / "course.yaml", backend=replay)
    changed = {g.submission.student: g for g in regraded if not g.resumed}
    assert list(changed) == ["ontime"]
    late = submission(changed["ontime"].results).lateness
    assert late is not None and (late.hours_late, late.penalty) == (2, 1.76)


def test_without_a_deadline_no_output_changes(cheap_class, tmp_path: Path) -> None:
    course = course_folder(tmp_path, ROOT, with_deadline=False)
    submitted = write_late_class(tmp_path / "class", "# the cheap solution\n")
    out = tmp_path / "graded"
    solution = cheap_class[1]["solution"]
    batch = grade.main(
        "c1w2", [submitted], out, course_file=course / "course.yaml", backend=Replay(solution)
    )
    for graded in batch:
        assert graded.results == solution  # not a byte of results.json changed
    header = (out / "grades.csv").read_text().splitlines()[0]
    assert header == "student,score,max_score," + ",".join(t["name"] for t in solution["tests"])
    assert (out / "lms.csv").read_text().splitlines()[0].endswith(",normalization_effect")
    assert 'id="late"' not in (out / "report.html").read_text()
    assert "lateness" not in (out / "ontime" / "feedback.html").read_text()


def test_a_time_from_the_file_is_warned_about(late_graded) -> None:
    _, out, batch = late_graded
    said = {g.submission.student: mtime_warning(g.submission, g.results) for g in batch}
    assert [student for student, line in said.items() if line] == ["no_timestamp"]
    path = out.parent / "class" / "submitted" / "no_timestamp" / "c1w2" / "fashion_mnist.py"
    assert said["no_timestamp"] == (
        f"warning: no_timestamp: no timestamp.txt beside {path}, so its submission time is the "
        "file's modification time, 2026-12-02 14:59 UTC (10 hours late): add the timestamp.txt "
        "nbgrader writes to be sure"
    )


def test_a_changed_extension_regrades_only_that_student(late_graded, cheap_class, tmp_path) -> None:
    course, out, _ = late_graded
    again = tmp_path / "graded"
    shutil.copytree(out, again)
    course_file = tmp_path / "course.yaml"
    text = (course / "course.yaml").read_text()
    extensions = "extensions: {extended: 48, extended_late: 48}"
    assert extensions in text
    course_file.write_text(text.replace(extensions, extensions[:-1] + ", late_days: 72}"))
    shutil.copytree(course / "release", tmp_path / "release")  # the course folder's release
    submitted = out.parent / "class" / "submitted"
    batch = grade.main(
        "c1w2",
        [submitted],
        again,
        course_file=course_file,
        backend=Replay(cheap_class[1]["solution"]),
    )
    assert [g.submission.student for g in batch if not g.resumed] == ["late_days"]
    late = submission(next(g for g in batch if not g.resumed).results).lateness
    assert late is not None and (late.extension_hours, late.hours_late, late.penalty) == (72, 0, 0)
