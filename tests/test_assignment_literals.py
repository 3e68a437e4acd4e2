"""The package names no assignment: ids and module names come from course.yaml.

Allowed: an assignment's own package (autograder/assignments/<id>/), the distribution's name
(``c1w2-autograder``), and the Fashion-MNIST data set, which is data, not the assignment
(autograder/samples.py, autograder/data.py, and the lines that load it).
"""

from __future__ import annotations

import re
from pathlib import Path

from autograder.config import load_course
from autograder.registry import package_folder

ROOT = Path(__file__).resolve().parent.parent
DATASET_FILES = {"autograder/samples.py", "autograder/data.py"}
ALLOWED = re.compile(
    r"c1w2-autograder|datasets\.fashion_mnist|samples import fashion_mnist|"
    r"^\s*fashion_mnist\(\)$"
)


def literals(root: Path, words: set[str], skip: set[Path]) -> list[str]:
    """file:line of each line of ``root``'s package that names one of ``words``."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(words))) + r")\b")
    found = []
    for path in sorted((root / "autograder").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in DATASET_FILES or any(folder in path.parents for folder in skip):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line) and not ALLOWED.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def _words_and_own_packages() -> tuple[set[str], set[Path]]:
    course = load_course()
    words, own = set(), set()
    for assignment_id, assignment in course.assignments.items():
        words |= {assignment_id, assignment.module}
        own.add(package_folder(assignment.package))
    return words, own


def test_the_package_names_no_assignment_id_or_module() -> None:
    words, own = _words_and_own_packages()
    assert literals(ROOT, words, own) == []


def test_a_planted_literal_is_found_by_file_and_line(tmp_path: Path) -> None:
    words, own = _words_and_own_packages()
    planted = tmp_path / "autograder" / "grade"
    planted.mkdir(parents=True)
    (planted / "one.py").write_text('"""Grades."""\nMODULE = "fashion_mnist.py"\n')
    (tmp_path / "autograder" / "samples.py").write_text("def fashion_mnist(): ...\n")
    assert literals(tmp_path, words, own) == [
        'autograder/grade/one.py:2: MODULE = "fashion_mnist.py"'
    ]
