"""What a batch prepares once: the probe code the sandbox sees, and the reference inputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import autograder
from autograder.checks.prepare import references_for, settings_for
from autograder.checks.reference import References
from autograder.config import Assignment
from autograder.data import install_from_debian
from autograder.registry import exercise_table, package_folder
from autograder.run.sandbox import SANDBOX_SCRATCH, Sandbox
from autograder.run.supervisor import Staging, worker_env
from autograder.run.warm import WarmPool

PACKAGE = Path(autograder.__file__).resolve().parent
# The only grader files a submission can see: no checks, no references, no configuration.
SANDBOX_FILES = (
    "__init__.py",
    "probe",
    "samples.py",
    "records.py",
    "run/__init__.py",
    "run/worker.py",
    "run/zygote.py",
    "run/nested.py",
)


# Of an assignment package, the sandbox sees each exercise's probe side only: never a judge.
PROBE_SIDE = ("__init__.py", "probe.py", "record.py")


def stage_probe_code(target: Path, assignment_package: str) -> Path:
    """Copy the probe code (and nothing else of the grader) to ``target/autograder``, and the
    probe side of the assignment's exercises under their package's path."""
    package = target / "autograder"
    for name in SANDBOX_FILES:
        source, destination = PACKAGE / name, package / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, destination)
    parts = assignment_package.split(".")
    for depth in range(1, len(parts)):  # the __init__ of each enclosing package
        parent = package_folder(".".join(parts[:depth]))
        destination = target.joinpath(*parts[:depth], "__init__.py")
        destination.parent.mkdir(parents=True, exist_ok=True)
        if (parent / "__init__.py").is_file() and not destination.exists():
            shutil.copyfile(parent / "__init__.py", destination)
    source_root = package_folder(assignment_package)
    for exercise in [None, *exercise_table(assignment_package).values()]:
        folder = source_root if exercise is None else source_root / exercise
        names = ("__init__.py",) if exercise is None else PROBE_SIDE
        for name in names:
            if (folder / name).is_file():
                destination = target.joinpath(*parts, *([exercise] if exercise else []), name)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / name, destination)
    return target


def stage(
    assignment: Assignment,
    directory: Path,
    sandbox: Sandbox,
    threads: int = 1,
    warm: tuple[int, Path] | None = None,
) -> tuple[Staging, References]:
    """Probe code, reference models and settings for a batch, under ``directory``. With
    ``warm`` (size, folder), a pool of warm workers starts before the references are made: a
    worker only imports TensorFlow until it is leased, so that overlaps with this process."""
    lib = stage_probe_code(directory / "lib", assignment.package)
    inputs = directory / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    _make_readable(directory)
    install_from_debian()  # once per batch: offline, the Keras cache comes from Debian's package
    staging = Staging(lib, inputs, settings_for(assignment), sandbox, threads)
    if warm is not None:
        start_warm_pool(staging, assignment, *warm)
    try:
        references = references_for(assignment, inputs)
        _make_readable(inputs)
    except BaseException:
        if staging.pool is not None:
            staging.pool.close()
        raise
    return staging, references


def _make_readable(directory: Path) -> None:
    """What the sandbox reads must be readable by whoever it runs as."""
    for path in [directory, *directory.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def start_warm_pool(staging: Staging, assignment: Assignment, size: int, directory: Path) -> None:
    """Give ``staging`` a pool of ``size`` warm workers (jobs folders under ``directory``)."""
    staging.pool = WarmPool(
        size,
        directory,
        (staging.lib, staging.inputs, staging.sandbox),
        worker_env({"scratch": SANDBOX_SCRATCH}, staging.threads),
        assignment.limits.output_kb * 1024,
    )
