"""How the validity benches grade a class: the ``autograder grade`` command, as an instructor
runs it (warm workers, ``--jobs`` submissions at once)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ASSIGNMENT = "c1w2"


def grade_folder(root: Path, graded: Path, jobs: int) -> None:
    """``autograder grade c1w2 ROOT --out GRADED --jobs JOBS``; SystemExit if it fails."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    command = [str(Path(sys.executable).parent / "autograder"), "grade", ASSIGNMENT, str(root)]
    command += ["--out", str(graded), "--jobs", str(jobs)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"autograder grade failed: {done.stderr.strip()[-2000:]}")
