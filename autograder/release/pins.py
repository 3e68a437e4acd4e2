"""The grader's TensorFlow and Keras versions, as pyproject.toml pins them.

The release writes them into what students run (the notebook's setup cell, the visible tests'
conftest.py), so a student whose TensorFlow or Keras behaves differently from the grader's is
told so in one line, with what to install.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from autograder.config import ROOT
from autograder.errors import GraderError

PYPROJECT = ROOT / "pyproject.toml"
# The distributions whose version changes what a student's code does, by the name students
# know them by: the grader pins tensorflow-cpu, a student installs tensorflow.
PINNED = {"tensorflow": ("tensorflow", "tensorflow-cpu"), "keras": ("keras",)}
PIN = re.compile(r"^\s*(?P<name>[A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*(?P<version>[^\s;,]+)")


def _toml() -> Any:
    """tomllib (Python 3.11+) or, on 3.10, tomli: the same API."""
    try:
        return importlib.import_module("tomllib")
    except ModuleNotFoundError:
        return importlib.import_module("tomli")


def pins(dependencies: list[str]) -> dict[str, str]:
    """Exact pins (``name==version``) of a dependency list, by lower-case name."""
    found = {}
    for dependency in dependencies:
        match = PIN.match(dependency)
        if match:
            found[match["name"].lower().replace("_", "-")] = match["version"]
    return found


def grader_versions(pyproject: Path = PYPROJECT) -> dict[str, str]:
    """``{"tensorflow": ..., "keras": ...}``: the versions pyproject.toml pins for the grader."""
    try:
        data = _toml().loads(pyproject.read_text())
    except OSError as exc:
        raise GraderError(f"cannot read {pyproject}: {exc.strerror}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise GraderError(f"{pyproject} is not valid TOML: {exc}") from None
    pinned = pins(list(data.get("project", {}).get("dependencies", [])))
    versions = {}
    for shown, names in PINNED.items():
        version = next((pinned[name] for name in names if name in pinned), None)
        if version is None:
            raise GraderError(
                f"{pyproject}: [project] dependencies pin no {' or '.join(names)} "
                f"(`{names[0]}==X.Y.Z`): the release tells students the grader's versions"
            )
        versions[shown] = version
    return versions
