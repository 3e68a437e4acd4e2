"""``autograder lti push`` end to end against a real LTI 1.3 platform on loopback
(lti1p3platform behind FastAPI and uvicorn, tests/lti/lms.py): the tool's signed-JWT client
credentials, the line item created when missing, the roster from NRPS (in pages) or a CSV file,
and the journal that makes a second push send nothing and a regrade send only what changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from autograder.cli import cli
from autograder.config import ROOT, load_course
from autograder.lti.platform import key_id
from tests.lti.lms import CLIENT_ID, DEPLOYMENT_ID, ISSUER, Served, new_private_key, serve

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
# The course's members as NRPS lists them: the student folders are their SIS ids.
MEMBERS = [
    {
        "user_id": "u-1001",
        "lis_person_sourcedid": "alice",
        "email": "alice@uni.example",
        "name": "Alice A",
        "status": "Active",
        "roles": [LEARNER],
    },
    {
        "user_id": "u-1002",
        "lis_person_sourcedid": "bob",
        "email": "bob@uni.example",
        "name": "Bob B",
        "status": "Active",
        "roles": [LEARNER],
    },
    {
        "user_id": "u-1003",
        "lis_person_sourcedid": "Carol",
        "email": "carol@uni.example",
        "name": "Carol C",
        "status": "Active",
        "roles": [LEARNER],
    },
    {
        "user_id": "u-9000",
        "lis_person_sourcedid": "prof",
        "email": "prof@uni.example",
        "name": "Prof P",
        "status": "Active",
        "roles": [INSTRUCTOR],
    },
    {"user_id": "u-1004", "lis_person_sourcedid": "dave", "status": "Deleted", "roles": [LEARNER]},
]
SCORES = {"alice": 72.0, "bob": 100.0, "carol": 0.0}
TITLE = load_course().assignment("c1w2").title


@pytest.fixture(scope="module")
def tool_key() -> str:
    return new_private_key()


@pytest.fixture(scope="module")
def platform_key() -> str:
    return new_private_key()


@pytest.fixture(scope="module")
def tool_jwk(tool_key: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The public JWK `autograder lti key` prints, as an instructor pastes it into Canvas."""
    folder = tmp_path_factory.mktemp("key")
    (folder / "tool.pem").write_text(tool_key)
    settings = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "private_key_file": "tool.pem",
        "token_url": "https://lms.example.edu/token",
        "roster_file": "roster.csv",
        "lineitems_url": "https://lms.example.edu/api/lti/courses/42/line_items",
    }
    (folder / "lti.yaml").write_text(yaml.safe_dump(settings))
    printed = CliRunner().invoke(cli, ["lti", "key", "--platform", str(folder / "lti.yaml")])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert lines[0] == f"# public JWK (Canvas: Developer Key > Public JWK), kid {key_id(tool_key)}"
    assert "-----BEGIN PUBLIC KEY-----" in lines and "PRIVATE" not in printed.output
    jwk: dict[str, Any] = json.loads(lines[1])
    assert (jwk["kty"], jwk["alg"], jwk["use"]) == ("RSA", "RS256", "sig") and "d" not in jwk
    return jwk


@pytest.fixture(scope="module")
def running(tool_jwk: dict[str, Any], platform_key: str) -> Iterator[Served]:
    with serve(platform_key, tool_jwk, MEMBERS) as served:
        yield served


@pytest.fixture()
def lms(running: Served, monkeypatch: pytest.MonkeyPatch) -> Served:
    """The platform with a course of MEMBERS, no line item and no score yet."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # loopback, whatever proxy the machine has
    running.course.reset(MEMBERS)
    return running


def write_results(graded: Path, scores: dict[str, float]) -> Path:
    """What `autograder grade --out graded` writes, as far as a push reads it."""
    for student, score in scores.items():
        folder = graded / student
        folder.mkdir(parents=True, exist_ok=True)
        results = {
            "score": score,
            "max_score": 100,
            "execution_time": 1.0,
            "output": "",
            "tests": [{"name": "normalize", "score": 10, "max_score": 10}],
        }
        (folder / "results.json").write_text(json.dumps(results))
    return graded


def platform_file(tmp_path: Path, lms: Served, key: str, **changes: Any) -> Path:
    (tmp_path / "tool.pem").write_text(key)
    settings = {
        "issuer": ISSUER,
        "client_id": CLIENT_ID,
        "deployment_id": DEPLOYMENT_ID,
        "token_url": lms.token_url,
        "private_key_file": "tool.pem",
        "lineitems_url": lms.lineitems_url,
        "memberships_url": lms.memberships_url,
        "roster_field": "lis_person_sourcedid",
        **changes,
    }
    path = tmp_path / "lti.yaml"
    path.write_text(yaml.safe_dump({k: v for k, v in settings.items() if v is not None}))
    return path


def push(graded: Path, platform: Path) -> Result:
    return CliRunner().invoke(
        cli, ["lti", "push", "c1w2", str(graded), "--platform", str(platform)]
    )


def received(lms: Served) -> list[tuple[str, float]]:
    return [(score["userId"], score["scoreGiven"]) for score in lms.course.scores]


def test_every_score_once_then_nothing_then_only_the_changed_one(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    platform = platform_file(tmp_path, lms, tool_key)

    first = push(graded, platform)
    assert first.exit_code == 0, first.output
    assert sorted(received(lms)) == [("u-1001", 72.0), ("u-1002", 100.0), ("u-1003", 0.0)]
    for score in lms.course.scores:
        assert score["scoreMaximum"] == 100
        assert score["activityProgress"] == "Completed"
        assert score["gradingProgress"] == "FullyGraded"
    [item] = lms.course.lineitems.values()
    assert (item["tag"], item["label"], item["scoreMaximum"]) == ("c1w2", TITLE, 100)
    assert "(created)" in first.output and "sent 3 score(s), 0 unchanged" in first.output
    journal = json.loads((graded / "lti-journal.json").read_text())
    [sent] = journal["lineitems"].values()
    assert sent["lineitem"] == item["id"]
    assert {s: v["score"] for s, v in sent["students"].items()} == SCORES

    second = push(graded, platform)
    assert second.exit_code == 0, second.output
    assert len(lms.course.scores) == 3, "a second push sent scores again"
    assert len(lms.course.lineitems) == 1, "the line item was created twice"
    assert "(found)" in second.output and "sent 0 score(s), 3 unchanged" in second.output

    write_results(graded, {"bob": 88.5})  # a regrade changes one score
    third = push(graded, platform)
    assert third.exit_code == 0, third.output
    assert received(lms)[3:] == [("u-1002", 88.5)]
    assert "sent bob: 88.5/100" in third.output
    assert "sent 1 score(s), 2 unchanged" in third.output


def test_an_unknown_student_is_reported_and_the_others_go(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    graded = write_results(tmp_path / "graded", {**SCORES, "zoe": 55.0, "dave": 40.0})
    result = push(graded, platform_file(tmp_path, lms, tool_key))

    assert result.exit_code == 1
    assert sorted(received(lms)) == [("u-1001", 72.0), ("u-1002", 100.0), ("u-1003", 0.0)]
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"Error: student '{who}': the LMS does not know this student (no course member's "
        "lis_person_sourcedid is it): enrol them in the LMS course, or set roster_field in the "
        "platform file to the member field that holds students' folder names"
        for who in ("dave", "zoe")  # dave's membership was deleted
    ]
    assert "Traceback" not in result.output
    assert "sent 3 score(s), 0 unchanged since the last push, 2 failed" in result.output

    again = push(graded, platform_file(tmp_path, lms, tool_key))
    assert again.exit_code == 1 and len(lms.course.scores) == 3


def test_a_roster_file_maps_students_and_a_refused_score_is_reported(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    (tmp_path / "roster.csv").write_text(
        "student_id,user_id,name\nalice,u-1001,Alice\nbob,u-1002,Bob\ncarol,u-7777,Carol\n"
    )
    graded = write_results(tmp_path / "graded", SCORES)
    platform = platform_file(
        tmp_path, lms, tool_key, memberships_url=None, roster_file="roster.csv"
    )
    result = push(graded, platform)

    assert result.exit_code == 1
    assert sorted(received(lms)) == [("u-1001", 72.0), ("u-1002", 100.0)]
    assert result.stderr.strip() == (
        "Error: student 'carol': the platform refused the score for LMS user u-7777 (HTTP 422: "
        "User not found in course or is not a student): check that the student is enrolled, "
        "then push again"
    )
    journal = json.loads((graded / "lti-journal.json").read_text())
    [sent] = journal["lineitems"].values()
    assert sorted(sent["students"]) == ["alice", "bob"]


def test_a_wrong_key_is_rejected_with_one_line(
    tmp_path: Path, lms: Served, tool_key: str, platform_key: str
) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    # A key the platform never saw (its own), under the kid it knows: the signature fails.
    platform = platform_file(tmp_path, lms, platform_key, key_id=key_id(tool_key))
    result = push(graded, platform)

    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(
        f"Error: the platform refused the tool's key at token_url {lms.token_url} (HTTP 400: "
    ), line
    assert f"for client_id {CLIENT_ID}" in line and "Traceback" not in line
    assert lms.course.tokens_refused == 1 and lms.course.tokens_issued == 0
    assert lms.course.scores == [] and not (graded / "lti-journal.json").exists()


def test_an_unreachable_platform_is_one_line(tmp_path: Path, lms: Served, tool_key: str) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    closed = "http://127.0.0.1:9/login/oauth2/token"  # the discard port: nothing listens
    result = push(graded, platform_file(tmp_path, lms, tool_key, token_url=closed))

    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: cannot reach the platform at token_url {closed} (ConnectionError): check "
        "token_url in the platform file and that this machine reaches it"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"client_id": None},
            "lti.yaml: client_id is missing: set it to the Client ID the "
            "platform gave the tool (Canvas: the developer key's id)",
        ),
        ({"memberships_url": None}, "lti.yaml: memberships_url or roster_file: set one"),
        (
            {"private_key_file": "missing.pem"},
            "private_key_file {tmp}/missing.pem: No such "
            "file or directory (the tool's private RSA key (PEM), whose public key the platform "
            "has)",
        ),
        ({"line_items_url": "x"}, "lti.yaml: line_items_url: unknown setting"),
    ],
)
def test_a_bad_platform_file_is_one_line_naming_the_setting(
    tmp_path: Path, lms: Served, tool_key: str, change: dict[str, Any], expected: str
) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    result = push(graded, platform_file(tmp_path, lms, tool_key, **change))

    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("Error: ") and expected.format(tmp=tmp_path) in line, line
    assert lms.course.tokens_issued == 0 and lms.course.scores == []


def test_no_platform_file_says_where_to_write_one(tmp_path: Path) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    result = push(graded, tmp_path / "lti.yaml")
    assert result.exit_code == 1
    assert f"no LTI platform file {tmp_path / 'lti.yaml'}: write one as the README" in result.output


def test_the_platform_file_is_lti_yaml_beside_course_yaml(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    course = tmp_path / "course"
    course.mkdir()
    (course / "course.yaml").write_text((ROOT / "course.yaml").read_text())
    platform_file(course, lms, tool_key)
    graded = write_results(tmp_path / "graded", {"alice": 72.0})
    result = CliRunner().invoke(cli, ["--course", str(course), "lti", "push", "c1w2", str(graded)])

    assert result.exit_code == 0, result.output
    assert received(lms) == [("u-1001", 72.0)]


def test_the_journal_lists_each_score_before_the_next_is_sent(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    journal = graded / "lti-journal.json"
    seen: list[list[str]] = []

    def look(_score: dict[str, Any]) -> None:
        if not journal.exists():
            seen.append([])
            return
        [sent] = json.loads(journal.read_text())["lineitems"].values()
        seen.append(sorted(sent["students"]))

    lms.course.on_score = look
    result = push(graded, platform_file(tmp_path, lms, tool_key))

    assert result.exit_code == 0, result.output
    assert seen == [[], ["alice"], ["alice", "bob"]]


def test_moodle_shaped_urls_keep_their_query(tmp_path: Path, lms: Served, tool_key: str) -> None:
    """Moodle's line items URL is .../lineitems?typeid=N, and so is each line item's: the
    scores go to .../scores?typeid=N."""
    graded = write_results(tmp_path / "graded", {"alice": 72.0})
    platform = platform_file(tmp_path, lms, tool_key, lineitems_url=lms.lineitems_url + "?typeid=3")
    result = push(graded, platform)

    assert result.exit_code == 0, result.output
    [score] = lms.course.scores
    assert (score["userId"], score["query"]) == ("u-1001", "typeid=3")
    assert score["lineitem"].endswith("/line_items/1?typeid=3")


def test_a_score_the_grader_failed_on_is_held_back(
    tmp_path: Path, lms: Served, tool_key: str
) -> None:
    graded = write_results(tmp_path / "graded", SCORES)
    results = json.loads((graded / "bob" / "results.json").read_text())
    results["extra_data"] = {"outcome": "graded"}
    results["tests"][0]["extra_data"] = {"outcome": "grader_fault", "detail": "judge"}
    (graded / "bob" / "results.json").write_text(json.dumps(results))
    result = push(graded, platform_file(tmp_path, lms, tool_key))

    assert result.exit_code == 1
    assert sorted(received(lms)) == [("u-1001", 72.0), ("u-1003", 0.0)]
    assert result.stderr.strip() == (
        "Error: student 'bob': not sent: the grader failed on exercise 'normalize' "
        "(grader_fault); regrade it, then push again"
    )
