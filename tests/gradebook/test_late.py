"""nbgrader's gradebook records the late penalties the grader gave: ``autograder gradebook``
puts the due date, each submission time and extension in it and runs nbgrader's own
``AssignLatePenalties`` step with the course.yaml policy as its ``LateSubmissionPlugin``."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.preprocessors import AssignLatePenalties

from autograder import grade, gradebook
from autograder.gradebook.late import CourseLatePenalty
from autograder.report.parse import submission
from tests.conftest import ROOT
from tests.corpus.late_class import EXPECTED_AT_88, Replay, course_with_deadline, write_late_class
from tests.gradebook.test_gradebook import course_copy

pytestmark = pytest.mark.slow


def test_the_gradebook_records_the_same_late_penalty(tmp_path: Path, cheap_class) -> None:
    course = course_copy(tmp_path)
    course_file = course / "course.yaml"
    course_file.write_text(course_with_deadline((ROOT / "course.yaml").read_text()))
    submitted = write_late_class(tmp_path / "class", "# the cheap solution\n")
    batch = grade.main(
        "c1w2",
        [submitted],
        tmp_path / "graded",
        course_file=course_file,
        backend=Replay(cheap_class[1]["solution"]),
    )
    ours = {g.submission.student: submission(g.results).lateness for g in batch}
    done = gradebook.main("c1w2", tmp_path / "graded", course_root=course, course_file=course_file)
    expected = {student: penalty for student, (_, _, penalty, _) in EXPECTED_AT_88.items()}
    assert done.late_penalties == expected
    with Gradebook(done.db_url) as book:
        for student, late in ours.items():
            assert late is not None
            found = book.find_submission("c1w2", student)
            assert found.total_seconds_late / 3600 == pytest.approx(late.hours_late, abs=0.01)
            assert found.late_submission_penalty == pytest.approx(late.penalty)
            assert found.score == 88  # nbgrader keeps the raw score beside its penalty
    # nbgrader's plugin, asked directly as its preprocessor asks it
    step = AssignLatePenalties()
    step.assignment_id = "c1w2"  # as its preprocess sets it before making the plugin
    plugin = CourseLatePenalty(parent=step, course_file=str(course_file))
    assert plugin.late_submission_penalty("late_days", 88.0, 49 * 3600) == pytest.approx(43.12)
