"""The worker side, in this process: a worker without isolation refuses as a local batch
would; a submission sent by value is written under its own name; TensorFlow threads."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from autograder.config import load_course
from autograder.distribute import task
from autograder.distribute.task import Payload
from autograder.errors import GraderError
from autograder.run import sandbox


def fake_worker(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(
        address="tcp://10.1.2.3:4000",
        local_directory=str(tmp_path),
        state=SimpleNamespace(nthreads=1),
    )


def test_a_worker_without_bubblewrap_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task, "_worker", lambda: fake_worker(tmp_path))
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    doc = load_course().assignment("c1w2").model_dump(mode="json")
    with pytest.raises(GraderError) as error:
        task.grade_remote(Payload("alice", "alice.py", b""), doc, False)
    assert str(error.value) == (
        "Dask worker tcp://10.1.2.3:4000: bubblewrap (bwrap) is not installed: apt-get install "
        "bubblewrap; refusing to grade untrusted code without it (pass --unsafe-no-sandbox to "
        "grade trusted code anyway)"
    )
    assert list(tmp_path.iterdir()) == []  # refused before staging anything


def test_a_submission_sent_by_value_keeps_only_its_file_name(tmp_path: Path) -> None:
    sent = Payload("bob", "../../bob.ipynb", b"{}")
    submission = task._submission(sent, tmp_path / "upload")
    assert submission.path == tmp_path / "upload" / "bob.ipynb"
    assert (submission.student, submission.kind, submission.path.read_bytes()) == (
        "bob", "notebook", b"{}",
    )  # fmt: skip
    shared = task._submission(Payload("bob", "x.py", path="/shared/bob/x.py"), tmp_path / "u2")
    assert shared.path == Path("/shared/bob/x.py") and not (tmp_path / "u2").exists()


def test_tensorflow_threads_share_the_cores_among_the_worker_threads() -> None:
    cores = len(task.os.sched_getaffinity(0))
    assert task.sandbox_threads(1) == cores
    assert task.sandbox_threads(cores) == 1
    assert task.sandbox_threads(cores * 4) == 1
