"""The command line: exact messages and exit codes (1 for user errors, 2 for usage)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_unknown_assignment(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    code, _, err = run("grade", "c9", str(tmp_path / "a.py"))
    assert (code, err) == (1, "Error: unknown assignment 'c9' (course.yaml has: c1w2)\n")


def test_unreadable_path(tmp_path: Path) -> None:
    code, _, err = run("grade", "c1w2", str(tmp_path / "missing.py"))
    assert (code, err) == (
        1,
        f"Error: cannot read {tmp_path / 'missing.py'}: no such file or folder\n",
    )


def test_no_submission_is_a_usage_error() -> None:
    code, _, err = run("grade", "c1w2")
    assert code == 2
    assert "Missing argument 'SUBMISSIONS...'" in err


def test_json_wants_one_submission(tmp_path: Path) -> None:
    for name in ("a.py", "b.py"):
        (tmp_path / name).write_text("")
    code, _, err = run("grade", "c1w2", str(tmp_path / "a.py"), str(tmp_path / "b.py"), "--json")
    assert code == 2
    assert "Error: --json prints one results.json: give exactly one SUBMISSION" in err


def test_release_of_unknown_assignment() -> None:
    code, _, err = run("release", "c9")
    assert (code, err) == (1, "Error: unknown assignment 'c9' (course.yaml has: c1w2)\n")


@pytest.mark.slow
def test_an_empty_file_gets_a_result_with_json_on_stdout(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("")
    code, out, _ = run(
        "grade", "c1w2", str(tmp_path / "empty.py"), "--json", "--out", str(tmp_path / "graded")
    )
    assert code == 0
    results = json.loads(out)
    assert results["score"] == 0 and len(results["tests"]) == 12
    assert "no 'normalize' is defined" in results["tests"][0]["output"]
    assert (tmp_path / "graded" / "empty" / "results.json").exists()


@pytest.mark.slow
def test_grade_prints_the_summary_line_and_no_bar_when_not_a_terminal(feedback_class) -> None:
    out, result, documents = feedback_class
    mean = sum(d["score"] for d in documents.values()) / len(documents)
    last = result.stdout.splitlines()[-1]
    assert re.fullmatch(
        rf"graded 3 submissions in (\d+s|\d+m\d\ds): mean {mean:.1f}, 0 hit a limit; "
        rf"report: {re.escape(str(out / 'report.html'))}",
        last,
    ), last
    assert result.stderr.startswith("isolation: ")
    assert "grading" not in result.stderr and "%|" not in result.stderr  # no bar on a pipe
