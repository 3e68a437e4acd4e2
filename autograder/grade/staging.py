"""What a batch prepares once: the probe code the sandbox sees, and the reference inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import autograder
from autograder.checks.inputs import probe_settings
from autograder.checks.reference import References, make_references
from autograder.config import Assignment
from autograder.data import install_from_debian
from autograder.run.sandbox import SANDBOX_SCRATCH, Sandbox
from autograder.run.supervisor import Staging, worker_env
from autograder.run.warm import WarmPool

PACKAGE = Path(autograder.__file__).resolve().parent
# The only grader files a submission can see: no checks, no references, no configuration.
SANDBOX_FILES = (
    "__init__.py",
    "probe",
    "samples.py",
    "run/__init__.py",
    "run/worker.py",
    "run/zygote.py",
    "run/nested.py",
)


def stage_probe_code(target: Path) -> Path:
    """Copy the probe code (and nothing else of the grader) to ``target/autograder``."""
    package = target / "autograder"
    for name in SANDBOX_FILES:
        source, destination = PACKAGE / name, package / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, destination)
    return target


def stage(
    assignment: Assignment, directory: Path, sandbox: Sandbox, threads: int = 1
) -> tuple[Staging, References]:
    """Probe code, reference models and settings for a batch, under ``directory``."""
    lib = stage_probe_code(directory / "lib")
    install_from_debian()  # once per batch: offline, the Keras cache comes from Debian's package
    references = make_references(assignment, directory / "inputs")
    for path in [directory, *directory.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    staging = Staging(lib, references.directory, probe_settings(assignment), sandbox, threads)
    return staging, references


def start_warm_pool(staging: Staging, assignment: Assignment, size: int, directory: Path) -> None:
    """Give ``staging`` a pool of ``size`` warm workers (jobs folders under ``directory``)."""
    staging.pool = WarmPool(
        size,
        directory,
        (staging.lib, staging.inputs, staging.sandbox),
        worker_env({"scratch": SANDBOX_SCRATCH}, staging.threads),
        assignment.limits.output_kb * 1024,
    )
