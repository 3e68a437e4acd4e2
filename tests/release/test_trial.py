"""Why a course cannot be graded, from what the solution measured (no training here: the
figures are given; tests/release/test_tailored_course.py runs a real trial)."""

from __future__ import annotations

from autograder.checks.result import ExerciseResult
from autograder.config import load_course
from autograder.outcome import Outcome
from autograder.release.trial import Trial, figures, problems
from autograder.run.supervisor import Note, RunOutcome

COURSE = load_course().assignment("c1w2")


def full_marks(**overrides: ExerciseResult) -> dict[str, ExerciseResult]:
    results = {}
    for exercise, settings in COURSE.exercises.items():
        result = ExerciseResult(exercise, settings.points)
        result.add("all", settings.points, True, "fine", "")
        results[exercise] = overrides.get(exercise, result)
    return results


def outcome(seconds: float = 50.0, **data: dict) -> RunOutcome:
    base = {exercise: {"seconds": 1.0} for exercise in COURSE.exercises}
    base.update(data)
    return RunOutcome(data=base, seconds=seconds)


def failed(exercise: str, name: str, message: str, **artifacts: dict) -> ExerciseResult:
    result = ExerciseResult(exercise, COURSE.exercises[exercise].points)
    result.add("rest", COURSE.exercises[exercise].points - 1, True, "fine", "")
    result.add(name, 1, False, "", message)
    result.artifacts.update(artifacts)
    return result


def test_a_passing_solution_within_the_limits_raises_nothing() -> None:
    assert problems(COURSE, Trial(full_marks(), outcome())) == []


def test_an_unreachable_training_threshold_gives_the_accuracy_reached() -> None:
    history = {
        "history": {
            "type": "History",
            "is_history": True,
            "history": {"accuracy": [0.7, 0.75, 0.78, 0.79, 0.80, 0.81]},
        }
    }
    result = failed("train_until", "reaches threshold", "below")
    found = problems(COURSE, Trial(full_marks(train_until=result), outcome(train_until=history)))
    assert found == [
        "the solution reaches 0.81 training accuracy on 4,000 images in 6 epochs; "
        "checks.train_until_threshold 0.82 is out of reach: raise checks.train_until_images or "
        "checks.train_until_max_epochs, or lower the threshold"
    ]


def test_a_threshold_reached_only_at_max_epochs() -> None:
    history = {
        "history": {
            "type": "History",
            "is_history": True,
            "history": {"accuracy": [0.7, 0.75, 0.78, 0.8, 0.81, 0.83]},
        }
    }
    result = failed("train_until", "halts before max_epochs", "ran 6")
    found = problems(COURSE, Trial(full_marks(train_until=result), outcome(train_until=history)))
    assert found == [
        "the solution first reaches checks.train_until_threshold 0.82 at epoch 6 of "
        "checks.train_until_max_epochs 6, so stopping before max_epochs cannot be shown: raise "
        "checks.train_until_max_epochs above 6, or lower the threshold"
    ]


def test_an_unreachable_heldout_accuracy_gives_the_accuracy_measured() -> None:
    history = {
        "history": {
            "type": "History",
            "is_history": True,
            "history": {"accuracy": [0.7, 0.8, 0.83]},
        }
    }
    result = failed("train_until", "held-out accuracy", "low", heldout={"accuracy": 0.731})
    found = problems(COURSE, Trial(full_marks(train_until=result), outcome(train_until=history)))
    assert found == [
        "the solution's train_until model classifies 0.73 of 2,000 held-out images correctly; "
        "checks.heldout_accuracy 0.75 is out of reach: lower it, or raise "
        "checks.train_until_threshold so the model trains longer"
    ]


def test_an_unreachable_normalization_margin_gives_both_accuracies() -> None:
    value = {"tuple": [{"float": 0.70}, {"float": 0.69}]}
    result = failed("normalization_effect", "normalization helps", "not clearly above")
    trial = Trial(
        full_marks(normalization_effect=result),
        outcome(normalization_effect={"value": value, "seconds": 3.0}),
    )
    assert problems(COURSE, trial) == [
        "the solution's normalized accuracy 0.700 is 0.010 above its raw accuracy 0.690 on "
        "3,000 images; checks.normalization_margin 0.03 is out of reach: lower it"
    ]


def test_a_time_limit_below_twice_the_solutions_time_is_refused() -> None:
    slow = outcome(seconds=320.0, train_until={"seconds": 70.0})
    assert problems(COURSE, Trial(full_marks(), slow)) == [
        "the solution needs 70.0 s for train_until on this machine; "
        "exercises.train_until.time_limit 120 is less than 2x that: raise it to at least 140",
        "the solution needs 320.0 s in all on this machine; limits.submission_seconds 600 is "
        "less than 2x that: raise it to at least 640",
    ]
    timed_out = RunOutcome(
        data={e: {"seconds": 1.0} for e in COURSE.exercises if e != "count_params"},
        notes={
            "count_params": Note(Outcome.TIMED_OUT, "timed out: still running after its 60 s limit")
        },
        seconds=60.0,
    )
    lost = ExerciseResult("count_params", 2).fail_all("timed out", Outcome.TIMED_OUT)
    assert problems(COURSE, Trial(full_marks(count_params=lost), timed_out)) == [
        "the solution's count_params timed out: still running after its 60 s limit on this "
        "machine; limits.exercise_seconds 60 is too short: raise it"
    ]


def test_a_time_limit_is_known_by_the_notes_kind_not_its_words() -> None:
    def notes(note: Note) -> RunOutcome:
        data = {e: {"seconds": 1.0} for e in COURSE.exercises if e != "count_params"}
        return RunOutcome(data=data, notes={"count_params": note}, seconds=60.0)

    lost = ExerciseResult("count_params", 2).fail_all("stopped", Outcome.TIMED_OUT)
    reworded = notes(Note(Outcome.TIMED_OUT, "ran past its 60 s allowance"))
    assert problems(COURSE, Trial(full_marks(count_params=lost), reworded)) == [
        "the solution's count_params ran past its 60 s allowance on this machine; "
        "limits.exercise_seconds 60 is too short: raise it"
    ]
    crashed = notes(Note(Outcome.CRASHED, "crashed: it printed 'timed out' and exited"))
    found = problems(COURSE, Trial(full_marks(count_params=lost), crashed))
    assert not any("too short" in problem for problem in found)


def test_any_other_lost_point_is_named_with_the_judges_reason() -> None:
    result = failed("ThresholdCallback", "stops at the threshold", "stopped at epoch 1")
    assert problems(COURSE, Trial(full_marks(ThresholdCallback=result), outcome())) == [
        "the solution scores 19/20 on ThresholdCallback under this course.yaml (stops at the "
        "threshold: stopped at epoch 1)"
    ]


def test_figures_come_from_each_exercises_trial_module() -> None:
    history = {
        "seconds": 9.5,
        "history": {"type": "History", "is_history": True, "history": {"accuracy": [0.7, 0.83]}},
    }
    value = {"tuple": [{"float": 0.8}, {"float": 0.6}]}
    until = failed("train_until", "rest", "", heldout={"accuracy": 0.81234})
    trial = Trial(
        full_marks(train_until=until),
        outcome(train_until=history, normalization_effect={"value": value, "seconds": 3.0}),
    )
    found = figures(COURSE, trial)
    assert found["train_until_accuracy"] == [0.7, 0.83]
    assert found["heldout_accuracy"] == 0.8123
    assert found["normalization_effect"] == [0.8, 0.6]
    assert found["seconds"]["train_until"] == 9.5


def test_a_record_its_judge_cannot_read_adds_no_figure_and_no_crash() -> None:
    forged = {"history": "not a history"}
    trial = Trial(full_marks(), outcome(train_until=forged))
    assert "train_until_accuracy" not in figures(COURSE, trial)
    assert problems(COURSE, trial) == []
