"""Where the host lacks an isolation layer, the grader says so and refuses, unless told."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import grade
from autograder.errors import GraderError
from autograder.run import isolation, sandbox
from autograder.run.limits import Cgroup


def test_this_host_has_every_layer() -> None:
    layers = isolation.detect()
    assert layers.missing == []
    assert layers.describe().startswith("isolation: bubblewrap (no network, read-only system")


def test_no_bubblewrap_refuses_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.py").write_text("")
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    with pytest.raises(GraderError) as error:
        grade.main("c1w2", [tmp_path / "a.py"], tmp_path / "out")
    assert str(error.value) == (
        "bubblewrap (bwrap) is not installed: apt-get install bubblewrap; refusing to grade "
        "untrusted code without it (pass --unsafe-no-sandbox to grade trusted code anyway)"
    )


def test_no_cgroup_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.py").write_text("")
    monkeypatch.setattr(Cgroup, "create", classmethod(lambda cls, memory_mb, processes: None))
    with pytest.raises(GraderError, match="no writable cgroup"):
        grade.main("c1w2", [tmp_path / "a.py"], tmp_path / "out")


def test_cgroup_limits_are_written_and_removed() -> None:
    group = Cgroup.create(memory_mb=512, processes=16)
    assert group is not None
    limits = {
        p.name: p.read_text().strip()
        for d in group.directories
        for p in d.iterdir()
        if p.name in ("memory.limit_in_bytes", "memory.max", "pids.max")
    }
    assert limits.get("pids.max") == "16"
    assert str(512 * 1024 * 1024) in (limits.get("memory.max"), limits.get("memory.limit_in_bytes"))
    group.close()
    assert not any(d.exists() for d in group.directories)


def test_python_under_tmp_stays_visible_in_the_sandbox(tmp_path: Path) -> None:
    """The sandbox's fresh /tmp is mounted before the Python environment, not over it."""
    args = sandbox.Sandbox().wrap(["python"], tmp_path, tmp_path, tmp_path, tmp_path)
    tmpfs = args.index("--tmpfs")
    for path in sandbox.python_paths():
        assert args.index(path) > tmpfs, path
