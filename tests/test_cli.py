"""The command line: exact messages and exit codes (1 for user errors, 2 for usage)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder.cli import cli
from tests.conftest import EXERCISES


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
    assert results["score"] == 0 and len(results["tests"]) == len(EXERCISES)
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


TF_NOISE = re.compile(r"absl|oneDNN|tensorflow|cpu_feature_guard|^[IWEF]\d{4} ", re.I)


@pytest.mark.slow
def test_grade_prints_no_tensorflow_log_lines(tmp_path: Path) -> None:
    """The real command in its own process (C++ logs reach file descriptor 2, which an
    in-process runner cannot see), without TF_CPP_MIN_LOG_LEVEL in its environment and with
    oneDNN asked for, as on a CPU where it is on by default: every line it prints is known."""
    from tests.conftest import STUB_MODULE

    submission = tmp_path / "stub" / "fashion_mnist.py"
    submission.parent.mkdir()
    submission.write_bytes(STUB_MODULE.read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"
    out = tmp_path / "graded"
    command = [str(Path(sys.executable).with_name("autograder")), "grade", "c1w2"]
    done = subprocess.run(
        [*command, str(submission.parent), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stderr.splitlines() if TF_NOISE.search(line)] == []
    assert re.fullmatch(r"isolation: [^\n]+\n", done.stderr), done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 5, done.stdout
    assert re.fullmatch(r"student\s+score\s+time\s+lost points on", lines[0])
    assert re.fullmatch(
        r"stub\s+0\s+\d+s\s+normalize, build_model, .*, normalization_effect", lines[1]
    )
    assert lines[2] == "1 submission(s) graded, mean score 0.0"
    assert lines[3].startswith(f"results: {out}/<student>/results.json and feedback.html, ")
    assert re.fullmatch(
        rf"graded 1 submission in (\d+s|\d+m\d\ds): mean 0.0, 0 hit a limit; "
        rf"report: {re.escape(str(out / 'report.html'))}",
        lines[4],
    ), lines[4]


def test_the_noise_pattern_sees_tensorflows_start_up_lines() -> None:
    seen = [
        "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR",
        "I0000 00:00:1796181579.248363   15783 port.cc:153] oneDNN custom operations are on.",
        "2026-12-02 03:00:00.000000: I tensorflow/core/util/port.cc:153] oneDNN custom ...",
    ]
    assert all(TF_NOISE.search(line) for line in seen)
    assert not TF_NOISE.search("isolation: bubblewrap (no network, read-only system)")
