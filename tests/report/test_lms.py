"""lms.csv, what an LMS grade import reads: header, one row per student, student_id, total,
then one column per exercise in course.yaml order; UTF-8, no index column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from autograder.config import load_course
from autograder.report.lms import write_lms_csv
from tests.conftest import scores

EXERCISES = list(load_course().assignment("c1w2").exercises)


@pytest.mark.slow
def test_grade_writes_lms_csv_for_the_class(cheap_class) -> None:
    out, results = cheap_class
    raw = (out / "lms.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert rows[0] == ["student_id", "total", *EXERCISES]
    assert [row[:2] for row in rows[1:]] == [["solution", "88"], ["stub", "0"]]
    solution = dict(zip(rows[0], rows[1], strict=True))
    assert {e: float(solution[e]) for e in EXERCISES} == scores(results["solution"])
    assert all(value == "0" for value in rows[2][1:])


def test_non_ascii_ids_and_fractional_scores_survive(tmp_path: Path) -> None:
    results = {
        "score": 7.5,
        "tests": [{"name": e, "score": 7.5 if e == "normalize" else 0} for e in EXERCISES],
    }
    write_lms_csv(tmp_path / "lms.csv", EXERCISES, [('zoë,"z"', results)])
    rows = list(csv.reader((tmp_path / "lms.csv").open(encoding="utf-8", newline="")))
    assert rows[1][:3] == ['zoë,"z"', "7.5", "7.5"] and len(rows[1]) == 2 + len(EXERCISES)
