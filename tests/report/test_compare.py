"""The regrade preview: who changes between two graded folders, by how much, which sub-checks,
grouped by cause; a change only the late penalty explains says so. The results.json documents
are made by the grader's own functions (``results_json``, ``with_lateness``), the batch by
``autograder.grade.main`` with a backend handing them back."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from autograder import grade
from autograder.checks.result import ExerciseResult
from autograder.config import Deadline, load_course
from autograder.errors import GraderError
from autograder.grade.lateness import FROM_TIMESTAMP, assess, with_lateness
from autograder.grade.results import results_json
from autograder.report.compare import (
    LATE_ONLY,
    ONLY_NEW,
    ONLY_OLD,
    REGRADE_CSV,
    compare,
    regrade_text,
)
from tests.conftest import EXERCISES, ROOT
from tests.corpus.late_class import Replay

POINTS = {
    e: s.points for e, s in load_course(ROOT / "course.yaml").assignment("c1w2").exercises.items()
}


def document(scaled: bool = True, shape: bool = True) -> dict[str, Any]:
    """A results.json: full marks but for normalize's two sub-checks as given."""
    results = []
    for exercise in EXERCISES:
        result = ExerciseResult(exercise, POINTS[exercise])
        if exercise == "normalize":
            result.add("same shape", 4, shape, "ok", "keep the shape")
            result.add("scaled to 0-1", 6, scaled, "ok", "divide by 255.0")
        else:
            result.add("works", POINTS[exercise], True, "ok", "")
        results.append(result)
    return results_json(results, 100, 1.0, "")


def late(results: dict[str, Any], hours: float) -> dict[str, Any]:
    deadline = Deadline.model_validate(
        {"due": "2026-12-01T12:00:00Z", "late": {"penalty": 5, "per": "hour", "unit": "points"}}
    )
    submitted = datetime(2026, 12, 1, 12, tzinfo=timezone.utc) + timedelta(hours=hours)
    lateness = assess(deadline, "x", submitted, FROM_TIMESTAMP, float(results["score"]))
    return with_lateness(results, lateness)


def write_folder(folder: Path, documents: dict[str, dict[str, Any]]) -> Path:
    for student, results in documents.items():
        (folder / student).mkdir(parents=True)
        (folder / student / "results.json").write_text(json.dumps(results))
    return folder


def test_each_change_by_cause(tmp_path: Path) -> None:
    old = write_folder(
        tmp_path / "old",
        {
            "ana": document(scaled=False),  # the fixed check now passes her
            "bo": document(scaled=False),  # the same cause
            "chen": document(),  # unchanged
            "dee": late(document(), 1),  # only the late penalty changes (an extension)
            "eve": document(shape=False),  # another cause, and a lower score now
            "gone": document(),
        },
    )
    new = {
        "ana": document(),
        "bo": document(),
        "chen": document(),
        "dee": late(document(), 0),
        "eve": document(shape=False, scaled=False),
        "fay": document(),
    }
    regrade = compare(old, new)
    assert regrade.unchanged == 1
    changes = {c.student: c for c in regrade.changes}
    assert {s: (c.before, c.after, c.change) for s, c in changes.items()} == {
        "ana": (94, 100, 6),
        "bo": (94, 100, 6),
        "dee": (95, 100, 5),
        "eve": (96, 90, -6),
        "fay": (None, 100, 100),
        "gone": (100, None, -100),
    }
    groups = {cause: [c.student for c in found] for cause, found in regrade.groups().items()}
    assert groups == {
        "normalize: scaled to 0-1": ["ana", "bo", "eve"],
        LATE_ONLY: ["dee"],
        ONLY_NEW: ["fay"],
        ONLY_OLD: ["gone"],
    }
    assert list(groups)[0] == "normalize: scaled to 0-1"  # most students first
    assert [(c.exercise, c.check, c.before, c.after) for c in changes["ana"].checks] == [
        ("normalize", "scaled to 0-1", 0, 6)
    ]
    assert changes["ana"].exercises == {"normalize": (4, 10)}
    assert changes["dee"].exercises == {} and changes["dee"].penalty == (5, 0)
    text = regrade_text(regrade)
    assert "  late penalty only (1):\n    dee: 95 -> 100 (+5), late penalty 5 -> 0" in text
    assert "    eve: 96 -> 90 (-6), normalize/scaled to 0-1 6 -> 0" in text
    assert text.splitlines()[0].endswith("6 student(s) change, 1 stay the same")


def test_the_batch_writes_regrade_csv_and_a_report_section(tmp_path: Path) -> None:
    old = write_folder(tmp_path / "old", {"ana": document(scaled=False), "bo": document()})
    for student in ("ana", "bo"):
        (tmp_path / "class" / student).mkdir(parents=True)
        (tmp_path / "class" / student / "fashion_mnist.py").write_text("# graded by replay\n")
    seen = []
    grade.main(
        "c1w2",
        [tmp_path / "class"],
        tmp_path / "new",
        backend=Replay(document()),
        compare_to=old,
        on_regrade=seen.append,
    )
    (regrade,) = seen
    assert [c.student for c in regrade.changes] == ["ana"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "new" / REGRADE_CSV).read_text())))
    assert rows == [
        {
            "student": "ana",
            "before": "94",
            "after": "100",
            "change": "6",
            "cause": "normalize: scaled to 0-1",
            "exercises": "normalize",
            "checks": "normalize/scaled to 0-1",
        }
    ]
    page = (tmp_path / "new" / "report.html").read_text()
    assert 'id="regrade"' in page and "ana: 94 -&gt; 100 (+6)" in page


def test_a_bad_old_folder_is_refused_before_grading(tmp_path: Path) -> None:
    (tmp_path / "class" / "ana").mkdir(parents=True)
    (tmp_path / "class" / "ana" / "fashion_mnist.py").write_text("")
    with pytest.raises(GraderError, match=r"^--compare .*nothing: no such folder"):
        grade.main("c1w2", [tmp_path / "class"], tmp_path / "new", backend=Replay(document()),
                   compare_to=tmp_path / "nothing")  # fmt: skip
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraderError, match=r"no <student>/results.json in it"):
        grade.main("c1w2", [tmp_path / "class"], tmp_path / "new", backend=Replay(document()),
                   compare_to=tmp_path / "empty")  # fmt: skip
    with pytest.raises(GraderError, match=r"is --out itself"):
        grade.main("c1w2", [tmp_path / "class"], tmp_path / "new", backend=Replay(document()),
                   compare_to=tmp_path / "new")  # fmt: skip
    assert not (tmp_path / "new" / "grades.csv").exists()
