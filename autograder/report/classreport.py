"""The instructor's view of a batch: ``report.html`` and ``report.csv`` from the results.json
documents (so a resumed batch reports the same as an uninterrupted one).

It shows the score distribution, each exercise's full/partial/zero counts, the most common
mistakes (failed sub-checks, per exercise) with the students who made them, the submissions
that hit a limit or whose data was not trusted, and how long each took to grade.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.report import figures, write_atomically
from autograder.report.parse import exercises, incidents
from autograder.report.templating import render

REPORT_HTML, REPORT_CSV = "report.html", "report.csv"
UNSAFE_MARK = "Graded WITHOUT isolation"
CSV_COLUMNS = ("section", "exercise", "item", "value", "students")

Rows = list[tuple[str, dict[str, Any]]]


@dataclass
class ExerciseStats:
    """How the class did on one exercise."""

    name: str
    title: str
    max_score: float
    mean: float = 0.0
    students: dict[str, list[str]] = field(
        default_factory=lambda: {"full": [], "partial": [], "zero": []}
    )


@dataclass
class Group:
    """Students sharing one outcome (a mistake, a limit) on one exercise."""

    exercise: str
    item: str
    students: list[str]

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass
class ClassReport:
    """Everything report.html and report.csv show."""

    scores: dict[str, float]
    total: float
    exercises: list[ExerciseStats]
    mistakes: list[Group]
    limits: list[Group]
    tampering: list[Group]
    times: dict[str, float]
    unsafe: list[str]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.scores.values()) if self.scores else 0.0

    @property
    def hit_a_limit(self) -> list[str]:
        """Students with at least one exercise stopped by a limit."""
        return sorted({student for group in self.limits for student in group.students})


def _groups(found: Mapping[tuple[str, str], list[str]], order: list[str]) -> list[Group]:
    """Most students first, then in course order."""
    groups = [Group(ex, item, sorted(students)) for (ex, item), students in found.items()]
    rank = {name: index for index, name in enumerate(order)}
    return sorted(groups, key=lambda g: (-g.count, rank.get(g.exercise, len(rank)), g.item))


def build(rows: Rows, titles: Mapping[str, str] | None = None) -> ClassReport:
    """The class report of ``rows``: (student, results.json document) pairs."""
    titles = titles or {}
    stats: dict[str, ExerciseStats] = {}
    earned: dict[str, list[float]] = defaultdict(list)
    found: dict[str, dict[tuple[str, str], list[str]]] = {
        "mistake": defaultdict(list),
        "limit": defaultdict(list),
        "tampering": defaultdict(list),
    }
    for student, results in rows:
        for exercise in exercises(results):
            entry = stats.setdefault(
                exercise.name,
                ExerciseStats(exercise.name, titles.get(exercise.name, ""), exercise.max_score),
            )
            entry.students[exercise.status].append(student)
            earned[exercise.name].append(exercise.score)
            for mistake in exercise.mistakes():
                found["mistake"][(exercise.name, mistake)].append(student)
        for name, kind, section in incidents(results):
            found[section][(name, kind)].append(student)
    for name, entry in stats.items():
        entry.mean = statistics.fmean(earned[name])
    order = list(stats)
    return ClassReport(
        scores={student: float(results.get("score") or 0) for student, results in rows},
        total=float(rows[0][1].get("max_score") or 0) if rows else 0.0,
        exercises=list(stats.values()),
        mistakes=_groups(found["mistake"], order),
        limits=_groups(found["limit"], order),
        tampering=_groups(found["tampering"], order),
        times={s: float(r.get("execution_time") or 0) for s, r in rows},
        unsafe=[s for s, r in rows if str(r.get("output", "")).startswith(UNSAFE_MARK)],
    )


def report_csv(report: ClassReport) -> str:
    """One row per fact, ``section,exercise,item,value,students`` (students joined by ';')."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in report.exercises:
        for status, students in entry.students.items():
            writer.writerow(["pass_rate", entry.name, status, len(students), ";".join(students)])
    for section, groups in (
        ("mistake", report.mistakes),
        ("limit", report.limits),
        ("tampering", report.tampering),
    ):
        for group in groups:
            students = ";".join(group.students)
            writer.writerow([section, group.exercise, group.item, group.count, students])
    for student, seconds in report.times.items():
        writer.writerow(["grading_time", "", student, f"{seconds:g}", student])
    return buffer.getvalue()


def report_html(report: ClassReport, assignment: str = "c1w2") -> str:
    """The instructor's page: distribution, pass rates, mistakes, incidents, grading time."""
    histogram = figures.score_histogram(list(report.scores.values()), report.total)
    times = sorted(report.times.items(), key=lambda item: -item[1])
    seconds = list(report.times.values())
    return render(
        "report.html.j2",
        assignment=assignment,
        report=report,
        histogram=histogram,
        median=statistics.median(report.scores.values()) if report.scores else 0,
        times=times,
        median_time=statistics.median(seconds) if seconds else 0,
        total_time=sum(seconds),
    )


def write_class_report(
    out_dir: Path, rows: Rows, titles: Mapping[str, str] | None = None, assignment: str = "c1w2"
) -> tuple[Path, Path]:
    """Write ``out_dir/report.html`` and ``out_dir/report.csv``; return their paths."""
    report = build(rows, titles)
    html_path, csv_path = out_dir / REPORT_HTML, out_dir / REPORT_CSV
    write_atomically(html_path, report_html(report, assignment))
    write_atomically(csv_path, report_csv(report))
    return html_path, csv_path
