"""Grading a class end to end in the sandbox: solutions get all they wrote, stubs 0, notebooks
too, and a crash or a hang costs only the exercise it happened in. (Cheap: the two exercises
that train on real data are left unwritten; the full solution scoring 100 as a module and as a
notebook is shown by the mistakes and equivalence corpora.)"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from autograder import grade
from autograder.config import load_course
from autograder.outcome import Outcome
from autograder.release_record import RECORD, record_text
from autograder.report.classreport import NOT_IMPORTED, build
from autograder.report.parse import exercises, submission
from tests.conftest import (
    EXERCISES,
    RELEASED_NOTEBOOK,
    ROOT,
    SOLUTION_MODULE,
    SOLUTION_NOTEBOOK,
    STUB_MODULE,
    TRAINING_EXERCISES,
    edited_notebook,
    feedback,
    replacing,
    scores,
    without_training,
    write_class,
)

pytestmark = pytest.mark.slow
HANG_LIMIT = 8


def _course_with_short_limit(tmp: Path) -> Path:
    text = (ROOT / "course.yaml").read_text()
    old = 'count_params: {title: "Exploration: more neurons", points: 2}'
    assert old in text
    path = tmp / "course.yaml"
    path.write_text(text.replace(old, old[:-1] + f", time_limit: {HANG_LIMIT}}}"))
    released = tmp / "release" / "c1w2" / RELEASED_NOTEBOOK.name
    released.parent.mkdir(parents=True)
    released.write_bytes(RELEASED_NOTEBOOK.read_bytes())  # its read-only cells, as released
    made_with = load_course(path).assignment("c1w2").values()  # released with this course
    (released.parent / RECORD).write_text(record_text(made_with, {}))
    return path


def _notebook_changing_the_setup_cell(tmp: Path) -> Path:
    """The solution notebook with a typo in the read-only import cell, and (to stay cheap)
    the two training exercises left unwritten: 88 points once the cell runs as released."""
    edits = {e: lambda source: "" for e in TRAINING_EXERCISES}
    edits["setup"] = replacing("import tensorflow as tf", "import tensorflw as tf")
    return edited_notebook(tmp / "typo" / SOLUTION_NOTEBOOK.name, edits)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    tmp = tmp_path_factory.mktemp("batch")
    solution = without_training(SOLUTION_MODULE.read_text())  # cheap: these test the grader
    hang = solution.replace("    pixels = 28 * 28\n", "    while True:\n        pass\n")
    crash = solution.replace("    return images / 255.0\n", "    import os\n    os._exit(3)\n")
    raises = solution.replace("    return images / 255.0\n", "    raise ValueError('mine')\n")
    # State one exercise leaves behind for another: train_model (lane 1) and predict_labels
    # (lane 0) never share a process, whether the lanes run side by side or one after the other.
    stateful = solution.replace(
        "    return model.fit(", "    TRAINED.append(1)\n    return model.fit("
    ).replace(
        "    probabilities = model.predict(",
        "    if TRAINED:\n        raise RuntimeError('train_model ran first')\n"
        "    probabilities = model.predict(",
    )
    stateful += "\nTRAINED = []\n"
    assert hang != solution and crash != solution and stateful.count("TRAINED") == 3
    root = write_class(
        tmp / "class",
        {
            "solution": solution,
            "stub": STUB_MODULE,
            "nb_solution": edited_notebook(
                tmp / "nb" / SOLUTION_NOTEBOOK.name,
                {e: lambda source: without_training(source) for e in TRAINING_EXERCISES},
            ),
            "nb_stub": RELEASED_NOTEBOOK,
            "hangs": hang,
            "crashes": crash,
            "stateful": stateful,
            "nb_setup_typo": _notebook_changing_the_setup_cell(tmp),
            "raises": raises,
            "empty": "",
            "unloadable": "raise ValueError('at import')\n",
        },
    )
    (root / "nofile").mkdir()  # a student folder without the file
    out = tmp / "graded"
    graded = grade.main("c1w2", [root], out, jobs=2, course_file=_course_with_short_limit(tmp))
    return out, {g.submission.student: g.results for g in graded}


def test_solutions_score_all_they_wrote(batch) -> None:
    _, results = batch
    for student in ("solution", "nb_solution"):
        got = scores(results[student])
        assert results[student]["score"] == 88, json.dumps(results[student], indent=1)
        assert all(got[e] == 0 for e in TRAINING_EXERCISES), got
        assert all(
            "not written yet" in t["output"]
            for t in results[student]["tests"]
            if t["name"] in TRAINING_EXERCISES
        ), student


def test_stubs_score_0_and_say_what_to_do(batch) -> None:
    _, results = batch
    for student in ("stub", "nb_stub"):
        assert results[student]["score"] == 0
        for test in results[student]["tests"]:
            assert test["score"] == 0
            assert "not written yet" in test["output"], (student, test)


def test_a_hang_costs_only_that_exercise(batch) -> None:
    _, results = batch
    got = scores(results["hangs"])
    assert got["count_params"] == 0
    assert f"timed out: still running after its {HANG_LIMIT} s limit" in feedback(
        results["hangs"], "count_params"
    )
    assert sum(got.values()) == 88 - 2


def test_lanes_keep_exercises_apart(batch) -> None:
    _, results = batch
    got = scores(results["stateful"])
    assert got["train_model"] == 10 and got["predict_labels"] == 10, results["stateful"]
    assert sum(got.values()) == 88


def test_a_crash_costs_only_that_exercise(batch) -> None:
    _, results = batch
    got = scores(results["crashes"])
    assert got["normalize"] == 0
    assert "crashed: its process exited with status 3" in feedback(results["crashes"], "normalize")
    assert sum(got.values()) == 88 - 10


def test_results_json_follows_the_contract(batch) -> None:
    out, results = batch
    for student in results:
        written = json.loads((out / student / "results.json").read_text())
        assert written == results[student]
        assert set(written) == {
            "score",
            "max_score",
            "execution_time",
            "output",
            "extra_data",
            "tests",
        }
        assert written["max_score"] == 100
        assert [t["name"] for t in written["tests"]] == list(EXERCISES)
        for test in written["tests"]:
            assert set(test) == {
                "name",
                "score",
                "max_score",
                "output",
                "visibility",
                "extra_data",
            }
            assert 0 <= test["score"] <= test["max_score"]
            assert "Traceback" not in test["output"]


def test_grades_csv_has_a_row_per_student(batch) -> None:
    out, results = batch
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [row["student"] for row in rows] == sorted(results)
    assert {row["student"]: float(row["score"]) for row in rows} == {
        s: r["score"] for s, r in results.items()
    }
    assert list(rows[0])[:3] == ["student", "score", "max_score"]


def test_a_changed_read_only_cell_runs_as_released_and_the_student_is_told(batch) -> None:
    _, results = batch
    got = results["nb_setup_typo"]
    assert got["score"] == 88, json.dumps(got, indent=1)
    assert all(scores(got)[e] == 0 for e in TRAINING_EXERCISES)
    assert (
        "You changed the read-only cell(s) setup; the grader ran them as released"
        in (got["output"])
    )


def test_each_outcome_is_recorded_as_data_on_its_real_path(batch) -> None:
    _, results = batch
    kinds = {
        student: {test.name: (test.outcome, test.detail) for test in exercises(document)}
        for student, document in results.items()
    }
    assert kinds["hangs"]["count_params"] == (Outcome.TIMED_OUT, "exercise_seconds")
    assert kinds["crashes"]["normalize"] == (Outcome.CRASHED, "exit 3")
    assert kinds["raises"]["normalize"] == (Outcome.RAISED, "ValueError")
    assert kinds["stateful"]["normalize"] == (Outcome.GRADED, "")
    for student in ("stub", "nb_stub"):
        assert {kind for kind, _ in kinds[student].values()} == {Outcome.NOT_WRITTEN}
    assert {kind for kind, _ in kinds["empty"].values()} == {Outcome.NOT_DEFINED}
    assert set(kinds["unloadable"].values()) == {(Outcome.NOT_IMPORTED, "ValueError")}
    assert {kind for kind, _ in kinds["nofile"].values()} == {Outcome.NO_FILE}
    loads = {student: submission(document).outcome for student, document in results.items()}
    assert loads["unloadable"] is Outcome.NOT_IMPORTED and loads["nofile"] is Outcome.NO_FILE
    assert loads["hangs"] is Outcome.GRADED
    report = build(sorted(results.items()))
    limits = {(g.exercise, g.item): g.students for g in report.limits}
    assert limits == {
        ("count_params", "timed out"): ["hangs"],
        ("normalize", "crashed"): ["crashes"],
    }
    mistakes = {(g.exercise, g.item): g.students for g in report.mistakes}
    assert mistakes[("normalize", "raises ValueError")] == ["raises"]
    assert mistakes[("normalize", "not defined")] == ["empty"]
    assert mistakes[("", NOT_IMPORTED)] == ["unloadable"]  # once, not once per exercise
    assert report.not_imported == {"unloadable": "raises ValueError on import"}
    assert mistakes[("normalize", "no submission file")] == ["nofile"]
    assert set(report.unwritten) >= {"stub", "nb_stub"}
