"""The instructor's view of a batch: ``report.html`` and ``report.csv`` from the results.json
documents (so a resumed batch reports the same as an uninterrupted one).

It shows the score distribution (a histogram and its table), each exercise's full/partial/zero
counts, the most common mistakes (each failed sub-check once, with the points it cost the class
and one student's feedback as an example; a student's unwritten exercises as one line, and a
submission that could not be imported as one line with its reason), the
submissions that hit a limit or whose data was not trusted, and how long each took to grade.
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
from urllib.parse import quote

from autograder.outcome import Lateness, Outcome
from autograder.report import FEEDBACK_FILE, figures, tables, write_atomically
from autograder.report.compare import Regrade, describe
from autograder.report.parse import exercises, incidents, submission
from autograder.report.templating import render

REPORT_HTML, REPORT_CSV = "report.html", "report.csv"
CSV_COLUMNS = ("section", "exercise", "item", "value", "students")
UNWRITTEN = "exercises left unwritten"  # one group for every student who left some unwritten
NOT_IMPORTED = "submissions that could not be imported"  # one group, a line per student

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
    """Students sharing one outcome (a mistake, a limit) on one exercise (``exercise`` empty for
    the unwritten exercises, whose ``details`` say which, one line per student)."""

    exercise: str
    item: str
    students: list[str]
    points: float = 0.0  # what it cost the class
    details: dict[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.students)

    @property
    def example(self) -> str:
        """A relative link to one student's feedback on it (the first student by name)."""
        anchor = f"#{self.exercise}" if self.exercise else ""
        return f"{quote(self.students[0])}/{FEEDBACK_FILE}{anchor}" if self.students else ""


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
    unwritten: dict[str, list[str]] = field(default_factory=dict)  # student -> exercises
    not_imported: dict[str, str] = field(default_factory=dict)  # student -> why
    lateness: dict[str, Lateness] = field(default_factory=dict)  # only with a deadline set

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


def _unwritten(left: Mapping[str, list[tuple[str, float]]], exercise_count: int) -> Group:
    """One group for the unwritten exercises: a line per student, however many they left."""
    details = {}
    for student in sorted(left):
        names = [name for name, _ in left[student]]
        which = "" if len(names) == exercise_count else f" ({', '.join(names)})"
        details[student] = f"left {len(names)} of {exercise_count} exercises unwritten{which}"
    points = sum(lost for exercises_left in left.values() for _, lost in exercises_left)
    return Group("", UNWRITTEN, sorted(left), points, details)


def import_reason(detail: str) -> str:
    """Why a submission could not be imported, from its record's detail (the exception type,
    or ``notebook`` for a file that is not a notebook)."""
    if detail == "notebook":
        return "not a readable notebook"
    return f"raises {detail or 'an exception'} on import"


def _not_imported(lost: Mapping[str, tuple[str, float]]) -> Group:
    """One group for the submissions that could not be imported: a line per student, not one
    entry per exercise."""
    details = {
        student: f"could not be imported: {import_reason(detail)}"
        for student, (detail, _) in sorted(lost.items())
    }
    points = sum(points for _, points in lost.values())
    return Group("", NOT_IMPORTED, sorted(lost), points, details)


def _mistakes(
    found: Mapping[tuple[str, str], list[str]],
    points: Mapping[tuple[str, str], float],
    whole: list[Group],
    order: list[str],
) -> list[Group]:
    """Each mistake once, the ones that cost the class the most points first; ``whole``: the
    groups of a line per student (unwritten exercises, a submission not imported)."""
    groups = _groups(found, order)
    for group in groups:
        group.points = points[(group.exercise, group.item)]
    groups.extend(whole)
    rank = {name: index for index, name in enumerate(order)}
    return sorted(
        groups,
        key=lambda g: (-g.points, -g.count, rank.get(g.exercise, len(rank)), g.item),
    )


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
    cost: dict[tuple[str, str], float] = defaultdict(float)
    left: dict[str, list[tuple[str, float]]] = defaultdict(list)
    unimported: dict[str, tuple[str, float]] = {}  # student -> (why, points lost)
    exercise_count = 0
    for student, results in rows:
        graded = exercises(results)
        loaded = submission(results)
        if loaded.outcome is Outcome.NOT_IMPORTED:
            lost = sum(
                e.max_score - e.score for e in graded if e.outcome is Outcome.NOT_IMPORTED
            )
            unimported[student] = (loaded.detail, lost)
        exercise_count = max(exercise_count, len(graded))
        for exercise in graded:
            entry = stats.setdefault(
                exercise.name,
                ExerciseStats(exercise.name, titles.get(exercise.name, ""), exercise.max_score),
            )
            entry.students[exercise.status].append(student)
            earned[exercise.name].append(exercise.score)
            if exercise.outcome is Outcome.NOT_WRITTEN and exercise.score < exercise.max_score:
                left[student].append((exercise.name, exercise.max_score - exercise.score))
                continue
            if exercise.outcome is Outcome.NOT_IMPORTED and student in unimported:
                continue  # counted once for the student, not once per exercise
            for mistake, lost in exercise.mistakes():
                found["mistake"][(exercise.name, mistake)].append(student)
                cost[(exercise.name, mistake)] += lost
        for name, kind, section in incidents(results):
            found[section][(name, kind)].append(student)
    for name, entry in stats.items():
        entry.mean = statistics.fmean(earned[name])
    order = list(stats)
    whole: list[Group] = [_unwritten(left, exercise_count)] if left else []
    whole += [_not_imported(unimported)] if unimported else []
    return ClassReport(
        scores={student: float(results.get("score") or 0) for student, results in rows},
        total=float(rows[0][1].get("max_score") or 0) if rows else 0.0,
        exercises=list(stats.values()),
        mistakes=_mistakes(found["mistake"], cost, whole, order),
        limits=_groups(found["limit"], order),
        tampering=_groups(found["tampering"], order),
        times={s: float(r.get("execution_time") or 0) for s, r in rows},
        unsafe=[s for s, r in rows if submission(r).unsafe],
        unwritten={student: [name for name, _ in left[student]] for student in sorted(left)},
        not_imported={s: import_reason(detail) for s, (detail, _) in sorted(unimported.items())},
        lateness={
            student: late
            for student, results in sorted(rows)
            if (late := submission(results).lateness) is not None
        },
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
            joined = ";".join(group.students)
            writer.writerow([section, group.exercise, group.item, group.count, joined])
    for student, names in report.unwritten.items():
        writer.writerow(["unwritten", ";".join(names), student, len(names), student])
    for student, why in report.not_imported.items():
        writer.writerow(["not_imported", "", student, why, student])
    for student, late in report.lateness.items():
        for item, value in (
            ("hours_late", late.hours_late),
            ("raw_score", late.raw_score),
            ("penalty", late.penalty),
            ("final_score", late.final_score),
        ):
            writer.writerow(["late", "", item, f"{value:g}", student])
    for student, seconds in report.times.items():
        writer.writerow(["grading_time", "", student, f"{seconds:g}", student])
    return buffer.getvalue()


def report_html(
    report: ClassReport, assignment: str = "", regrade: Regrade | None = None
) -> str:
    """The instructor's page: distribution, pass rates, mistakes, incidents, grading time."""
    scores = list(report.scores.values())
    histogram = figures.score_histogram(scores, report.total)
    times = sorted(report.times.items(), key=lambda item: -item[1])
    seconds = list(report.times.values())
    return render(
        "report.html.j2",
        assignment=assignment,
        report=report,
        histogram=histogram,
        histogram_alt=tables.histogram_alt(scores, report.total),
        histogram_table=tables.histogram_table(scores, report.total),
        median=statistics.median(report.scores.values()) if report.scores else 0,
        times=times,
        median_time=statistics.median(seconds) if seconds else 0,
        total_time=sum(seconds),
        regrade=regrade,
        describe=describe,
    )


def write_class_report(
    out_dir: Path,
    rows: Rows,
    titles: Mapping[str, str] | None = None,
    assignment: str = "",
    regrade: Regrade | None = None,
) -> tuple[Path, Path]:
    """Write ``out_dir/report.html`` (with the regrade preview's section when given) and
    ``out_dir/report.csv``; return their paths."""
    report = build(rows, titles)
    html_path, csv_path = out_dir / REPORT_HTML, out_dir / REPORT_CSV
    write_atomically(html_path, report_html(report, assignment, regrade))
    write_atomically(csv_path, report_csv(report))
    return html_path, csv_path
