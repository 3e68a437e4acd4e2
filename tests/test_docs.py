"""The kit documents its own interface: nothing points outside the repository, and
docs/INTERFACE.md names every exercise and every command."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from autograder.cli import cli
from autograder.config import load_course

ROOT = Path(__file__).resolve().parent.parent
INTERFACE = ROOT / "docs" / "INTERFACE.md"
TEXT = (".md", ".py", ".yaml", ".toml", ".ipynb", ".sh", ".cfg")
OUTSIDE = re.compile(r"\.\./shared|CONTRACT\.md")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / n for n in names if n.endswith(TEXT) or Path(n).name in ("Makefile", "run")]


def outside_references(paths: list[Path], root: Path = ROOT) -> list[str]:
    """file:line of each line that refers to a file outside the repository."""
    found = []
    for path in paths:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}")
    return found


def broken_links(path: Path) -> list[str]:
    """Relative markdown links of ``path`` to files that do not exist."""
    return [
        target
        for target in LINK.findall(path.read_text())
        if "://" not in target
        and not target.startswith("mailto:")
        and not (path.parent / target).exists()
    ]


def test_nothing_points_outside_the_repository() -> None:
    assert outside_references(tracked_text_files()) == []


def test_an_outside_reference_is_found(tmp_path: Path) -> None:
    planted = tmp_path / "planted.md"
    planted.write_text("fine\nsee ../" + "shared/the interface\n")
    assert outside_references([planted], tmp_path) == ["planted.md:2"]


def test_the_interface_names_every_exercise_and_command() -> None:
    text = INTERFACE.read_text()
    for assignment in load_course().assignments.values():
        for exercise in assignment.exercises:
            assert f"`{exercise}`" in text, exercise
    for command in cli.commands:
        assert f"autograder {command}" in text, command


def test_relative_links_point_to_files() -> None:
    documents = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "bench").glob("*.md")]
    assert {str(d.relative_to(ROOT)): broken_links(d) for d in documents} == {
        str(d.relative_to(ROOT)): [] for d in documents
    }


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("")
    page.write_text("[a](there.md) [b](missing.md#x) [c](https://example.org)\n")
    assert broken_links(page) == ["missing.md"]
