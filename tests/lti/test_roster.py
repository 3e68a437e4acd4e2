"""Mapping student folder names to LMS user ids: by an NRPS member field, or a CSV file."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.errors import GraderError
from autograder.lti.roster import from_csv, from_members

MEMBERS = [
    {"user_id": 17, "email": "Ann@Uni.example", "status": "Active"},  # Moodle-like numeric id
    {"user_id": "u-2", "email": "ben@uni.example"},
    {"user_id": "u-3", "email": "ben@uni.example"},  # two accounts, one address
    {"user_id": "u-4", "email": "cy@uni.example", "status": "Deleted"},
    {"email": "no-id@uni.example"},  # no user id: cannot be given a score
]


def test_members_match_on_the_field_case_blind_and_deleted_ones_do_not() -> None:
    roster = from_members(MEMBERS, "email")
    assert roster.user_id("ann@uni.example") == "17"
    with pytest.raises(LookupError, match=r"^2 LMS users match this student .*\(u-2, u-3\)"):
        roster.user_id("ben@uni.example")
    for unknown in ("cy@uni.example", "no-id@uni.example", "ann"):
        with pytest.raises(LookupError, match="the LMS does not know this student"):
            roster.user_id(unknown)


def test_user_id_itself_can_be_the_field() -> None:
    assert from_members(MEMBERS, "user_id").user_id("u-2") == "u-2"


def test_a_roster_file_maps_by_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("\ufeffstudent_id,user_id\nann,17\nben, u-2 \n,u-9\n")
    roster = from_csv(path)
    assert (roster.user_id("Ann"), roster.user_id("ben")) == ("17", "u-2")
    with pytest.raises(LookupError, match=f"add a row `STUDENT,LMS_USER_ID` to {path}"):
        roster.user_id("cy")


def test_a_roster_file_without_the_columns_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("student,lms_id\nann,17\n")
    with pytest.raises(GraderError) as raised:
        from_csv(path)
    assert str(raised.value) == (
        f"roster_file {path} line 2: needs the columns student_id, user_id (a header row, "
        "then one student a line)"
    )
