"""``autograder gradebook``: put the scores of ``autograder grade --out DIR`` into nbgrader's
gradebook, the way ``nbgrader autograde`` stores them, so nbgrader's tools work on them.

For each student: a submission of the assignment, and on each graded cell (``test_<exercise>``
of the source notebook) a Grade whose ``auto_score`` is the exercise's score; plus an autograded
notebook (the released one, with the grader's feedback under each graded cell), so that
``nbgrader generate_feedback`` writes each student's feedback HTML afterwards. When
course.yaml sets a deadline, the due date, each submission's time and extension go in too, and
nbgrader's own late-penalty step assigns the penalties (``autograder.gradebook.late``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SAWarning

from autograder.config import DEFAULT_COURSE_FILE, ROOT, load_course
from autograder.errors import GraderError
from autograder.gradebook.course import (
    course_directory,
    ensure_assignment,
    open_gradebook,
    shown,
)
from autograder.gradebook.late import record_lateness
from autograder.gradebook.notebook import feedback_notebook, write_notebook
from autograder.gradebook.results import exercise_feedback, exercise_scores, read_graded
from autograder.report.parse import submission

GRADE_CELL_PREFIX = "test_"


@dataclass(frozen=True)
class Recorded:
    """What was written: the database, the autograded folder and each student's total."""

    db_url: str
    autograded: Path
    totals: dict[str, float]
    late_penalties: dict[str, float] = field(default_factory=dict)  # as nbgrader recorded them


def grade_cell(exercise: str) -> str:
    """The id of the notebook cell that grades ``exercise``."""
    return GRADE_CELL_PREFIX + exercise


def main(
    assignment_id: str,
    graded_dir: Path,
    db_url: str | None = None,
    course_root: Path = ROOT,
    course_file: Path = DEFAULT_COURSE_FILE,
) -> Recorded:
    """Record every results.json under ``graded_dir`` in the gradebook; user errors raise."""
    assignment = load_course(course_file).assignment(assignment_id)
    graded = read_graded(graded_dir, assignment_id, assignment)
    coursedir = course_directory(course_root, db_url)
    cells = ensure_assignment(coursedir, assignment_id, assignment.module)
    for exercise, settings in assignment.exercises.items():
        points = cells.get(grade_cell(exercise))
        if points is None or abs(points - settings.points) > 1e-9:
            raise GraderError(
                f"the gradebook's notebook {assignment.module} has "
                + (f"{points:g} points" if points is not None else "no graded cell")
                + f" for {grade_cell(exercise)}, course.yaml {settings.points:g}: "
                "regenerate the assignment (`nbgrader generate_assignment --force`)"
            )
    released = Path(coursedir.format_path(coursedir.release_directory, ".", assignment_id))
    autograded = Path(coursedir.format_path(coursedir.autograded_directory, "*", assignment_id))
    totals = {}
    with open_gradebook(coursedir) as gradebook:
        for student, results in graded.items():
            gradebook.update_or_create_student(student)
            with warnings.catch_warnings():  # nbgrader's own add_submission warns; harmless
                warnings.simplefilter("ignore", SAWarning)
                gradebook.update_or_create_submission(assignment_id, student)
            scores = exercise_scores(results)
            for exercise in assignment.exercises:
                grade = gradebook.find_grade(
                    grade_cell(exercise), assignment.module, assignment_id, student
                )
                grade.auto_score = scores[exercise]
                # as nbgrader autograde does: a manual score already given stays to be reviewed
                grade.needs_manual_grade = grade.manual_score is not None
            gradebook.db.commit()
            totals[student] = sum(scores.values())
            notebook = feedback_notebook(
                released / f"{assignment.module}.ipynb",
                {grade_cell(e): t for e, t in exercise_feedback(results).items()},
                {
                    grade_cell(e): f"{e}: {scores[e]:g}/{s.points:g}"
                    for e, s in assignment.exercises.items()
                },
            )
            target = coursedir.format_path(coursedir.autograded_directory, student, assignment_id)
            write_notebook(notebook, Path(target) / f"{assignment.module}.ipynb")
    penalties: dict[str, float] = {}
    if assignment.deadline is not None:
        lateness = {
            student: late
            for student, results in graded.items()
            if (late := submission(results).lateness) is not None
        }
        penalties = record_lateness(
            coursedir.db_url,
            coursedir.course_id,
            assignment_id,
            assignment.module,
            assignment.deadline,
            lateness,
            Path(course_file),
        )
    return Recorded(shown(coursedir.db_url), autograded, totals, penalties)
