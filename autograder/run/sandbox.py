"""The sandbox a submission runs in: bubblewrap namespaces over a read-only system.

Inside, the student's code sees: the system's programs and libraries read-only, the Python
environment read-only, the probe code (nothing else of the grader), its own submission file,
the grader's reference inputs read-only, and one private writable scratch folder. No network,
no other processes, no /root, no course files.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc")
MASKED_FILES = ("/etc/shadow", "/etc/gshadow", "/etc/sudoers")
SANDBOX_SCRATCH = "/scratch"
SANDBOX_LIB = "/grader/lib"
SANDBOX_INPUTS = "/grader/inputs"
SANDBOX_SUBMISSION = "/submission"
SANDBOX_JOBS = "/jobs"


def python_paths() -> list[str]:
    """Folders the child's Python needs read-only: the interpreter's prefixes and packages."""
    paths = {sys.prefix, sys.base_prefix, sysconfig.get_paths()["purelib"]}
    return sorted(str(Path(p).resolve()) for p in paths)


@dataclass(frozen=True)
class Sandbox:
    """How to wrap the worker command; ``isolated`` False runs it bare (explicitly unsafe)."""

    isolated: bool = True

    @staticmethod
    def available() -> str | None:
        """None when bubblewrap is usable here, else a one-line reason."""
        if shutil.which("bwrap") is None:
            return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
        return None

    def _system(self) -> list[str]:
        """bubblewrap's namespaces and the read-only system every sandbox starts from."""
        args = [
            "bwrap",
            "--die-with-parent",
            "--new-session",
            "--unshare-all",
            "--unshare-user",
            "--uid",
            "65534",
            "--gid",
            "65534",
            "--cap-drop",
            "ALL",
        ]
        for directory in SYSTEM_DIRS:
            if Path(directory).exists():
                args += ["--ro-bind", directory, directory]
        # A fresh /tmp first: the Python environment may itself live under /tmp (a CI clone),
        # and a later bind shows through the tmpfs, an earlier one would be hidden by it.
        args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for path in python_paths():
            args += ["--ro-bind", path, path]
        for masked in MASKED_FILES:
            if Path(masked).exists():
                args += ["--ro-bind", "/dev/null", masked]
        return args

    def wrap(
        self, command: list[str], scratch: Path, lib: Path, inputs: Path, submission: Path
    ) -> list[str]:
        """The command line that runs ``command`` inside the sandbox (one process per run)."""
        if not self.isolated:
            return command
        args = self._system() + [
            "--ro-bind", str(lib), SANDBOX_LIB,
            "--ro-bind", str(inputs), SANDBOX_INPUTS,
            "--ro-bind", str(submission), SANDBOX_SUBMISSION,
            "--bind", str(scratch), SANDBOX_SCRATCH,
            "--chdir", SANDBOX_SCRATCH,
            "--setenv", "HOME", SANDBOX_SCRATCH,
            "--setenv", "KERAS_HOME", f"{SANDBOX_SCRATCH}/.keras",
        ]  # fmt: skip
        return args + command

    def wrap_warm(self, command: list[str], jobs: Path, lib: Path, inputs: Path) -> list[str]:
        """The command line of a warm worker: the same sandbox, with a jobs folder instead of
        one submission's; each run mounts its own folders over /scratch and /submission."""
        args = self._system() + [
            "--ro-bind", str(lib), SANDBOX_LIB,
            "--ro-bind", str(inputs), SANDBOX_INPUTS,
            "--bind", str(jobs), SANDBOX_JOBS,
            # The warm worker's own Keras cache sits where each run's will: Keras reads the
            # path once, at import, and a run's scratch is mounted over this one.
            "--bind", str(jobs / ".keras"), f"{SANDBOX_SCRATCH}/.keras",
            "--dir", SANDBOX_SUBMISSION,
            "--chdir", SANDBOX_JOBS,
            "--setenv", "HOME", SANDBOX_SCRATCH,
            "--setenv", "KERAS_HOME", f"{SANDBOX_SCRATCH}/.keras",
        ]  # fmt: skip
        return args + command

    def paths(self, scratch: Path, lib: Path, inputs: Path, submission: Path) -> dict[str, str]:
        """Where each folder appears to the child."""
        if not self.isolated:
            return {
                "scratch": str(scratch),
                "lib": str(lib),
                "inputs": str(inputs),
                "submission": str(submission),
            }
        return {
            "scratch": SANDBOX_SCRATCH,
            "lib": SANDBOX_LIB,
            "inputs": SANDBOX_INPUTS,
            "submission": SANDBOX_SUBMISSION,
        }
