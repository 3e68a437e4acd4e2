"""The ``autograder`` command: parses arguments and calls each step's ``main``; nothing else.

User errors are handled here once: ``Error: ...`` and exit status 1 (usage errors: 2).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from autograder.errors import GraderError

# TensorFlow logs to stderr from C++ unless told not to, before it is first imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@click.group()
@click.version_option(package_name="c1w2-autograder")
def cli() -> None:
    """Release and grade the TensorFlow Course 1 Week 2 assignment."""


@cli.command()
@click.argument("assignment")
@click.option("--check", is_flag=True, help="Exit 1 if release/ or solutions/ differ from source/.")
def release(assignment: str, check: bool) -> None:
    """Generate release/ASSIGNMENT and solutions/ASSIGNMENT from source/ASSIGNMENT."""
    from autograder import release as step

    try:
        changed = step.main(assignment, check=check)
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    for path in changed:
        click.echo(f"{'differs' if check else 'wrote'}: {path}")
    if check and changed:
        raise click.ClickException(
            f"{changed[0]} is out of date with source/: run `autograder release {assignment}`"
        )


@cli.command()
@click.argument("assignment")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="graded",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for results.json and grades.csv.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Submissions graded at once (default: the number of cores).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="With one submission: print its results.json on standard output.",
)
@click.option(
    "--unsafe-no-sandbox",
    is_flag=True,
    help="Run student code without bubblewrap isolation (trusted code only).",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    default=None,
    help="Grade on this Dask cluster instead of here (needs the [dask] extra).",
)
@click.option(
    "--shared-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="With --scheduler: a folder the workers see at the same path; submissions under it "
    "are read there instead of being sent.",
)
@click.option(
    "--scheduler-timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=10.0,
    show_default=True,
    help="Seconds to wait for the Dask scheduler to answer.",
)
def grade(
    assignment: str,
    submissions: tuple[Path, ...],
    out_dir: Path,
    jobs: int | None,
    as_json: bool,
    unsafe_no_sandbox: bool,
    scheduler: str | None,
    shared_dir: Path | None,
    scheduler_timeout: float,
) -> None:
    """Grade SUBMISSIONS (.py, .ipynb, or folders of them) into --out."""
    from autograder import grade as step
    from autograder.distribute import ClusterOptions
    from autograder.report import summary_table

    if as_json and len(submissions) != 1:
        raise click.UsageError("--json prints one results.json: give exactly one SUBMISSION")
    if shared_dir is not None and scheduler is None:
        raise click.UsageError("--shared-dir is for grading on a cluster: add --scheduler")
    cluster = ClusterOptions(scheduler, shared_dir, scheduler_timeout) if scheduler else None
    bar = tqdm(desc="grading", unit="submission", file=sys.stderr, disable=None)

    def done(graded: step.Graded) -> None:
        bar.update(1)

    try:
        graded = step.main(
            assignment,
            list(submissions),
            out_dir,
            jobs,
            unsafe_no_sandbox,
            on_done=done,
            cluster=cluster,
        )
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
    if as_json:
        if len(graded) != 1:
            raise click.ClickException(
                f"--json: {submissions[0]} holds {len(graded)} submissions, not one"
            )
        click.echo(json.dumps(graded[0].results, indent=2))
        return
    resumed = sum(g.resumed for g in graded)
    if resumed:
        click.echo(f"{resumed} submission(s) already graded by an earlier run were kept", err=True)
    click.echo(summary_table([(g.submission.student, g.results) for g in graded]))
    click.echo(f"results: {out_dir}/<student>/results.json, {out_dir}/grades.csv")


def main() -> None:
    """Console entry point."""
    cli()
