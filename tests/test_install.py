"""The README's set-up (``make setup``: ``pip install -e '.[dev]'``) prints no build-tool warning
a newcomer would stop at. The editable install is made for real, into a fresh environment, with
this environment's pip (``--python``) and quiet as the Makefile runs it (``-q``); the same run on
a flat-layout project without ``package-dir`` shows setuptools' warning, so the check can fail."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
WARNING = "Please be careful with folders in your working directory"


def quiet_editable_install(project: Path, target: Path) -> list[str]:
    """What ``pip install -q --no-deps -e project`` prints into a fresh venv, line by line,
    less pip's notes about this machine's own index settings (its pip.conf, not the project)."""
    venv.create(target, with_pip=False)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(target / "bin" / "python")]
        + ["install", "-q", "--no-deps", "-e", str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = (done.stdout + done.stderr).splitlines()
    return [line for line in lines if not line.startswith("WARNING: Location 'file:")]


def test_the_editable_install_prints_nothing(tmp_path: Path) -> None:
    assert quiet_editable_install(ROOT, tmp_path / "env") == []


def test_a_flat_layout_without_package_dir_would_warn(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "demo").mkdir(parents=True)
    (project / "demo" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "demo"\nversion = "0"\n'
        '[tool.setuptools.packages.find]\ninclude = ["demo*"]\n'
    )
    printed = "\n".join(quiet_editable_install(project, tmp_path / "env"))
    assert WARNING in printed
