"""A late class: nbgrader's submitted layout (``submitted/<student>/c1w2/fashion_mnist.py`` with
its ``timestamp.txt``) around one deadline, and the course.yaml deadline it is graded under.

Due 2026-12-01 23:59 in New York (2026-12-02 04:59 UTC); 1 percent of the raw score per started
hour late, at most 50 percent, refused (0) past 96 hours; ``extended`` and ``extended_late``
have 48 hours more. The penalties below are worked out by hand from that policy.

    python tests/corpus/late_class.py DIR   writes DIR/course (course.yaml with the deadline,
    the release) and DIR/submitted/ (the solution for every student), to grade with
    autograder --course DIR/course grade c1w2 DIR/submitted --out DIR/graded
"""

from __future__ import annotations

import copy
import os
import shutil
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from autograder.grade.submissions import Submission

DUE_UTC = datetime(2026, 12, 2, 4, 59, tzinfo=timezone.utc)
DEADLINE_YAML = """\
    deadline:
      due: 2026-12-01 23:59 America/New_York
      extensions: {extended: 48, extended_late: 48}
      late: {penalty: 1, per: hour, unit: percent, cap: 50, cutoff_hours: 96}
"""

# student -> (how late against the class due time, the timestamp.txt text or None for none)
SUBMITTED = {
    "ontime": (timedelta(hours=-1), "2026-12-01 22:59:00 America/New_York"),
    "late_hours": (timedelta(hours=3, minutes=30), "2026-12-02 08:29:00.000000 UTC"),
    "late_days": (timedelta(days=2, hours=1), "2026-12-04 05:59:00.000000 UTC"),
    "extended": (timedelta(hours=30), "2026-12-03 10:59:00 UTC"),
    "extended_late": (timedelta(hours=50), "2026-12-04T06:59:00+00:00"),
    "past_cutoff": (timedelta(days=5), "2026-12-07 04:59:00.000000 UTC"),
    "no_timestamp": (timedelta(hours=10), None),  # the file's modification time
}

# What the policy gives a submission whose raw score is 88, by hand:
# (hours late, extension hours, penalty, final score).
EXPECTED_AT_88 = {
    "ontime": (0, 0, 0, 88),
    "late_hours": (3.5, 0, 3.52, 84.48),  # 4 started hours: 4% of 88
    "late_days": (49, 0, 43.12, 44.88),  # 49 hours: 49% of 88
    "extended": (0, 48, 0, 88),  # 30 hours after the class's due time, within 48
    "extended_late": (2, 48, 1.76, 86.24),  # 2 hours past the extension: 2%
    "past_cutoff": (120, 0, 88, 0),  # past 96 hours: refused
    "no_timestamp": (10, 0, 8.8, 79.2),  # from the file's mtime: 10%
}


class Replay:
    """A grading backend answering every submission with the same results.json document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def __call__(self, _assignment: Any, _unsafe: bool) -> Replay:
        return self

    def describe(self) -> str:
        return "replaying one sandboxed result"

    def grade(self, todo: list[Submission]) -> Iterator[tuple[Submission, dict[str, Any], list]]:
        for item in todo:
            yield item, copy.deepcopy(self.document), []

    def close(self) -> None:
        pass


def course_folder(tmp: Path, kit: Path, with_deadline: bool = True) -> Path:
    """A course directory: the kit's course.yaml (with the late class's deadline) and its
    release."""
    course = tmp / "course"
    shutil.copytree(kit / "release" / "c1w2", course / "release" / "c1w2")
    text = (kit / "course.yaml").read_text()
    (course / "course.yaml").write_text(course_with_deadline(text) if with_deadline else text)
    return course


def course_with_deadline(course_yaml: str) -> str:
    """``course_yaml`` (the kit's) with the late class's deadline under assignment c1w2."""
    anchor = "    limits:\n"
    assert anchor in course_yaml
    return course_yaml.replace(anchor, DEADLINE_YAML + anchor, 1)


def write_late_class(root: Path, source: str) -> Path:
    """``root/submitted/<student>/c1w2/`` for each student of SUBMITTED, each submitting
    ``source``; return ``root/submitted``."""
    submitted = root / "submitted"
    for student, (late, stamp) in SUBMITTED.items():
        folder = submitted / student / "c1w2"
        folder.mkdir(parents=True)
        module = folder / "fashion_mnist.py"
        module.write_text(source)
        if stamp is None:
            moment = (DUE_UTC + late).timestamp()
            os.utime(module, (moment, moment))
        else:
            (folder / "timestamp.txt").write_text(stamp + "\n")
    return submitted


if __name__ == "__main__":
    target = Path(sys.argv[1])
    kit = Path(__file__).resolve().parents[2]
    target.mkdir(parents=True)
    print(course_folder(target, kit))
    solution = (kit / "solutions" / "c1w2" / "fashion_mnist.py").read_text()
    print(write_late_class(target, solution))
