"""``autograder gradescope`` builds a zip laid out as Gradescope's specification asks."""

from __future__ import annotations

import stat
import subprocess
import zipfile
from pathlib import Path

from click.testing import CliRunner

from autograder.cli import cli
from autograder.gradescope import package_files


def test_the_zip_has_the_two_scripts_at_its_root_and_the_grader(tmp_path: Path) -> None:
    out = tmp_path / "gs.zip"
    result = CliRunner().invoke(cli, ["gradescope", "c1w2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in archive.infolist()}
        runner = archive.read("run_autograder").decode()
        setup = archive.read("setup.sh").decode()
    assert {"setup.sh", "run_autograder", "course.yaml", "pyproject.toml", "README.md"} <= names
    assert {"autograder/gradescope/run.py", "autograder/grade/one.py"} <= names
    assert "autograder/report/templates/feedback.html.j2" in names  # package data too
    assert "release/c1w2/fashion_mnist.ipynb" in names  # its read-only cells run as released
    assert len([n for n in names if n.startswith("autograder/")]) == len(package_files())
    assert not any("__pycache__" in n or n.startswith("source/") for n in names)
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, f"{script} is not executable"
    assert runner.startswith("#!/usr/bin/env bash") and "gradescope.run c1w2" in runner
    assert "pip install -q -e" in setup and "bubblewrap" in setup
    assert "fashion_mnist.load_data()" in setup


def test_an_unknown_assignment_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["gradescope", "c9", "--out", str(tmp_path / "x.zip")])
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: unknown assignment 'c9' (course.yaml has: c1w2)\n",
    )
    assert not (tmp_path / "x.zip").exists()


def test_both_scripts_are_valid_bash(tmp_path: Path) -> None:
    out = tmp_path / "gs.zip"
    assert CliRunner().invoke(cli, ["gradescope", "c1w2", "--out", str(out)]).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        archive.extractall(tmp_path / "source")
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", tmp_path / "source" / script], capture_output=True)
        assert done.returncode == 0, done.stderr
