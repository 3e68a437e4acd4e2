"""A red-team corpus: hostile submissions graded in the sandbox, each to the honest score of its
non-hostile parts, with the grader surviving and nothing outside the scratch folder changed.

Every entry of tests/corpus/hostile.yaml becomes one student's submission (a base module with
the attack edited in, as a module or a notebook, with files beside it if the entry says so).
Every model fit costs seconds, so most entries start from the solution with the exercises
that train a model left as released, unwritten ("no_fit", worth 58); those whose attack
concerns what the train_model or ThresholdCallback probes compute keep those two ("cheap",
88); those that attack train_until bring a quick train_until of their own. They are graded,
with an honest control student (the full solution, which must score 100), in one batch under
smaller limits; an entry known to break the grader itself can be graded in a second batch of
its own (`batch: apart`). Each batch runs in a process of its own
(tests/run/hostile_batch.py) with its own TMPDIR, watched from here, so that a hanging
grader is killed instead of hanging the test session.

Each entry is then checked: it got a results.json with every exercise at exactly the expected
score (and feedback), its canary file on the host is unchanged and its forbidden path absent.
The batch as a whole: the grader came back, wrote grades.csv and cleaned up its temporary
folder; no process of the batch outlives it; the repository, the Python environment and the
system paths the entries aim at are unchanged; results.json files are what the grader
returned; no hidden file's content reached any feedback; a 2 GB output flood cost the grader
no memory. An entry with `weakness` is a strict xfail: the grader does not hold against it yet.
An entry with `limit` runs into a limit the README's threat model documents (a submission can
overwrite what its own probe reports): it expects the score the grader gives, which differs
from the honest score only by the sub-checks its probe computes in the student's process.
"""

from __future__ import annotations

import ast
import json
import os
import re
import signal
import subprocess
import sys
import sysconfig
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import psutil
import pytest
import yaml

from autograder.config import load_course
from autograder.run.limits import PREFIX as CGROUPS_PREFIX
from tests.conftest import (
    RELEASED_NOTEBOOK,
    ROOT,
    SOLUTION_MODULE,
    SOLUTION_NOTEBOOK,
    STUB_MODULE,
    TRAINING_EXERCISES,
)

pytestmark = pytest.mark.slow

CORPUS = ROOT / "tests" / "corpus" / "hostile.yaml"
RUNNER = Path(__file__).resolve().parent / "hostile_batch.py"
ASSIGNMENT = "c1w2"
CONTROL = "control_solution"
JOBS = 3  # on 2 cores: the hang entries mostly sleep, a third worker uses that time

# Smaller than course.yaml so that hangs and bombs cost little (the honest exercises of the
# cheap base take about 2 s each); train_until and normalization_effect keep their own 120 s
# limits, so honest parts still pass. The hang entries' feedback names exercise_seconds.
# count_params, where most attacks run, keeps course.yaml's 60 s: a memory bomb thrashing
# against its cgroup limit on a loaded machine can take over 15 s to be killed, and its
# feedback must name the memory limit, not the clock.
EXERCISE_LIMITS = {"count_params": 60}
LIMITS = {
    "exercise_seconds": 15,
    "submission_seconds": 300,
    "memory_mb": 3072,
    "processes": 256,
    "output_kb": 256,
}
MAIN_TIMEOUT = 1800  # seconds: the whole main batch, hard cap
APART_TIMEOUT = 600
STUCK_SECONDS = 60  # no sandbox of the batch running for this long while it is alive: a hang
LEFTOVER_GRACE = 15
CGROUP_ROOT = Path("/sys/fs/cgroup")
MAX_GRADER_RSS_MB = 2048  # the grader's own peak memory; a kept 2 GB flood would exceed it
MAX_RESULTS_BYTES = 512 * 1024

GROUPS = {"verdicts", "sandbox", "resources", "process", "faking", "notebook"}
# Base -> the exercises left as released (unwritten) in the solution; "stub" is the release.
UNWRITTEN = {
    "no_fit": ("train_model", "ThresholdCallback", *TRAINING_EXERCISES),
    "cheap": TRAINING_EXERCISES,
    "solution": (),
}
BASES = (*UNWRITTEN, "stub")
DEFAULT_BASE = "no_fit"
ENTRY_KEYS = {
    "why",
    "group",
    "base",
    "limit",
    "replace",
    "append",
    "notebook",
    "files_beside",
    "expect",
    "processes_capped",
    "batch",
    "weakness",
}
NOTEBOOK_KEYS = {"after_setup", "replace", "cells", "test_cells"}
LIMIT_KEYS = {"why", "honest"}
NOT_WRITTEN = "is not written yet"  # the feedback of an exercise still raising NotImplementedError
# Strings only found in files the sandbox must not show: none may reach a student's feedback.
SECRETS = {
    "course.yaml": ("train_until_images", "heldout_accuracy", "normalization_margin"),
    "autograder/checks/inputs.py": ("HIDDEN_UNITS_PROBE", "COUNT_PARAMS_UNITS"),
    "autograder/checks/reference.py": ("REFERENCE_HIDDEN_UNITS",),
    "README.md": ("Threat model",),
}

ENTRIES: dict[str, dict[str, Any]] = yaml.safe_load(CORPUS.read_text())
POINTS = {name: ex.points for name, ex in load_course().assignment(ASSIGNMENT).exercises.items()}


# --- building the submissions -----------------------------------------------------------------


@dataclass
class Places:
    """Where the run keeps things on the host, and the tokens hostile code is given."""

    tmp: Path
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def marker(self) -> str:
        return f"c1w2-hostile-{self.token}"

    @property
    def comm(self) -> str:
        return f"hx{self.token[:10]}"

    def canary(self, name: str) -> Path:
        return self.tmp / "host" / f"{name}.canary"

    def canary_text(self, name: str) -> str:
        return f"canary of {name}, run {self.token}\n"

    def absent(self, name: str) -> Path:
        return self.tmp / "host" / f"{name}.absent"

    def out(self, batch: str) -> Path:
        return self.tmp / f"out-{batch}"

    def gradetmp(self, batch: str) -> Path:
        return self.tmp / f"gradetmp-{batch}"

    def values(self, name: str) -> dict[str, str]:
        return {
            "ROOT": str(ROOT),
            "CANARY": str(self.canary(name)),
            "ABSENT": str(self.absent(name)),
            "CONTROL": str(self.out("main") / CONTROL / "results.json"),
            "OUT": str(self.out(batch_of(name))),
            "MARKER": self.marker,
            "COMM": self.comm,
        }

    def system_paths(self) -> list[Path]:
        """Host paths outside the run's folder that hostile code aims at."""
        purelib = Path(sysconfig.get_paths()["purelib"])
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        named = [
            Path("/tmp") / f"{self.marker}.txt",
            Path("/") / f"{self.marker}.txt",
            Path("/root") / f"{self.marker}.txt",
            Path("/usr/lib") / f"{self.marker}.txt",
            Path("/etc") / f"{self.marker}.txt",
            Path("/bin") / self.marker,
            Path("/dev/shm") / f"{self.marker}.txt",
        ]
        return [
            *named,
            Path("/autograder"),
            Path("/results.json"),
            purelib / "sitecustomize.py",
            stdlib / "sitecustomize.py",
            ROOT / "course.yaml.pwned",
        ]


def batch_of(name: str) -> str:
    return "apart" if ENTRIES.get(name, {}).get("batch") == "apart" else "main"


def fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    return text


def base_of(entry: dict[str, Any]) -> str:
    return entry.get("base", DEFAULT_BASE)


def as_released(source: str, released: str, names: tuple[str, ...]) -> str:
    """``source`` with the top-level definitions of ``names`` as in ``released`` (unwritten)."""
    kinds = (ast.FunctionDef, ast.ClassDef)
    stubs = {n.name: n for n in ast.parse(released).body if isinstance(n, kinds)}
    stub_lines, lines = released.splitlines(), source.splitlines()
    replaced = set()
    for node in reversed(ast.parse(source).body):
        if isinstance(node, kinds) and node.name in names:
            stub = stubs[node.name]
            lines[node.lineno - 1 : node.end_lineno] = stub_lines[stub.lineno - 1 : stub.end_lineno]
            replaced.add(node.name)
    assert replaced == set(names), f"not found in the solution: {set(names) - replaced}"
    return "\n".join(lines) + "\n"


def module_source(name: str, entry: dict[str, Any], values: dict[str, str]) -> str:
    """The base module with the entry's edits, placeholders filled in."""
    base = base_of(entry)
    if base == "stub":
        text = STUB_MODULE.read_text()
    else:
        text = as_released(SOLUTION_MODULE.read_text(), STUB_MODULE.read_text(), UNWRITTEN[base])
    for old, new in entry.get("replace") or []:
        assert old in text, f"{name}: {old!r} is not in the base module"
        text = text.replace(old, new, 1)
    if entry.get("append"):
        text = text.rstrip("\n") + "\n\n\n" + entry["append"]
    return fill(text, values)


def notebook_source(name: str, entry: dict[str, Any], values: dict[str, str]) -> str:
    """The solution (or released) notebook with the entry's cells, placeholders filled in."""
    spec = entry["notebook"]
    base = base_of(entry)
    released = nbformat.read(RELEASED_NOTEBOOK, as_version=4)
    notebook = released if base == "stub" else nbformat.read(SOLUTION_NOTEBOOK, as_version=4)
    cells = notebook.cells
    stubs = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in released.cells}
    for cell in cells:
        exercise = cell.metadata.get("nbgrader", {}).get("grade_id")
        if base != "stub" and exercise in UNWRITTEN[base]:
            cell.source = stubs[exercise]
    if spec.get("after_setup"):
        setup = next(
            i
            for i, c in enumerate(cells)
            if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"
        )
        cells.insert(setup + 1, nbformat.v4.new_code_cell(spec["after_setup"]))
    for old, new in spec.get("replace") or []:
        cell = next((c for c in cells if c.cell_type == "code" and old in c.source), None)
        assert cell is not None, f"{name}: no code cell holds {old!r}"
        cell.source = cell.source.replace(old, new, 1)
    if spec.get("test_cells"):
        for cell in cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                cell.source = spec["test_cells"]
    for extra in spec.get("cells") or []:
        if isinstance(extra, str):
            cells.append(nbformat.v4.new_code_cell(extra))
        else:
            metadata = {"nbgrader": extra["nbgrader"]} if extra.get("nbgrader") else {}
            cells.append(nbformat.v4.new_code_cell(extra["source"], metadata=metadata))
    for cell in cells:
        if cell.cell_type == "code":
            cell.source = fill(cell.source, values)
    return nbformat.writes(notebook)


def write_submission(folder: Path, name: str, entry: dict[str, Any], values: dict[str, str]):
    folder.mkdir(parents=True)
    if "notebook" in entry:
        (folder / "fashion_mnist.ipynb").write_text(notebook_source(name, entry, values))
    else:
        (folder / "fashion_mnist.py").write_text(module_source(name, entry, values))
    for relative, content in (entry.get("files_beside") or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(content, values))


def hostile_course(target: Path) -> Path:
    course = yaml.safe_load((ROOT / "course.yaml").read_text())
    assignment = course["assignments"][ASSIGNMENT]
    assignment.setdefault("limits", {}).update(LIMITS)
    for exercise, seconds in EXERCISE_LIMITS.items():
        assignment["exercises"][exercise]["time_limit"] = seconds
    target.write_text(yaml.safe_dump(course, sort_keys=False))
    return target


# --- running a batch, watched from outside --------------------------------------------------


@dataclass
class Batch:
    """How one batch ended."""

    name: str
    students: list[str]
    summary: dict[str, Any] | None
    stopped: str  # why the watchdog had to kill it, or ""
    exit_code: int | None
    seconds: float
    log: Path
    pid: int

    def describe(self) -> str:
        if self.stopped:
            return f"the {self.name} batch was killed: {self.stopped}"
        if self.summary is None:
            return f"the {self.name} batch died (exit {self.exit_code}) without a summary"
        if not self.summary["returned"]:
            last = self.summary["error"].strip().splitlines()[-1]
            return f"grade.main raised in the {self.name} batch: {last}"
        return f"the {self.name} batch came back in {self.seconds:.0f} s"


def processes_holding(needles: tuple[str, ...], comm: str = "") -> list[str]:
    """Processes (not this one) whose command line holds a needle, or named ``comm``."""
    found = []
    for process in psutil.process_iter(["pid", "name", "cmdline"]):
        if process.info["pid"] == os.getpid():
            continue
        command = " ".join(process.info["cmdline"] or [])
        name = process.info["name"] or ""
        if any(needle in command for needle in needles) or (comm and name.startswith(comm)):
            found.append(f"pid {process.info['pid']} {name}: {command[:160]}")
    return found


def run_batch(places: Places, batch: str, students: list[str], timeout: float) -> Batch:
    """Grade ``submissions-<batch>`` in a child process; kill it if it hangs."""
    gradetmp = places.gradetmp(batch)
    gradetmp.mkdir()
    summary = places.tmp / f"summary-{batch}.json"
    log = places.tmp / f"grader-{batch}.log"
    command = [
        sys.executable,
        str(RUNNER),
        str(places.tmp / f"submissions-{batch}"),
        str(places.out(batch)),
        str(places.tmp / "course.yaml"),
        str(summary),
        str(JOBS),
    ]
    env = {**os.environ, "TMPDIR": str(gradetmp), "TF_CPP_MIN_LOG_LEVEL": "3"}
    started = time.monotonic()
    stopped, seen_sandbox, idle_since = "", False, None
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while process.poll() is None:
            time.sleep(1)
            now = time.monotonic()
            if now - started > timeout:
                stopped = f"still running after {timeout:g} s"
                break
            if processes_holding((str(gradetmp),)):
                seen_sandbox, idle_since = True, None
            elif seen_sandbox:
                idle_since = idle_since or now
                if now - idle_since > STUCK_SECONDS:
                    stopped = (
                        f"stuck: no sandbox had run for {STUCK_SECONDS} s while the grader "
                        "was still alive (a grading thread is blocked)"
                    )
                    break
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    loaded = json.loads(summary.read_text()) if summary.exists() else None
    seconds = time.monotonic() - started
    return Batch(batch, students, loaded, stopped, process.returncode, seconds, log, process.pid)


def cgroups_of(pid: int) -> list[str]:
    """The cgroups (v1 or v2) a grader with this pid created that still exist."""
    pattern = f"{CGROUPS_PREFIX}{pid}-*"  # limits names its cgroups <prefix><pid>-<id>
    return sorted(
        str(path) for depth in range(4) for path in CGROUP_ROOT.glob("*/" * depth + pattern)
    )


# --- the fixture: everything graded once ----------------------------------------------------


def host_fingerprint(places: Places) -> dict[str, str]:
    """The state of the host files and folders hostile code aims at, outside the run's folder.

    Repository files are checked for what hostile code writes (the run's token, "pwned", a
    worker's job) rather than by digest: they may be edited while the batch runs.
    """
    marks = (places.token, "pwned", '"inputs_dir"')
    found: dict[str, str] = {}
    for path in [ROOT / "course.yaml", *sorted((ROOT / "solutions" / "c1w2").glob("*"))]:
        text = path.read_text(errors="replace") if path.is_file() else None
        tampered = text is not None and any(mark in text for mark in marks)
        found[str(path)] = "missing" if text is None else "tampered" if tampered else "intact"
    purelib = Path(sysconfig.get_paths()["purelib"])
    found["site-packages"] = ",".join(sorted(os.listdir(purelib)))
    for path in places.system_paths():
        found[str(path)] = "exists" if os.path.lexists(path) else "absent"
    return found


@dataclass
class Graded:
    places: Places
    batches: dict[str, Batch]
    results: dict[str, dict[str, Any] | None]
    results_text: dict[str, str]
    before: dict[str, str]
    after: dict[str, str]
    leftovers: list[str]

    def note(self, name: str) -> str:
        return self.batches[batch_of(name)].describe()


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    places = Places(tmp_path_factory.mktemp("hostile"))
    (places.tmp / "host").mkdir()
    hostile_course(places.tmp / "course.yaml")
    students: dict[str, list[str]] = {"main": [CONTROL], "apart": []}
    control = {"base": "solution"}
    write_submission(places.tmp / "submissions-main" / CONTROL, CONTROL, control, {})
    for name, entry in ENTRIES.items():
        places.canary(name).write_text(places.canary_text(name))
        batch = batch_of(name)
        students[batch].append(name)
        folder = places.tmp / f"submissions-{batch}" / name
        write_submission(folder, name, entry, places.values(name))
    before = host_fingerprint(places)
    batches = {"main": run_batch(places, "main", students["main"], MAIN_TIMEOUT)}
    if students["apart"]:
        batches["apart"] = run_batch(places, "apart", students["apart"], APART_TIMEOUT)
    needles = (places.marker, *(str(places.gradetmp(b)) for b in batches))
    deadline = time.monotonic() + LEFTOVER_GRACE
    while (leftovers := processes_holding(needles, places.comm)) and time.monotonic() < deadline:
        time.sleep(1)
    results: dict[str, dict[str, Any] | None] = {}
    texts: dict[str, str] = {}
    for batch, names in students.items():
        for name in names:
            path = places.out(batch) / name / "results.json"
            texts[name] = path.read_text() if path.exists() else ""
            results[name] = json.loads(texts[name]) if texts[name] else None
    report = "\n".join([b.describe() for b in batches.values()] + report_table(results))
    (places.tmp / "report.txt").write_text(report)
    print(f"\n{report}")  # shown with pytest -s
    return Graded(places, batches, results, texts, before, host_fingerprint(places), leftovers)


def report_table(results: dict[str, dict[str, Any] | None]) -> list[str]:
    """One line per student: base, honest and expected totals, what the grader gave, seconds."""
    head = f"{'student':26} {'base':8} {'honest':>6} {'expected':>8} {'result':>7} {'seconds':>7}"
    lines = [head]
    for name, got in results.items():
        entry = ENTRIES.get(name, {"base": "solution"})
        scores = {ex: score for ex, (score, _) in expected_scores(entry).items()}
        expected = sum(scores.values())
        honest = sum({**scores, **(entry.get("limit") or {}).get("honest", {})}.values())
        score = f"{got['score']:g}" if got else "none"
        seconds = f"{got['execution_time']:.0f}" if got else "-"
        mark = " (xfail)" if entry.get("weakness") else " (limit)" if entry.get("limit") else ""
        lines.append(
            f"{name:26} {base_of(entry):8} {honest:>6g} {expected:>8g} {score:>7} {seconds:>7}"
            + mark
        )
    return lines


# --- per entry --------------------------------------------------------------------------------


def base_scores(base: str) -> dict[str, tuple[float, list[str]]]:
    """Exercise id -> (score, feedback substrings) the base module alone gets."""
    unwritten = set(POINTS) if base == "stub" else set(UNWRITTEN[base])
    return {
        exercise: (0, [NOT_WRITTEN]) if exercise in unwritten else (points, [])
        for exercise, points in POINTS.items()
    }


def expected_scores(entry: dict[str, Any]) -> dict[str, tuple[float, list[str]]]:
    """Exercise id -> (score, feedback substrings), for every exercise."""
    expected = base_scores(base_of(entry))
    spec = dict(entry.get("expect") or {})

    def parse(want: Any) -> tuple[float, list[str]]:
        if not isinstance(want, dict):
            return want, []
        feedback = want.get("feedback") or []
        return want["score"], [feedback] if isinstance(feedback, str) else list(feedback)

    if "all" in spec:
        everything = parse(spec.pop("all"))
        expected = dict.fromkeys(POINTS, everything)
    for exercise, want in spec.items():
        expected[exercise] = parse(want)
    return expected


def _param(name: str) -> Any:
    reason = ENTRIES[name].get("weakness")
    marks = [pytest.mark.xfail(strict=True, reason=" ".join(reason.split()))] if reason else []
    return pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", [_param(name) for name in ENTRIES])
def test_hostile_submission(graded: Graded, name: str) -> None:
    entry = ENTRIES[name]
    results = graded.results[name]
    assert results is not None, f"{name} got no results.json: {graded.note(name)}"
    assert [t["name"] for t in results["tests"]] == list(POINTS), name
    problems = []
    for exercise, (score, feedbacks) in expected_scores(entry).items():
        test = next(t for t in results["tests"] if t["name"] == exercise)
        if test["score"] != pytest.approx(score):
            problems.append(f"{exercise}: {test['score']} instead of {score}: {test['output']}")
        for wanted in feedbacks:
            if wanted not in test["output"]:
                problems.append(f"{exercise}: {wanted!r} not in feedback {test['output']!r}")
    assert not problems, f"{name} ({graded.note(name)}):\n" + "\n".join(problems)
    places = graded.places
    assert places.canary(name).read_text() == places.canary_text(name), (
        f"{name} changed a host file outside its sandbox: {places.canary(name)} now holds "
        f"{places.canary(name).read_text()[:300]!r}"
    )
    assert not os.path.lexists(places.absent(name)), f"{name} created {places.absent(name)}"
    if entry.get("processes_capped"):
        said = next(t["output"] for t in results["tests"] if t["name"] == "count_params")
        count = re.search(r"after (\d+) processes", said)
        assert count, said
        assert int(count.group(1)) <= LIMITS["processes"], said


# --- the batch as a whole -----------------------------------------------------------------------


def test_control_solution_scores_100(graded: Graded) -> None:
    results = graded.results[CONTROL]
    assert results is not None, graded.batches["main"].describe()
    assert results["score"] == 100, json.dumps(results, indent=1)


def _check_survived(graded: Graded, batch: str) -> None:
    ran = graded.batches[batch]
    assert not ran.stopped and ran.summary and ran.summary["returned"], (
        ran.describe() + "\n" + ran.log.read_text()[-3000:]
    )
    assert ran.exit_code == 0, ran.describe()
    out = graded.places.out(batch)
    rows = (out / "grades.csv").read_text().splitlines()
    assert sorted(row.split(",")[0] for row in rows[1:]) == sorted(ran.students)
    for student in ran.students:
        assert graded.results[student] is not None, f"{student}: no results.json"
        assert graded.results[student] == ran.summary["results"][student], (
            f"{student}: results.json is not what the grader returned"
        )
    left = sorted(p.name for p in graded.places.gradetmp(batch).iterdir())
    assert not left, f"the grader left {left} in its temporary folder"


def test_grader_survives_the_main_batch(graded: Graded) -> None:
    _check_survived(graded, "main")


_APART = [name for name in ENTRIES if batch_of(name) == "apart"]
_APART_WEAK = [name for name in _APART if ENTRIES[name].get("weakness")]


@pytest.mark.skipif(not _APART, reason="no entry is graded apart")
@pytest.mark.xfail(
    bool(_APART_WEAK),
    strict=True,
    reason=f"known to hang or crash the grader: {', '.join(_APART_WEAK)}",
)
def test_grader_survives_the_apart_batch(graded: Graded) -> None:
    _check_survived(graded, "apart")


def test_no_process_outlives_the_batch(graded: Graded) -> None:
    assert not graded.leftovers, "\n".join(graded.leftovers)


def test_no_cgroup_outlives_the_main_batch(graded: Graded) -> None:
    left = cgroups_of(graded.batches["main"].pid)
    assert not left, f"the grader left {len(left)} cgroups behind: {left[:5]}"


def test_host_files_unchanged(graded: Graded) -> None:
    changed = {
        key: (graded.before[key], graded.after.get(key))
        for key in graded.before
        if graded.before[key] != graded.after.get(key)
    }
    assert not changed, changed


def test_hidden_files_never_reach_feedback(graded: Graded) -> None:
    checked = 0
    for relative, secrets in SECRETS.items():
        text = (ROOT / relative).read_text()
        for secret in secrets:
            if secret not in text:
                continue
            checked += 1
            leaked = [name for name, raw in graded.results_text.items() if secret in raw]
            assert not leaked, f"{secret!r} of {relative} is in the results of {leaked}"
    assert checked >= 3, "the secrets no longer match the hidden files: update SECRETS"


def test_output_flood_costs_neither_memory_nor_disk(graded: Graded) -> None:
    assert graded.results["output_flood"] is not None, graded.note("output_flood")
    summary = graded.batches["main"].summary
    assert summary is not None, graded.batches["main"].describe()
    assert summary["max_rss_kb"] / 1024 < MAX_GRADER_RSS_MB, summary["max_rss_kb"]
    for name, raw in graded.results_text.items():
        assert len(raw.encode()) < MAX_RESULTS_BYTES, f"{name}: results.json is {len(raw)} bytes"
    on_disk = sum(p.stat().st_size for p in graded.places.out("main").rglob("*") if p.is_file())
    assert on_disk < MAX_RESULTS_BYTES * len(graded.batches["main"].students)


# --- the corpus itself ------------------------------------------------------------------------


def test_corpus_is_well_formed() -> None:
    assert len(ENTRIES) >= 25
    assert {entry.get("group") for entry in ENTRIES.values()} == GROUPS
    assert sum("notebook" in entry for entry in ENTRIES.values()) >= 3
    for name, entry in ENTRIES.items():
        assert set(entry) <= ENTRY_KEYS, f"{name}: unknown keys {set(entry) - ENTRY_KEYS}"
        assert entry.get("why") and entry.get("group") in GROUPS, name
        assert set(entry.get("notebook") or {}) <= NOTEBOOK_KEYS, name
        assert base_of(entry) in BASES, f"{name}: base must be one of {BASES}"
        limit = entry.get("limit")
        if limit is not None:
            # What the grader gives differs from the honest score only where the README says
            # it may: each exercise named, with its honest score, and why.
            assert set(limit) == LIMIT_KEYS and "README" in limit["why"], name
            for exercise, honest in limit["honest"].items():
                assert 0 <= honest <= POINTS[exercise], (name, exercise)
                assert expected_scores(entry)[exercise][0] != honest, (name, exercise)
        expect = entry.get("expect")
        assert isinstance(expect, dict), f"{name}: no expect"
        assert set(expect) <= {*POINTS, "all"}, f"{name}: unknown exercise in expect"
        for exercise, (score, _) in expected_scores(entry).items():
            assert 0 <= score <= POINTS[exercise], (name, exercise)
        values = Places(Path("/nowhere")).values(name)
        built = (
            notebook_source(name, entry, values)
            if "notebook" in entry
            else module_source(name, entry, values)
        )
        for text in [built, *(entry.get("files_beside") or {}).values()]:
            left = re.findall(r"@[A-Z]+@", fill(text, values))
            assert not left, f"{name}: unknown placeholders {left}"
        if "notebook" not in entry:
            compile(built, name, "exec")
