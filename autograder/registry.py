"""Where an assignment's exercises live: its package's table of exercise id -> folder.

course.yaml names each assignment's package (``package:``); the package's ``__init__`` holds
``EXERCISES`` and nothing else, and each folder holds ``probe.py`` (run in the sandbox, next to
student code) and ``judge.py`` (run by the grader), and may hold ``trial.py`` (what the release
trial asks of the solution under a new course.yaml). Modules are imported by name, so the probe
side never imports a judge.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

PARTS = ("probe", "judge")


class RegistryError(Exception):
    """An assignment package that cannot be imported, or whose table is not id -> folder."""


def exercise_table(package: str) -> dict[str, str]:
    """The package's ``EXERCISES``: exercise id -> folder, in the package's order."""
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise RegistryError(f"assignment package {package!r} cannot be imported: {exc}") from None
    table = getattr(module, "EXERCISES", None)
    if not isinstance(table, dict) or not all(
        isinstance(key, str) and isinstance(value, str) and value.isidentifier()
        for key, value in table.items()
    ):
        raise RegistryError(f"{package}.EXERCISES must map exercise ids to folder names")
    return dict(table)


def module_name(package: str, exercise: str, part: str) -> str:
    """The dotted name of ``exercise``'s ``part`` (probe or judge) in ``package``."""
    table = exercise_table(package)
    if exercise not in table:
        raise RegistryError(f"{package} has no exercise {exercise!r} (it has: {', '.join(table)})")
    return f"{package}.{table[exercise]}.{part}"


def load(package: str, exercise: str, part: str) -> ModuleType:
    """Import ``exercise``'s ``part`` module."""
    return importlib.import_module(module_name(package, exercise, part))


def optional(package: str, exercise: str, part: str) -> ModuleType | None:
    """Import ``exercise``'s optional ``part`` module (``trial``: what the release trial asks
    of the solution), or None when its folder has none."""
    return optional_module(module_name(package, exercise, part))


def grading(package: str) -> ModuleType | None:
    """The package's optional ``grading`` module: what a batch prepares once, on the grader's
    side (``settings(assignment)`` for the probes, ``references(assignment, folder)`` for the
    judges), or None if it has none."""
    return optional_module(f"{package}.grading")


def optional_module(name: str) -> ModuleType | None:
    """Import ``name``, or None when that module itself does not exist (an import error
    inside it still raises)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise


def package_folder(package: str) -> Path:
    """The folder that holds ``package``."""
    module = importlib.import_module(package)
    return Path(module.__file__ or "").resolve().parent


def importable_from(directory: Path) -> None:
    """Let packages in ``directory`` (a course's own assignment packages) be imported."""
    entry = str(Path(directory).resolve())
    if entry not in sys.path:
        sys.path.append(entry)
