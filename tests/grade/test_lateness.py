"""Deadlines, fast: course.yaml's deadline settings (one line naming the key and the fix), the
late policy's arithmetic, and where a submission time is read from (nbgrader's timestamp.txt,
Gradescope's metadata, the file's modification time)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder.config import Deadline, load_course
from autograder.errors import GraderError
from autograder.grade.lateness import FROM_MTIME, read_timestamp, submission_time
from autograder.grade.submissions import Submission
from autograder.gradescope.run import created_at
from tests.conftest import ROOT
from tests.corpus.late_class import EXPECTED_AT_88, SUBMITTED


def _course_yaml(tmp_path: Path, deadline: str, students: str = "") -> Path:
    text = (ROOT / "course.yaml").read_text()
    text = text.replace("    limits:\n", deadline + "    limits:\n", 1)
    if students:
        text = text.replace("assignments:\n", f"students: {students}\nassignments:\n", 1)
    path = tmp_path / "course.yaml"
    path.write_text(text)
    return path


def test_a_due_time_without_a_zone_is_refused_naming_the_key(tmp_path: Path) -> None:
    path = _course_yaml(tmp_path, "    deadline: {due: 2026-12-01 23:59:00}\n")
    with pytest.raises(GraderError) as caught:
        load_course(path)
    assert str(caught.value) == (
        f"{path}: assignments.c1w2.deadline.due: the due time '2026-12-01 23:59:00' has no time "
        "zone: write it with its UTC offset (2026-12-01T23:59:00-05:00) or its time zone "
        "(2026-12-01 23:59 America/New_York)"
    )
    zoned = _course_yaml(tmp_path, "    deadline: {due: 2026-12-01 23:59 Europe/Paris}\n")
    deadline = load_course(zoned).assignment("c1w2").deadline
    assert deadline is not None
    assert deadline.due_for("anyone")[0] == datetime(2026, 12, 1, 22, 59, tzinfo=timezone.utc)


def test_an_extension_for_a_student_off_the_roster_is_refused(tmp_path: Path) -> None:
    deadline = "    deadline: {due: '2026-12-01T23:59:00Z', extensions: {bob: 24}}\n"
    path = _course_yaml(tmp_path, deadline, students="[ana, bob]")
    assert load_course(path).assignment("c1w2").deadline.due_for("bob")[1] == 24
    path = _course_yaml(tmp_path, deadline, students="[ana, rob]")
    with pytest.raises(GraderError) as caught:
        load_course(path)
    assert str(caught.value) == (
        f"{path}: assignments.c1w2.deadline.extensions.bob: no student 'bob' on the roster "
        "(students:): correct the id or add the student to students"
    )
    assert load_course(_course_yaml(tmp_path, deadline)).students == []  # no roster: any id


def test_a_deadline_changes_no_release() -> None:
    course = load_course(ROOT / "course.yaml").assignment("c1w2")
    due = Deadline.model_validate({"due": "2026-12-01T23:59:00Z"})
    assert course.model_copy(update={"deadline": due}).values() == course.values()


@pytest.mark.parametrize(
    ("late", "seconds", "raw", "expected"),
    [
        ({"penalty": 10, "per": "day", "unit": "points"}, 1, 80, (10, False)),  # a started day
        ({"penalty": 10, "per": "day", "unit": "points"}, 86400, 80, (10, False)),
        ({"penalty": 10, "per": "day", "unit": "points"}, 86401, 80, (20, False)),
        ({"penalty": 10, "per": "day", "unit": "points", "cap": 25}, 5 * 86400, 80, (25, False)),
        ({"penalty": 30, "per": "day", "unit": "points"}, 4 * 86400, 80, (80, False)),  # <= raw
        ({"penalty": 5, "per": "hour", "unit": "percent"}, 2 * 3600, 80, (8, False)),
        ({"penalty": 0, "cutoff_hours": 24}, 24 * 3600, 80, (0, False)),
        ({"penalty": 0, "cutoff_hours": 24}, 24 * 3600 + 1, 80, (80, True)),
        ({"penalty": 10}, 0, 80, (0, False)),  # on time
    ],
)
def test_the_late_policy(late, seconds, raw, expected) -> None:
    policy = Deadline.model_validate({"due": "2026-12-01T23:59:00Z", "late": late}).late
    assert policy.penalty_for(raw, seconds) == expected


def test_submission_times(tmp_path: Path) -> None:
    folder = tmp_path / "ana" / "c1w2"
    folder.mkdir(parents=True)
    module = folder / "fashion_mnist.py"
    module.write_text("")
    found = submission_time(Submission("ana", module))
    assert found is not None and found[1] == FROM_MTIME
    (folder / "timestamp.txt").write_text("2026-12-01 18:00:00 America/New_York\n")
    assert submission_time(Submission("ana", module)) == (
        datetime(2026, 12, 1, 23, 0, tzinfo=timezone.utc),
        "timestamp.txt",
    )
    (folder / "timestamp.txt").write_text("last tuesday\n")
    with pytest.raises(GraderError, match=r"timestamp.txt holds no time nbgrader can read"):
        read_timestamp(folder / "timestamp.txt")
    # Gradescope: the submission metadata's created_at, which run_autograder writes there
    (tmp_path / "submission_metadata.json").write_text(
        json.dumps({"created_at": "2026-12-01T18:30:00.123456-05:00", "id": 1})
    )
    stamp = created_at(tmp_path)
    assert stamp == "2026-12-01T18:30:00.123456-05:00"
    (folder / "timestamp.txt").write_text(stamp)
    assert read_timestamp(folder / "timestamp.txt") == datetime(
        2026, 12, 1, 23, 30, 0, 123456, tzinfo=timezone.utc
    )
    (tmp_path / "submission_metadata.json").write_text('{"created_at": "soon"}')
    assert created_at(tmp_path) is None


def test_every_student_of_the_corpus_is_expected() -> None:
    assert set(SUBMITTED) == set(EXPECTED_AT_88)
