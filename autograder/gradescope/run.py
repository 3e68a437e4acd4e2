"""What ``run_autograder`` runs on Gradescope: grade ``ROOT/submission/`` with the same library
code as ``autograder grade`` and always write ``ROOT/results/results.json``.

``ROOT`` is ``/autograder`` on Gradescope (``--root`` or ``$AUTOGRADER_ROOT`` elsewhere). Inside
Gradescope's container bubblewrap usually cannot create namespaces and no cgroup is writable;
Gradescope already runs each submission in its own throwaway container, so the submission is then
graded without them (rlimits and the time limits still apply) and results.json says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

from autograder.config import DEFAULT_COURSE_FILE, load_course
from autograder.errors import GraderError
from autograder.grade.lateness import TIMESTAMP_FILE
from autograder.grade.submissions import SUFFIXES
from autograder.report import write_atomically

DEFAULT_ROOT = Path("/autograder")
METADATA = "submission_metadata.json"  # Gradescope's, beside submission/
IGNORED = ("__MACOSX", ".ipynb_checkpoints", "__pycache__")


def uploaded_files(folder: Path) -> list[Path]:
    """The regular files a student uploaded, without hidden files, links or macOS debris."""
    if not folder.is_dir():
        return []
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and not path.is_symlink()
        and not any(p.startswith(".") or p in IGNORED for p in path.relative_to(folder).parts)
    ]


def find_file(folder: Path, names: tuple[str, ...]) -> Path:
    """The file to grade in what the student uploaded (``names``, the module and the notebook,
    preferred in this order as `grade` does); a GraderError saying what to upload."""
    files = uploaded_files(folder)
    for name in names:
        named = [p for p in files if p.name == name]
        if named:
            return min(named, key=lambda p: len(p.parts))
    candidates = [p for p in files if p.suffix in SUFFIXES]
    if len(candidates) == 1:
        return candidates[0]
    found = ", ".join(p.relative_to(folder).as_posix() for p in files[:5]) or "nothing"
    raise GraderError(
        f"No file to grade in your submission (found: {found}): upload {names[0]} or "
        f"{names[1]}, one of them, and submit again."
    )


def created_at(root: Path) -> str | None:
    """When Gradescope received the submission: ``created_at`` of ``root``'s submission
    metadata (ISO 8601 with its offset), None when it is missing or unreadable."""
    try:
        metadata = json.loads((root / METADATA).read_text())
    except (OSError, ValueError):
        return None
    created = metadata.get("created_at") if isinstance(metadata, dict) else None
    if not isinstance(created, str):
        return None
    try:
        datetime.fromisoformat(created.strip())
    except ValueError:
        return None
    return created.strip()


def bubblewrap_gap() -> str | None:
    """None when the real sandbox command runs here; else why it does not."""
    from autograder.run.sandbox import Sandbox

    reason = Sandbox.available()
    if reason:
        return reason
    with tempfile.TemporaryDirectory(prefix="autograder-bwrap-") as tmp:
        command = Sandbox(isolated=True).wrap(["/bin/true"], *[Path(tmp)] * 4)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not run ({exc})"
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        return f"bubblewrap cannot create its namespaces in this container ({detail})"
    return None


def isolation_gap() -> str | None:
    """None when bubblewrap and a cgroup both work here; else the first thing missing."""
    from autograder.run import isolation

    missing = isolation.detect().missing
    return missing[0] if missing else bubblewrap_gap()


def grade_upload(
    assignment_id: str, root: Path, course_file: Path = DEFAULT_COURSE_FILE
) -> dict[str, Any]:
    """The results.json document for the upload in ``root/submission``; never raises."""
    from autograder import grade
    from autograder.grade.local import local
    from autograder.grade.one import all_zero

    try:
        assignment = load_course(course_file).assignment(assignment_id)
    except GraderError as exc:
        return {
            "score": 0,
            "output": f"The autograder is misconfigured ({exc}): tell your instructor.",
        }
    try:
        upload = find_file(root / "submission", assignment.submission_files)
    except GraderError as exc:
        return all_zero(assignment, str(exc))
    work = Path(tempfile.mkdtemp(prefix="autograder-gradescope-"))
    try:
        folder = work / "submission"
        folder.mkdir()
        shutil.copyfile(upload, folder / f"{assignment.module}{upload.suffix}")
        created = created_at(root)
        if created is not None:  # the submission time the late policy reads, as nbgrader's
            (folder / TIMESTAMP_FILE).write_text(created + "\n")
        gap = isolation_gap()
        graded = grade.main(
            assignment_id,
            [folder],
            work / "out",
            unsafe_no_sandbox=gap is not None,
            course_file=course_file,
            backend=local(jobs=1),
        )
        results = graded[0].results
        if gap is not None:
            results["output"] = (
                f"Gradescope: {gap}. Gradescope runs each submission in its own container, so "
                "this one was graded there without bubblewrap and cgroup limits (rlimits and "
                "time limits still applied). " + results["output"]
            )
        return results
    except Exception as exc:  # noqa: BLE001 - the student must always get a results.json
        traceback.print_exc()
        return all_zero(
            assignment,
            f"The grader failed on this submission ({type(exc).__name__}: {exc}); it scored 0: "
            "please tell your instructor.",
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(assignment_id: str, root: Path | None = None) -> int:
    """Grade Gradescope's ``root/submission`` into ``root/results/results.json``; exit status."""
    root = root or Path(os.environ.get("AUTOGRADER_ROOT", DEFAULT_ROOT))
    course_file = root / "source" / "course.yaml"
    results = grade_upload(
        assignment_id, root, course_file if course_file.is_file() else DEFAULT_COURSE_FILE
    )
    (root / "results").mkdir(parents=True, exist_ok=True)
    write_atomically(root / "results" / "results.json", results)
    print(f"score {results.get('score')}/{results.get('max_score', '?')}: {results['output']}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Gradescope's run_autograder entry point.")
    parser.add_argument("assignment")
    parser.add_argument("--root", type=Path, default=None)
    arguments = parser.parse_args()
    sys.exit(main(arguments.assignment, arguments.root))
