"""The student's self-check: the visible tests fail on the stub with teaching feedback and pass
on the solution. They run with `python -m pytest` inside the released folder, as students do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SOLUTION_MODULE

RELEASED = ROOT / "release" / "c1w2"


def self_check(tmp_path: Path, module: Path) -> subprocess.CompletedProcess:
    folder = tmp_path / "c1w2"
    shutil.copytree(RELEASED, folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(module, folder / "fashion_mnist.py")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_stub_fails_every_visible_test_saying_what_to_write(tmp_path: Path) -> None:
    done = self_check(tmp_path, RELEASED / "fashion_mnist.py")
    assert done.returncode == 1
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failures) >= 20, done.stdout[-2000:]
    assert "passed" not in done.stdout.splitlines()[-1]
    assert "is not written yet: replace `raise NotImplementedError()` with your code" in done.stdout
    assert "Traceback" not in done.stdout


# The solution passing every visible test is shown on its notebook exported as a script, IPython
# lines and all (tests/grade/test_exported_notebook.py): one run of the visible tests, not two.


def test_a_mistake_reads_as_advice(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        SOLUTION_MODULE.read_text().replace(
            'Dense(10, activation="softmax")', 'Dense(10, activation="relu")', 1
        )
    )
    done = self_check(tmp_path, wrong)
    assert done.returncode == 1
    assert "use activation='softmax'" in done.stdout, done.stdout[-2000:]
