"""The ``autograder`` command: parses arguments and calls each step's ``main``; nothing else.

User errors are handled here once: ``Error: ...`` and exit status 1 (usage errors: 2).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from autograder.errors import GraderError

# TensorFlow logs to stderr from C++ unless told not to, before it is first imported.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# On CPUs where oneDNN's custom operations are on by default (AVX-512 ones), TensorFlow logs
# "oneDNN custom operations are on" through absl whatever TF_CPP_MIN_LOG_LEVEL says; off, the
# grader's own numbers are also the same on every CPU (its workers set the same).
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"


def _course_folder(ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path:
    """The course directory: --course, else the current folder if it holds a course.yaml (as
    nbgrader finds nbgrader_config.py), else the kit's own."""
    from autograder.config import ROOT

    if value is not None:
        if not (value / "course.yaml").is_file():
            raise click.BadParameter(f"{value} has no course.yaml", ctx=ctx)
        return value.resolve()
    here = Path.cwd()
    return here if (here / "course.yaml").is_file() else ROOT


@click.group()
@click.version_option(package_name="c1w2-autograder")
@click.option(
    "--course",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=None,
    callback=_course_folder,
    envvar="AUTOGRADER_COURSE",
    help="The course directory (course.yaml, source/, release/)  [default: the current "
    "folder if it holds a course.yaml, else the kit's own]",
)
@click.pass_context
def cli(ctx: click.Context, course: Path) -> None:
    """Release and grade the assignments of a course (course.yaml): the kit ships TensorFlow
    Course 1, Week 2."""
    ctx.obj = course


def _course() -> Path:
    """The course directory the group chose."""
    return click.get_current_context().find_root().obj


@cli.command()
@click.argument("assignment")
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 if release/ or solutions/ differ from source/ and course.yaml.",
)
@click.option(
    "--validate",
    is_flag=True,
    help="Grade the solution under course.yaml before writing even if its values did not "
    "change since the last release (they are tried whenever they changed).",
)
def release(assignment: str, check: bool, validate: bool) -> None:
    """Generate release/ASSIGNMENT and solutions/ASSIGNMENT from source/ASSIGNMENT and the
    values of course.yaml; refuse a course.yaml the solution cannot pass."""
    from autograder import release as step

    if check and validate:
        raise click.UsageError("--check compares files only: give --validate without it")
    try:
        changed = step.main(
            assignment,
            check=check,
            root=_course(),
            validate=True if validate else None,
            on_trial=lambda why: click.echo(
                f"{why}: grading the solution under course.yaml first (a minute or two)...",
                err=True,
            ),
        )
        for path in changed:
            click.echo(f"{'differs' if check else 'wrote'}: {path}")
        if check and changed:
            raise click.ClickException(step.out_of_date(assignment, changed, _course()))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("assignment")
def config(assignment: str) -> None:
    """List every course.yaml key of ASSIGNMENT: value, default, unit, what it changes."""
    from autograder import course_keys as step

    try:
        click.echo(step.main(assignment, _course() / "course.yaml"))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("assignment")
@click.argument("submissions", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="graded",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Folder for results.json, feedback.html, grades.csv, lms.csv and report.html.",
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
    "--warm/--cold",
    default=True,
    show_default=True,
    help="Fork each run from a warm worker that has imported TensorFlow, or start every run "
    "in a new process.",
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
@click.option(
    "--compare",
    "compare_to",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="An earlier --out: preview the regrade (who changes, by how much, why) in the "
    "terminal, report.html and --out/regrade.csv.",
)
@click.option(
    "--wait",
    is_flag=True,
    help="When another grader is writing --out, wait for it to finish instead of refusing.",
)
def grade(
    assignment: str,
    submissions: tuple[Path, ...],
    out_dir: Path,
    jobs: int | None,
    as_json: bool,
    unsafe_no_sandbox: bool,
    warm: bool,
    scheduler: str | None,
    shared_dir: Path | None,
    scheduler_timeout: float,
    wait: bool,
    compare_to: Path | None,
) -> None:
    """Grade SUBMISSIONS (.py, .ipynb, or folders of them) into --out."""
    from autograder import grade as step
    from autograder.distribute import ClusterOptions
    from autograder.distribute.client import on_cluster
    from autograder.grade.lateness import mtime_warning
    from autograder.grade.local import local
    from autograder.report import summary_line, summary_table
    from autograder.report.classreport import REPORT_HTML
    from autograder.report.compare import regrade_text
    from autograder.report.progress import Progress

    if as_json and len(submissions) != 1:
        raise click.UsageError("--json prints one results.json: give exactly one SUBMISSION")
    if shared_dir is not None and scheduler is None:
        raise click.UsageError("--shared-dir is for grading on a cluster: add --scheduler")
    backend = (
        on_cluster(ClusterOptions(scheduler, shared_dir, scheduler_timeout))
        if scheduler
        else local(jobs, warm)
    )
    progress = Progress(sys.stderr)

    def start(isolation: str, todo: int) -> None:
        click.echo(isolation, err=True)
        progress.start(todo)

    def done(graded: step.Graded) -> None:
        progress.advance(graded.resumed)

    previews: list[str] = []
    began = time.monotonic()
    try:
        graded = step.main(
            assignment,
            list(submissions),
            out_dir,
            unsafe_no_sandbox=unsafe_no_sandbox,
            on_done=done,
            on_start=start,
            backend=backend,
            course_file=_course() / "course.yaml",
            wait=wait,
            on_wait=lambda line: click.echo(f"{line}; waiting (--wait)", err=True),
            on_stale=lambda holder: click.echo(
                f"note: took over {out_dir} from process {holder.pid} started "
                f"{holder.started_text}, which no longer runs",
                err=True,
            ),
            compare_to=compare_to,
            on_regrade=lambda regrade: previews.append(regrade_text(regrade)),
        )
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.close()
    for item in graded:
        warning = mtime_warning(item.submission, item.results)
        if warning:
            click.echo(warning, err=True)
    rows = [(g.submission.student, g.results) for g in graded]
    resumed = sum(g.resumed for g in graded)
    summary = summary_line(rows, time.monotonic() - began, out_dir / REPORT_HTML, resumed)
    if as_json:
        if len(graded) != 1:
            raise click.ClickException(
                f"--json: {submissions[0]} holds {len(graded)} submissions, not one"
            )
        click.echo(json.dumps(graded[0].results, indent=2))
        for preview in previews:
            click.echo(preview, err=True)
        click.echo(summary, err=True)
        return
    if resumed:
        click.echo(f"{resumed} submission(s) already graded by an earlier run were kept", err=True)
    click.echo(summary_table(rows))
    for preview in previews:
        click.echo(preview)
    click.echo(
        f"results: {out_dir}/<student>/results.json and feedback.html, {out_dir}/grades.csv, "
        f"{out_dir}/lms.csv, {out_dir}/report.csv"
        + (f", {out_dir}/regrade.csv" if compare_to is not None else "")
    )
    click.echo(summary)


@cli.command()
@click.argument("assignment")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="The zip to write  [default: gradescope-ASSIGNMENT.zip]",
)
def gradescope(assignment: str, out: Path | None) -> None:
    """Build the autograder zip to upload to Gradescope for ASSIGNMENT."""
    from autograder import gradescope as step

    try:
        written = step.main(
            assignment, out or Path(f"gradescope-{assignment}.zip"), _course() / "course.yaml"
        )
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {written}: upload it as the assignment's autograder (Ubuntu 22.04+ image)")


@cli.command()
@click.argument("assignment")
@click.argument("graded_dir", type=click.Path(path_type=Path))
@click.option(
    "--db-url",
    default=None,
    help="nbgrader gradebook database  [default: the course's, as nbgrader_config.py sets it]",
)
def gradebook(assignment: str, graded_dir: Path, db_url: str | None) -> None:
    """Record the scores in GRADED_DIR (from `autograder grade --out`) in nbgrader's gradebook."""
    from autograder import gradebook as step

    try:
        recorded = step.main(assignment, graded_dir, db_url, _course(), _course() / "course.yaml")
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"recorded {len(recorded.totals)} student(s) in {recorded.db_url}")
    click.echo(f"autograded notebooks: {recorded.autograded}")
    click.echo(f"feedback HTML: nbgrader generate_feedback {assignment}")


@cli.group()
def lti() -> None:
    """Publish scores to an LMS over LTI 1.3 Assignment and Grade Services."""


@lti.command("push")
@click.argument("assignment")
@click.argument("graded_dir", type=click.Path(path_type=Path))
@click.option(
    "--platform",
    "platform_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The LTI platform file  [default: lti.yaml beside course.yaml]",
)
def lti_push(assignment: str, graded_dir: Path, platform_file: Path | None) -> None:
    """Send GRADED_DIR's final scores to ASSIGNMENT's line item in the LMS.

    GRADED_DIR is from `autograder grade --out`; only the scores GRADED_DIR/lti-journal.json
    does not list as sent go. Exit 1 if any student's score did not go."""
    from autograder.lti import push as step

    try:
        pushed = step.main(assignment, graded_dir, platform_file, _course() / "course.yaml")
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("\n".join(pushed.lines()))
    for line in pushed.failures():
        click.echo(f"Error: {line}", err=True)
    if pushed.failed:
        sys.exit(1)


@lti.command("key")
@click.option(
    "--platform",
    "platform_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The LTI platform file  [default: lti.yaml beside course.yaml]",
)
def lti_key(platform_file: Path | None) -> None:
    """Print the tool's public key, to register the tool on the LMS.

    A public JWK (Canvas), then the public key in PEM (Moodle)."""
    from autograder.lti import keys as step

    try:
        click.echo(step.main(platform_file, _course() / "course.yaml"))
    except GraderError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    """Console entry point."""
    cli()
