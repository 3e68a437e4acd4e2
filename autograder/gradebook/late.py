"""The late policy of course.yaml as nbgrader's own late-penalty plugin.

nbgrader assigns a notebook's late penalty in its ``AssignLatePenalties`` preprocessor: it reads
how late the submission is from the gradebook (its timestamp against the assignment's due date
plus the student's extension) and asks a ``LateSubmissionPlugin`` for the penalty, clipped to the
notebook's score. ``CourseLatePenalty`` answers with course.yaml's ``LatePolicy.penalty_for``,
the function ``autograder grade`` applies, so both agree. ``autograder gradebook`` records the
due date, timestamps and extensions and runs that very preprocessor; to have ``nbgrader
autograde`` do the same, nbgrader_config.py names the plugin::

    c.AssignLatePenalties.plugin_class = "autograder.gradebook.late.CourseLatePenalty"
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import AssignLatePenalties
from traitlets import Unicode
from traitlets.config import Config

from autograder.config import DEFAULT_COURSE_FILE, Deadline, load_course
from autograder.outcome import Lateness


class CourseLatePenalty(LateSubmissionPlugin):
    """nbgrader's late submission plugin answering with course.yaml's late policy."""

    course_file = Unicode(
        str(DEFAULT_COURSE_FILE), help="The course.yaml whose deadline.late applies."
    ).tag(config=True)

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> float | None:
        """The penalty course.yaml's policy gives ``score`` when ``total_seconds_late`` late;
        None when the assignment sets no deadline (nbgrader then records none)."""
        assignment_id = getattr(self.parent, "assignment_id", None)
        course = load_course(Path(self.course_file))
        deadline = course.assignment(str(assignment_id)).deadline
        if deadline is None:
            return None
        penalty, _ = deadline.late.penalty_for(score, total_seconds_late)
        return penalty


def _naive_utc(moment: datetime) -> datetime:
    """nbgrader's gradebook keeps times as naive UTC."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def record_lateness(
    db_url: str,
    course_id: str,
    assignment_id: str,
    notebook: str,
    deadline: Deadline,
    lateness: dict[str, Lateness],
    course_file: Path,
) -> dict[str, float]:
    """Put the due date, each student's submission time and extension in the gradebook, then
    let nbgrader's ``AssignLatePenalties`` assign each notebook's late penalty through
    ``CourseLatePenalty``; return student -> the penalty nbgrader recorded."""
    due = deadline.due.astimezone(timezone.utc)
    with Gradebook(db_url, course_id) as gradebook:
        gradebook.update_or_create_assignment(assignment_id, duedate=_naive_utc(due))
        for student, late in lateness.items():
            gradebook.update_or_create_submission(
                assignment_id,
                student,
                timestamp=_naive_utc(late.submitted),
                extension=late.due.astimezone(timezone.utc) - due,
            )
    config = Config()
    config.CourseLatePenalty.course_file = str(course_file)
    recorded = {}
    for student in lateness:
        assign = AssignLatePenalties(config=config, plugin_class=CourseLatePenalty)
        resources = {
            "nbgrader": {
                "notebook": notebook,
                "assignment": assignment_id,
                "student": student,
                "db_url": db_url,
            }
        }
        assign.preprocess(nbformat.v4.new_notebook(), resources)
    with Gradebook(db_url, course_id) as gradebook:
        for student in lateness:
            found = gradebook.find_submission_notebook(notebook, assignment_id, student)
            recorded[student] = float(found.late_submission_penalty or 0.0)
    return recorded
