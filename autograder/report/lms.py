"""``lms.csv``: the class's scores as an LMS grade import reads them (Moodle, Canvas, ...).

A header row, then one row per student: ``student_id``, ``total``, and one column per exercise
in course.yaml order. UTF-8 without a byte-order mark, comma-separated, no index column, plain
numbers (``88``, ``7.5``). Unlike grades.csv it has no ``max_score`` column, which an import
would take for a grade. When course.yaml sets a deadline, ``total`` is the score after the late
penalty and two columns follow: ``raw_total`` and ``late_penalty``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from autograder.report import write_atomically
from autograder.report.parse import submission

NAME = "lms.csv"


def _number(value: Any) -> str:
    return f"{float(value):g}"


LATE_COLUMNS = ("raw_total", "late_penalty")


def _late(results: dict[str, Any]) -> list[str]:
    lateness = submission(results).lateness
    if lateness is None:
        return [_number(results["score"]), "0"]
    return [_number(lateness.raw_score), _number(lateness.penalty)]


def lms_csv(
    exercises: list[str], rows: list[tuple[str, dict[str, Any]]], late: bool = False
) -> str:
    """The CSV text for ``rows`` of (student, results.json), exercises in the order given;
    with ``late`` (a deadline is set) the LATE_COLUMNS after them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "total", *exercises, *(LATE_COLUMNS if late else ())])
    for student, results in rows:
        scores = {test["name"]: test["score"] for test in results["tests"]}
        writer.writerow(
            [
                student,
                _number(results["score"]),
                *(_number(scores.get(e, 0)) for e in exercises),
                *(_late(results) if late else ()),
            ]
        )
    return buffer.getvalue()


def write_lms_csv(
    path: Path, exercises: list[str], rows: list[tuple[str, dict[str, Any]]], late: bool = False
) -> None:
    """Write ``lms.csv`` atomically (UTF-8, as every file the grader writes)."""
    write_atomically(path, lms_csv(exercises, rows, late))
