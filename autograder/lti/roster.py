"""Who each student is in the LMS: the student's folder name (in the graded folder) -> the LTI
user id the platform knows them by, from the course's Names and Role Provisioning Services
membership (by one member field, e.g. ``email``) or from a roster CSV file."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from autograder.errors import GraderError

CSV_COLUMNS = ("student_id", "user_id")


class Member(BaseModel):
    """One member of the course as NRPS lists it (the fields a roster may match on)."""

    model_config = ConfigDict(extra="allow", frozen=True, coerce_numbers_to_str=True)

    user_id: str
    status: str = "Active"
    roles: list[str] = []


class RosterRow(BaseModel):
    """One row of a roster CSV file."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    student_id: str
    user_id: str


def _key(value: Any) -> str:
    return str(value).strip().casefold()


@dataclass
class Roster:
    """Student -> LMS user id, and the sentence that says why a student has none."""

    source: str  # what the ids came from, for the lines that name it
    fix: str  # how to add a student the LMS does not know
    ids: dict[str, list[str]] = field(default_factory=dict)  # casefolded student -> user ids

    def user_id(self, student: str) -> str:
        """The student's LMS user id; a LookupError with the one line to report if none."""
        found = sorted(set(self.ids.get(_key(student), [])))
        if not found:
            raise LookupError(f"the LMS does not know this student ({self.source}): {self.fix}")
        if len(found) > 1:
            raise LookupError(
                f"{len(found)} LMS users match this student in {self.source} "
                f"({', '.join(found)}): map the student in a roster_file instead"
            )
        return found[0]


def from_members(members: Iterable[Mapping[str, Any]], roster_field: str) -> Roster:
    """The roster of NRPS members by ``roster_field`` (a member field: ``email``,
    ``lis_person_sourcedid``, ``user_id``...), members the platform lists as deleted left out."""
    roster = Roster(
        source=f"no course member's {roster_field} is it",
        fix=(
            "enrol them in the LMS course, or set roster_field in the platform file to the "
            "member field that holds students' folder names"
        ),
    )
    for raw in members:
        try:
            member = Member.model_validate(raw)
        except ValidationError:
            continue  # a member without a user id cannot be given a score
        value = (member.model_extra or {}).get(roster_field, None)
        if roster_field == "user_id":
            value = member.user_id
        if member.status == "Deleted" or value in (None, ""):
            continue
        roster.ids.setdefault(_key(value), []).append(member.user_id)
    return roster


def from_csv(path: Path) -> Roster:
    """The roster of a CSV file with a header row naming ``student_id`` and ``user_id``."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
    except OSError as exc:
        raise GraderError(f"roster_file {path}: {exc.strerror or 'unreadable'}") from None
    except (UnicodeDecodeError, csv.Error):
        raise GraderError(f"roster_file {path} is not a UTF-8 CSV file") from None
    roster = Roster(
        source=f"no row of roster_file {path} names it",
        fix=f"add a row `STUDENT,LMS_USER_ID` to {path}",
    )
    for line, raw in enumerate(rows, start=2):
        try:
            row = RosterRow.model_validate(raw)
        except ValidationError:
            raise GraderError(
                f"roster_file {path} line {line}: needs the columns {', '.join(CSV_COLUMNS)} "
                "(a header row, then one student a line)"
            ) from None
        if row.student_id.strip() and row.user_id.strip():
            roster.ids.setdefault(_key(row.student_id), []).append(row.user_id.strip())
    return roster
