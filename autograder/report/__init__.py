"""What a batch writes and prints: results.json files, grades.csv and a summary table."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FEEDBACK_FILE = "feedback.html"  # beside each results.json (autograder.report.feedback)


def write_atomically(path: Path, document: dict[str, Any] | str) -> None:
    """Write JSON (or text) so that a reader never sees half a file."""
    text = document if isinstance(document, str) else json.dumps(document, indent=2)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(temporary, path)


LATE_COLUMNS = ("raw_score", "late_penalty", "hours_late", "extension_hours", "submitted")


def late_values(results: dict[str, Any]) -> list[Any]:
    """The LATE_COLUMNS of one results.json: blank when it has no lateness record."""
    from autograder.report.parse import submission

    lateness = submission(results).lateness
    if lateness is None:
        return [""] * len(LATE_COLUMNS)
    return [
        lateness.raw_score,
        lateness.penalty,
        lateness.hours_late,
        lateness.extension_hours,
        lateness.submitted.strftime("%Y-%m-%dT%H:%M:%SZ"),
    ]


def write_grades_csv(
    path: Path, rows: list[tuple[str, dict[str, Any]]], late: bool = False
) -> None:
    """One row per student: total (after any late penalty), then one column per exercise;
    with ``late`` (course.yaml sets a deadline) then the LATE_COLUMNS."""
    exercises = [test["name"] for test in rows[0][1]["tests"]] if rows else []
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "score", "max_score", *exercises, *(LATE_COLUMNS if late else ())])
    for student, results in rows:
        scores = {test["name"]: test["score"] for test in results["tests"]}
        writer.writerow(
            [
                student,
                results["score"],
                results["max_score"],
                *[scores.get(name, 0) for name in exercises],
                *(late_values(results) if late else ()),
            ]
        )
    write_atomically(path, buffer.getvalue())


def summary_table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """A plain-text table: each student's score and the exercises they lost points on."""
    width = max([len("student"), *(len(student) for student, _ in rows)])
    lines = [f"{'student':<{width}}  {'score':>7}  {'time':>6}  lost points on"]
    for student, results in rows:
        lost = [t["name"] for t in results["tests"] if t["score"] < t["max_score"]]
        lines.append(
            f"{student:<{width}}  {results['score']:>7g}  {results['execution_time']:>5.0f}s  "
            f"{', '.join(lost) or '-'}"
        )
    if rows:
        mean = sum(r["score"] for _, r in rows) / len(rows)
        lines.append(f"{len(rows)} submission(s) graded, mean score {mean:.1f}")
    return "\n".join(lines)


def duration(seconds: float) -> str:
    """42s, 3m12s, 1h02m."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


def summary_line(
    rows: list[tuple[str, dict[str, Any]]], seconds: float, report: Path, kept: int = 0
) -> str:
    """One line for the end of a batch: how many, how long, the mean, limits, the report."""
    from autograder.report.parse import incidents

    count = len(rows)
    mean = sum(float(results["score"]) for _, results in rows) / count if count else 0.0
    limited = sum(
        any(section == "limit" for _, _, section in incidents(results)) for _, results in rows
    )
    earlier = f" ({kept} kept from an earlier run)" if kept else ""
    return (
        f"graded {count} submission{'s' if count != 1 else ''}{earlier} in {duration(seconds)}: "
        f"mean {mean:.1f}, {limited} hit a limit; report: {report}"
    )
