"""autograder.grade.scratch: a grader's scratch folder, and removing those of dead graders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder.grade.scratch import PREFIX, make_scratch, remove_stale_scratch


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_scratch_folder_is_private_and_named_for_this_grader(tmp_path: Path) -> None:
    folder = make_scratch(tmp_path)
    assert folder.parent == tmp_path and folder.is_dir()
    assert folder.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert folder.stat().st_mode & 0o777 == 0o700


def test_only_the_folders_of_dead_graders_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / f"{PREFIX}{dead_pid()}-k1ll3d_9"
    (dead / "staging" / "inputs").mkdir(parents=True)
    (dead / "staging" / "inputs" / "reference.keras").write_bytes(b"x" * 1000)
    running = make_scratch(tmp_path)  # this process: alive
    old_style = tmp_path / f"{PREFIX}12345678"  # before folders carried a pid
    old_style.mkdir()
    target = tmp_path / "not-ours"
    target.mkdir()
    link = tmp_path / f"{PREFIX}{dead_pid()}-l1nk0000"
    link.symlink_to(target)
    unrelated = tmp_path / "c1w2-check-abcdefgh"
    unrelated.mkdir()

    assert remove_stale_scratch(tmp_path) == [dead]
    assert not dead.exists()
    assert running.is_dir() and old_style.is_dir() and unrelated.is_dir()
    assert link.is_symlink() and target.is_dir(), "a link is neither followed nor removed"
    assert remove_stale_scratch(tmp_path) == []
