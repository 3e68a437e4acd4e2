"""The class report sorts students by the outcome each exercise records as data: every kind it
shows comes from one of the grader's own paths, and rewording any sentence a student reads
moves no one to another category."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograder import checks
from autograder.checks.context import JudgeContext
from autograder.checks.reference import References
from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from autograder.grade.backend import grader_fault
from autograder.grade.one import all_zero, judge_all, missing_file
from autograder.grade.results import results_json
from autograder.grade.submissions import Submission
from autograder.outcome import Outcome
from autograder.report.classreport import NOT_IMPORTED, ClassReport, build, report_csv
from autograder.report.parse import NO_RECORD, exercises, submission
from autograder.run.supervisor import RunOutcome, _death_reason, _watch

ASSIGNMENT = load_course().assignment("c1w2")
ERROR = {"message": "x", "where": None}


class _Running:
    """A worker that never ends by itself."""

    returncode = None

    def poll(self) -> None:
        return None


class _FullMemory:
    def hit_memory_limit(self) -> bool:
        return True


def _references(tmp_path: Path) -> References:
    empty = np.zeros((0,))
    return References(tmp_path, empty, empty, empty)


def _judged(result: ExerciseResult) -> dict[str, Any]:
    return results_json([result], result.max_score, 1.0, "")


def _stopped(tmp_path: Path) -> dict[str, Any]:
    """One submission whose exercises the supervisor stopped, each for another reason."""
    scratch = tmp_path / "stopped"
    scratch.mkdir()
    (scratch / "big").write_bytes(b"x" * 8192)
    no_disk = ASSIGNMENT.model_copy(
        update={"limits": ASSIGNMENT.limits.model_copy(update={"disk_mb": 0})}
    )
    notes = {
        "normalize": _death_reason(3, None),
        "build_model": _death_reason(-9, None),
        "compile_model": _death_reason(0, _FullMemory()),  # type: ignore[arg-type]
        "train_model": _watch(_Running(), scratch, ASSIGNMENT, ["x"], time.monotonic()),  # type: ignore[arg-type]
        "predict_labels": _watch(_Running(), scratch, no_disk, ["x"], time.monotonic() + 30),  # type: ignore[arg-type]
    }
    ran = RunOutcome(notes={e: n for e, n in notes.items() if n is not None})
    student = Submission("stopped", scratch / "fashion_mnist.py")
    results = judge_all(student, "module", ASSIGNMENT, _references(tmp_path), scratch, ran)
    return results_json(results, ASSIGNMENT.total, 1.0, "")


def class_of_every_outcome(tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    """A student per path of the grader that ends an exercise, each results.json made by the
    grader's own functions (judge, judge_all, all_zero, the supervisor's notes)."""
    ctx = JudgeContext(ASSIGNMENT, _references(tmp_path), tmp_path)

    def judged(data: object) -> dict[str, Any]:
        return _judged(checks.judge("normalize", data, ctx))

    graded = ExerciseResult("normalize", 10)
    graded.add("same shape", 4, True, "ok", "")
    graded.add("scaled to 0-1", 6, False, "", "divide by 255.0")
    loading = RunOutcome(load_error={"type": "SyntaxError", **ERROR})
    unloadable = Submission("unloadable", tmp_path / "fashion_mnist.py")
    nothing = Submission("nofile", tmp_path / "nofile" / "fashion_mnist.py")
    return [
        ("graded", _judged(graded)),
        ("raises", judged({"error": {"type": "ValueError", **ERROR}})),
        ("unwritten", judged({"error": {"type": "NotImplementedError", **ERROR}})),
        ("undefined", judged({"error": {"type": "Missing", **ERROR}})),
        ("forged", judged("not a record")),
        ("malformed", judged({"inputs": "forged"})),
        ("faulty", judged({"grader_fault": "KeyError in the probe of normalize"})),
        (
            "unloadable",
            results_json(
                judge_all(unloadable, "module", ASSIGNMENT, ctx.references, tmp_path, loading),
                ASSIGNMENT.total,
                1.0,
                "",
                Outcome.NOT_IMPORTED,
                "SyntaxError",
            ),
        ),
        ("nofile", all_zero(ASSIGNMENT, missing_file(nothing, ASSIGNMENT) or "")),
        ("grader", grader_fault(ASSIGNMENT, "RuntimeError: boom")),
        ("stopped", _stopped(tmp_path)),
    ]


def categories(report: ClassReport) -> dict[str, Any]:
    """Everything the report sorts students into."""
    return {
        "mistakes": sorted((g.exercise, g.item, tuple(g.students)) for g in report.mistakes),
        "limits": sorted((g.exercise, g.item, tuple(g.students)) for g in report.limits),
        "tampering": sorted((g.exercise, g.item, tuple(g.students)) for g in report.tampering),
        "unwritten": report.unwritten,
        "unsafe": report.unsafe,
        "status": [(e.name, e.students) for e in report.exercises],
    }


@pytest.fixture
def rows(tmp_path: Path) -> list[tuple[str, dict[str, Any]]]:
    return class_of_every_outcome(tmp_path)


def test_every_outcome_comes_from_a_real_path(rows) -> None:
    found = {graded.outcome for _, results in rows for graded in exercises(results)}
    assert found == set(Outcome)
    outcome = {
        student: {graded.name: (graded.outcome, graded.detail) for graded in exercises(results)}
        for student, results in rows
    }
    assert outcome["raises"]["normalize"] == (Outcome.RAISED, "ValueError")
    assert outcome["forged"]["normalize"] == (Outcome.UNTRUSTED, "unreadable_data")
    stopped = outcome["stopped"]
    assert stopped["normalize"] == (Outcome.CRASHED, "exit 3")
    assert stopped["build_model"] == (Outcome.CRASHED, "SIGKILL")
    assert stopped["compile_model"][0] is Outcome.OUT_OF_MEMORY
    assert stopped["train_model"] == (Outcome.TIMED_OUT, "submission_seconds")
    assert stopped["predict_labels"][0] is Outcome.DISK_LIMIT
    assert stopped["count_params"][0] is Outcome.NO_RESULT
    loads = {student: submission(results).outcome for student, results in rows}
    assert loads["unloadable"] is Outcome.NOT_IMPORTED and loads["nofile"] is Outcome.NO_FILE
    assert loads["grader"] is Outcome.GRADER_FAULT and loads["raises"] is Outcome.GRADED


def test_the_report_shows_each_outcome_in_its_section(rows) -> None:
    report = build(rows)
    limits = {(g.exercise, g.item): g.students for g in report.limits}
    assert limits[("normalize", "crashed")] == ["stopped"]
    assert limits[("build_model", "crashed")] == ["stopped"]
    assert limits[("compile_model", "out of memory")] == ["stopped"]
    assert limits[("train_model", "timed out")] == ["stopped"]
    assert limits[("predict_labels", "disk limit")] == ["stopped"]
    assert limits[("normalize", "grader fault")] == ["faulty", "grader"]
    tampering = {(g.exercise, g.item): g.students for g in report.tampering}
    assert tampering == {("normalize", "unreadable probe data"): ["forged", "malformed"]}
    mistakes = {(g.exercise, g.item): g.students for g in report.mistakes}
    assert mistakes[("normalize", "scaled to 0-1")] == ["graded"]
    assert mistakes[("normalize", "raises ValueError")] == ["raises"]
    assert mistakes[("normalize", "not defined")] == ["undefined"]
    assert mistakes[("", NOT_IMPORTED)] == ["unloadable"]  # once, not once per exercise
    assert not any(item == "file could not be imported" for _, item in mistakes)
    assert mistakes[("normalize", "no submission file")] == ["nofile"]
    assert mistakes[("count_params", "no result")] == ["stopped"]
    assert report.unwritten == {"unwritten": ["normalize"]}
    assert report.not_imported == {"unloadable": "raises SyntaxError on import"}
    assert report.hit_a_limit == ["faulty", "grader", "stopped"]


# Words of other categories: a reader of sentences would file every student under them.
MISLEADING = (
    "timed out: crashed, ran out of memory; {name} is not written yet; fashion_mnist.py could "
    "not be imported: Grader fault: the history reports a final training accuracy of 1.0"
)


def _reworded(results: dict[str, Any]) -> dict[str, Any]:
    """``results`` with every sentence a student reads rewritten: the overall output, each
    test's output, its note and each sub-check's message."""
    changed = copy.deepcopy(results)
    changed["output"] = "Graded WITHOUT isolation: " + MISLEADING.format(name="it")
    for test in changed["tests"]:
        words = MISLEADING.format(name=test["name"])
        test["output"] = f"PASS forged ({test['max_score']}/{test['max_score']}): {words}"
        record = test["extra_data"]
        record["note"] = f"{test['name']} {words}"
        for check in record["checks"]:
            check["message"] = words
    return changed


def test_rewording_a_sentence_moves_no_student(rows) -> None:
    before = categories(build(rows))
    after = categories(build([(student, _reworded(results)) for student, results in rows]))
    assert after == before


def test_a_result_without_its_record_is_no_result_with_a_note() -> None:
    older = {
        "score": 0,
        "max_score": 10,
        "output": "",
        "tests": [{"name": "normalize", "score": 0, "max_score": 10, "output": "timed out"}],
    }
    (graded,) = exercises(older)
    assert graded.outcome is Outcome.NO_RESULT and graded.note.startswith(NO_RECORD)
    assert "timed out" in graded.note  # what the student read is still shown
    assert submission(older).outcome is Outcome.NO_RESULT
    report = build([("old", older)])
    assert not report.limits
    assert [(g.exercise, g.item) for g in report.mistakes] == [("normalize", "no result")]


def test_a_submission_not_imported_is_one_line_with_its_reason(rows) -> None:
    report = build(rows)
    (group,) = [g for g in report.mistakes if g.item == NOT_IMPORTED]
    assert group.students == ["unloadable"] and group.count == 1
    assert group.details == {"unloadable": "could not be imported: raises SyntaxError on import"}
    assert group.points == 100  # everything it lost, once
    per_exercise = [g for g in report.mistakes if "unloadable" in g.students and g.exercise]
    assert per_exercise == []  # not twelve entries, one per exercise
    # the exercise table still counts its zeros
    assert all("unloadable" in entry.students["zero"] for entry in report.exercises)
    rows_csv = [line for line in report_csv(report).splitlines() if "unloadable" in line]
    assert "not_imported,,unloadable,raises SyntaxError on import,unloadable" in rows_csv
    # a module that imports is not one of them
    assert "graded" not in report.not_imported and "nofile" not in report.not_imported
