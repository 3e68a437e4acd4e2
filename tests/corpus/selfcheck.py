"""The student's self-check, run as a student runs it, on both routes (issue 20 item 2).

- **module**: the released visible tests (``release/c1w2/test_fashion_mnist.py``) run with
  ``python -m pytest`` in a copy of ``release/c1w2`` holding the submission as
  ``fashion_mnist.py``; each test's outcome and failure message are read from pytest's JUnit XML
  report (``--junitxml``), not from its printed text.
- **notebook**: the released notebook (``release/c1w2/fashion_mnist.ipynb``) with the
  submission's code pasted into its solution cells, run top to bottom in a Jupyter kernel
  (nbclient, the venv's ``python3`` kernel), as "Run all" would, except that a cell's error does
  not stop the run, so every check cell reports. The demo cells (grade id ``demo_*``: they load
  all of Fashion-MNIST and train for minutes) are left out, or with ``demos="subset"`` run on
  the first ``SUBSET`` training and test images. Each executed code cell's error, if any, is
  recorded as ``ExceptionName: message``.

A submission is a module's text: a ``Variant`` of the equivalence corpus gives its own cells;
any other module (a mistake of ``mistakes.yaml``) is cut into its top-level definitions by name,
and each solution cell gets the definition of its grade id (see ``notebook_cells``).

``mistakes.yaml`` says, for each mistake a self-check covers, what the self-check must do: its
``selfcheck:`` key holds, per route, the visible test or check cell that must fail and a phrase
its failure message must contain, the fix the grader's feedback teaches::

    selfcheck:
      module: {check: test_normalize_scales_pixels_to_0_1, fix: "divide by 255, not 256"}
      notebook: {check: check_normalize, fix: "divide by 255"}

A route left out is not covered there (the check cells are fewer than the visible tests). When
the visible tests or check cells change, ``python tests/corpus/selfcheck.py mistakes`` prints
what each route now says for every entry, next to what the corpus expects, so the phrases are
quick to update.

    python tests/corpus/selfcheck.py mistakes [NAME ...] [--jobs 2]
    python tests/corpus/selfcheck.py variants [--limit N] [--jobs 2] [--demos skip|subset]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Literal

import nbformat
from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from tests.corpus.equivalence import CELLS, Variant, variants  # noqa: E402
from tests.corpus.sample_class import load_mistakes, mistake_source  # noqa: E402

RELEASE = ROOT / "release" / "c1w2"
RELEASED_NOTEBOOK = RELEASE / "fashion_mnist.ipynb"
SOLUTION_MODULE = ROOT / "solutions" / "c1w2" / "fashion_mnist.py"
MODULE_TIMEOUT = 900  # seconds for one pytest run of the visible tests
CELL_TIMEOUT = 600  # seconds for one notebook cell
SUBSET = 1000  # training images the demo cells see with demos="subset" (test images: a fifth)
DEMO_PREFIX = "demo_"
GIVEN = ("setup", "given_")

Route = Literal["module", "notebook"]
ROUTES: tuple[Route, ...] = ("module", "notebook")
Demos = Literal["skip", "subset"]
# What a visible test or notebook cell is: a visible test, a check cell, a given cell (setup,
# data), a solution cell, an (empty, released) grader cell, a demo cell, or a cell nbgrader
# does not know (one the student added).
Role = Literal["test", "check", "given", "answer", "grader", "demo", "other"]


class Check(BaseModel):
    """One visible test or one executed notebook cell, and how it ended."""

    model_config = ConfigDict(frozen=True)

    name: str  # the test's function name, or the cell's nbgrader grade id (cell-N if none)
    role: Role
    passed: bool
    skipped: bool = False
    message: str = ""  # a failure's message: pytest's, or the cell's "ExceptionName: value"


class SelfCheck(BaseModel):
    """The self-check of one submission on one route."""

    route: Route
    subject: str
    checks: list[Check]
    error: str | None = None  # the run itself did not finish (timeout, no report, dead kernel)
    seconds: float

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    @property
    def passed(self) -> bool:
        """Ran to the end, checked something, and nothing failed."""
        return self.error is None and bool(self.checks) and not self.failures

    def find(self, name: str) -> Check | None:
        return next((check for check in self.checks if check.name == name), None)

    def summary(self) -> str:
        """One line: passed, or what failed (each failure's first line)."""
        if self.error:
            return f"did not finish: {self.error}"
        if self.passed:
            return f"all {len(self.checks)} passed"
        return "; ".join(f"{c.name}: {first_line(c.message)}" for c in self.failures)


class Expected(BaseModel):
    """What one route's self-check must say about a mistake."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    check: str  # the visible test or check cell (grade id) that must fail
    fix: str  # a phrase its failure message must contain: the fix the grader teaches


class Coverage(BaseModel):
    """The ``selfcheck:`` key of a mistakes.yaml entry: per route, what must fail and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    module: Expected | None = None
    notebook: Expected | None = None

    def routes(self) -> dict[Route, Expected]:
        found: dict[Route, Expected | None] = {"module": self.module, "notebook": self.notebook}
        return {route: want for route, want in found.items() if want is not None}


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


# ---------------------------------------------------------------------------------------------
# The module route
# ---------------------------------------------------------------------------------------------


def _junit_checks(report: Path) -> list[Check]:
    """Every test case of pytest's JUnit XML report as a Check."""
    checks = []
    for case in ElementTree.parse(report).getroot().iter("testcase"):
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        skipped = case.find("skipped")
        message = ""
        if failure is not None:
            message = failure.get("message") or (failure.text or "")
            message = message.removeprefix("Failed: ")
        elif skipped is not None:
            message = skipped.get("message") or ""
        checks.append(
            Check(
                name=case.get("name", ""),
                role="test",
                passed=failure is None,
                skipped=skipped is not None,
                message=message,
            )
        )
    return checks


def run_module(source: str, folder: Path, subject: str = "module") -> SelfCheck:
    """The released visible tests on ``source`` as ``fashion_mnist.py``, in ``folder`` (a copy
    of release/c1w2 is made there)."""
    shutil.copytree(RELEASE, folder, ignore=shutil.ignore_patterns("*.ipynb", "__pycache__"))
    (folder / "fashion_mnist.py").write_text(source)
    report = folder / "junit.xml"
    started = time.monotonic()
    error = None
    try:
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={report}", "-o", "junit_family=xunit2"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=MODULE_TIMEOUT,
            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
        )
    except subprocess.TimeoutExpired:
        error = f"the visible tests took over {MODULE_TIMEOUT} s"
    checks = _junit_checks(report) if report.exists() else []
    if error is None and not report.exists():
        error = "pytest wrote no JUnit report"
    return SelfCheck(route="module", subject=subject, checks=checks, error=error,
                     seconds=round(time.monotonic() - started, 1))


# ---------------------------------------------------------------------------------------------
# The notebook route
# ---------------------------------------------------------------------------------------------

_TOP_LEVEL = re.compile(r"^(?:def|class)\s+(\w+)", re.MULTILINE)


def definitions(source: str) -> dict[str, str]:
    """Name -> text of each top-level ``def``/``class`` of a module, read as text (so a module
    that does not parse still splits), each running to the next top-level definition, its
    decorators and comments going with it."""
    starts = [(match.group(1), match.start()) for match in _TOP_LEVEL.finditer(source)]
    found = {}
    for index, (name, start) in enumerate(starts):
        end = starts[index + 1][1] if index + 1 < len(starts) else len(source)
        text = source[start:end]
        # What precedes the next definition (its decorators, comments, blank lines) is its own.
        lines = text.rstrip("\n").split("\n")
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].startswith(("@", "#"))):
            lines.pop()
        found[name] = "\n".join(lines) + "\n"
    return found


def notebook_cells(source: str | Variant) -> dict[str, str]:
    """Grade id -> the code of its solution cell, for a variant or a module's text. A graded
    name the module does not define keeps the released stub."""
    if isinstance(source, Variant):
        return {grade_id: source.cell_source(grade_id) for grade_id in CELLS}
    defined = definitions(source)
    return {grade_id: defined[grade_id] for grade_id in CELLS if grade_id in defined}


def role_of(cell: dict) -> Role:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    grade_id = str(meta.get("grade_id", ""))
    if cell.get("cell_type") != "code" or not meta:
        return "other"
    if meta.get("solution"):
        return "answer"
    if meta.get("grade"):
        return "grader"
    if grade_id.startswith(DEMO_PREFIX):
        return "demo"
    if grade_id.startswith(GIVEN):
        return "given"
    return "check"


def released_with(cells: dict[str, str], demos: Demos = "skip",
                  source: Path = RELEASED_NOTEBOOK) -> nbformat.NotebookNode:
    """The released notebook with ``cells`` in its solution cells, the demo cells left out
    (or run on the first ``SUBSET`` images after the data is loaded)."""
    notebook = nbformat.read(source, as_version=4)
    kept = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            kept.append(cell)
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        role = role_of(cell)
        if role == "answer" and meta.get("grade_id") in cells:
            cell.source = cells[meta["grade_id"]]
        if role == "demo" and demos == "skip":
            continue
        kept.append(cell)
        if role == "demo" and demos == "subset" and "load_data()" in cell.source:
            kept.append(nbformat.v4.new_code_cell(
                f"x_train, y_train = x_train[:{SUBSET}], y_train[:{SUBSET}]\n"
                f"x_test, y_test = x_test[:{SUBSET // 5}], y_test[:{SUBSET // 5}]",
                metadata={"nbgrader": {"grade_id": "demo_subset", "locked": True}},
            ))
    notebook.cells = kept
    return notebook


def _cell_error(cell: dict) -> str | None:
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".strip()
    return None


def run_notebook(source: str | Variant, folder: Path, subject: str = "notebook",
                 demos: Demos = "skip") -> SelfCheck:
    """``source``'s code in the released notebook's solution cells, run top to bottom in a
    Jupyter kernel in ``folder``; the executed notebook is kept there as fashion_mnist.ipynb."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    folder.mkdir(parents=True, exist_ok=True)
    notebook = released_with(notebook_cells(source), demos)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(folder)}},
    )
    started = time.monotonic()
    error = None
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # the kernel inherits this environment
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as exc:
        error = f"{type(exc).__name__}: {first_line(str(exc))}"
    nbformat.write(notebook, folder / "fashion_mnist.ipynb")
    checks = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        message = _cell_error(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        checks.append(Check(name=grade_id or f"cell-{index}", role=role_of(cell),
                            passed=message is None, message=message or ""))
    return SelfCheck(route="notebook", subject=subject, checks=checks, error=error,
                     seconds=round(time.monotonic() - started, 1))


# ---------------------------------------------------------------------------------------------
# Both routes, many submissions
# ---------------------------------------------------------------------------------------------


def run_route(route: Route, source: str | Variant, folder: Path, subject: str,
              demos: Demos = "skip") -> SelfCheck:
    """One submission's self-check on ``route`` (the module's text for a Variant is its
    ``source``)."""
    if route == "module":
        text = source.source if isinstance(source, Variant) else source
        return run_module(text, folder, subject)
    return run_notebook(source, folder, subject, demos)


def run_many(jobs: Iterable[tuple[Route, str | Variant, str]], work: Path, workers: int = 2,
             demos: Demos = "skip",
             progress: Callable[[SelfCheck], None] | None = None) -> list[SelfCheck]:
    """Each (route, submission, subject) in its own process (TensorFlow and the kernels stay
    out of this one), ``workers`` at a time; results in the order given."""
    jobs = list(jobs)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max(1, workers), mp_context=context) as pool:
        futures = [
            pool.submit(run_route, route, source, work / route / subject, subject, demos)
            for route, source, subject in jobs
        ]
        results = []
        for future in futures:
            result = future.result()
            if progress:
                progress(result)
            results.append(result)
    return results


def variant_results(chosen: list[Variant], work: Path, workers: int = 2,
                    routes: Iterable[Route] = ROUTES, demos: Demos = "skip",
                    progress: Callable[[SelfCheck], None] | None = None,
                    ) -> dict[Route, dict[str, SelfCheck]]:
    """Route -> variant name -> its self-check."""
    routes = list(routes)
    jobs = [(route, variant, variant.name) for route in routes for variant in chosen]
    done = run_many(jobs, work, workers, demos, progress)
    results: dict[Route, dict[str, SelfCheck]] = {route: {} for route in routes}
    for result in done:
        results[result.route][result.subject] = result
    return results


# ---------------------------------------------------------------------------------------------
# The mistakes corpus: each covered mistake fails its self-check with the fix phrase
# ---------------------------------------------------------------------------------------------


def coverage(entry: dict) -> Coverage | None:
    """The ``selfcheck:`` key of a mistakes.yaml entry, validated."""
    found = entry.get("selfcheck")
    return None if found is None else Coverage.model_validate(found)


def covered_mistakes(names: Iterable[str] | None = None) -> dict[str, tuple[str, Coverage]]:
    """Mistake -> (its module's text, its coverage), for every entry with a ``selfcheck:`` key
    (or the ``names`` given, covered or not)."""
    mistakes = load_mistakes()
    solution = SOLUTION_MODULE.read_text()
    chosen = list(names) if names is not None else list(mistakes)
    found = {}
    for name in chosen:
        entry = mistakes[name]
        covers = coverage(entry)
        if covers is None and names is None:
            continue
        found[name] = (mistake_source(name, entry, solution), covers or Coverage())
    return found


def problems(want: Expected, result: SelfCheck) -> list[str]:
    """What is wrong with ``result`` against ``want``: nothing if the named check failed with
    the fix phrase in its message."""
    if result.error:
        return [f"the self-check did not finish: {result.error}"]
    check = result.find(want.check)
    if check is None:
        return [f"there is no {want.check} (checks: {', '.join(c.name for c in result.checks)})"]
    if check.passed:
        return [f"{want.check} passed; it should fail with {want.fix!r}"]
    if want.fix not in check.message:
        return [f"{want.check} failed without {want.fix!r}: {check.message}"]
    return []


def mistake_results(names: Iterable[str] | None, work: Path, workers: int = 2,
                    routes: Iterable[Route] = ROUTES, every_route: bool = False,
                    progress: Callable[[SelfCheck], None] | None = None,
                    ) -> tuple[dict[str, tuple[str, Coverage]], dict[Route, dict[str, SelfCheck]]]:
    """The covered mistakes (or ``names``) and their self-checks on the routes they cover
    (``every_route``: on each of ``routes``)."""
    chosen = covered_mistakes(names)
    routes = list(routes)
    jobs: list[tuple[Route, str | Variant, str]] = [
        (route, text, name)
        for route in routes
        for name, (text, covers) in chosen.items()
        if every_route or route in covers.routes()
    ]
    results: dict[Route, dict[str, SelfCheck]] = {route: {} for route in routes}
    for result in run_many(jobs, work, workers, progress=progress):
        results[result.route][result.subject] = result
    return chosen, results


def _print_mistakes(args: argparse.Namespace) -> int:
    names = args.names or list(load_mistakes())
    wanted_routes = args.routes.split(",")
    log = args.jsonl.open("a") if args.jsonl else None

    def said(result: SelfCheck) -> None:
        print(f"{result.subject} {result.route} ({result.seconds:.0f} s): {result.summary()}",
              flush=True)
        if log:
            log.write(result.model_dump_json() + "\n")
            log.flush()

    with tempfile.TemporaryDirectory(prefix="selfcheck-") as scratch:
        chosen, results = mistake_results(names, Path(scratch), args.jobs, wanted_routes,
                                          every_route=True, progress=said)
    bad = 0
    print()
    for name, (_, covers) in chosen.items():
        for route, want in covers.routes().items():
            if route in results:
                wrong = problems(want, results[route][name])
                bad += bool(wrong)
                print(f"{name} {route}: expects {want.check} with {want.fix!r}: "
                      + ("; ".join(wrong) or "ok"))
    return 1 if bad else 0


def _print_variants(args: argparse.Namespace) -> int:
    chosen = variants()[: args.limit] if args.limit else variants()
    with tempfile.TemporaryDirectory(prefix="selfcheck-") as scratch:
        results = variant_results(chosen, Path(scratch), args.jobs, demos=args.demos,
                                  progress=lambda r: print(f"{r.route} {r.subject} "
                                                           f"{r.seconds:.0f}s: {r.summary()}",
                                                           flush=True))
    return 0 if all(r.passed for by in results.values() for r in by.values()) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    verbs = parser.add_subparsers(dest="verb", required=True)
    mistakes = verbs.add_parser("mistakes", help="what each mistake's self-check says")
    mistakes.add_argument("names", nargs="*", help="entries of mistakes.yaml (default: all)")
    mistakes.add_argument("--jobs", type=int, default=2)
    mistakes.add_argument("--routes", default="module,notebook", help="module, notebook or both")
    mistakes.add_argument("--jsonl", type=Path, help="also append each result to this file")
    chosen = verbs.add_parser("variants", help="the equivalence corpus's self-checks")
    chosen.add_argument("--limit", type=int, help="only the first N variants")
    chosen.add_argument("--jobs", type=int, default=2)
    chosen.add_argument("--demos", choices=["skip", "subset"], default="skip")
    args = parser.parse_args(argv)
    return _print_mistakes(args) if args.verb == "mistakes" else _print_variants(args)


if __name__ == "__main__":
    sys.exit(main())

